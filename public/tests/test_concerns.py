"""The concern form: validated, spam-resistant, rate-limited, stored for staff."""

from django.core import mail
from django.urls import reverse

from public.models import Concern
from public.views import CONCERN_RECEIPT
from tests.personas import PersonaTestCase

MESSAGE = "Pengurus belum mengadakan RAT selama tiga tahun dan tidak ada laporan."


class ConcernTests(PersonaTestCase):
    def url(self):
        return reverse("public:concern", args=[self.coop_a.pk])

    def post(self, ip="10.0.0.1", **data):
        payload = {"message": MESSAGE, "name": "", "contact": "", "website": ""}
        payload.update(data)
        return self.anonymous.post(self.url(), payload, REMOTE_ADDR=ip, follow=True)

    def test_a_concern_is_stored_and_the_sender_gets_a_reference(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post(contact="anggota@uji.invalid", is_member="on")
        concern = Concern.objects.get()
        self.assertContains(response, concern.reference)
        # Reached by a redirect: reloading the page sends nothing again.
        done, _ = response.redirect_chain[-1]
        self.assertContains(self.anonymous.get(done), concern.reference)
        self.assertEqual(Concern.objects.count(), 1)
        forged = reverse("public:concern_done", args=[self.coop_a.pk]) + "?tanda=x"
        self.assertRedirects(self.anonymous.get(forged), self.url())
        # The receipt is its cooperative's only.
        other = done.replace(
            f"/koperasi/{self.coop_a.pk}/", f"/koperasi/{self.coop_b.pk}/"
        )
        self.assertRedirects(
            self.anonymous.get(other),
            reverse("public:concern", args=[self.coop_b.pk]),
            fetch_redirect_response=False,
        )
        self.assertTrue(concern.is_member)
        self.assertEqual(concern.cooperative, self.coop_a)
        self.assertNotIn("10.0.0.1", concern.sender_hash)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn(concern.reference, mail.outbox[0].subject)
        self.assertEqual(mail.outbox[0].to, ["anggota@uji.invalid"])

    def test_the_same_concern_sent_again_after_going_back_files_nothing(self):
        first = self.post(is_member="on")
        again = self.post(is_member="on")
        self.assertEqual(again.redirect_chain, first.redirect_chain)
        self.assertEqual(Concern.objects.count(), 1)
        # Another text is another concern.
        self.post(message=MESSAGE + " Mohon diperiksa.")
        self.assertEqual(Concern.objects.count(), 2)

    def test_the_same_concern_sent_at_the_same_moment_files_one(self):
        # Two taps or two tabs at once: the later waits for the first's page.
        import threading

        first = self.post()
        Concern.objects.all().delete()
        from django.core.cache import cache

        cache.clear()
        page = first.redirect_chain[-1][0]
        # The first sending of other values is under way (claimed) ...
        from lib import receipts

        sent = (self.coop_a.pk, MESSAGE + " Sekali.", "", "", False)
        with receipts.sending_once(CONCERN_RECEIPT, *sent) as earlier:
            self.assertIsNone(earlier)
            # ... and finishes while the second waits.
            finishing = threading.Timer(
                0.3,
                receipts.redirect_with_receipt,
                args=(page.split("?")[0], CONCERN_RECEIPT),
                kwargs={"sent": sent},
            )
            finishing.start()
            second = self.post(message=MESSAGE + " Sekali.")
            finishing.join()
        # Led to the first one's page, and nothing filed a second time.
        self.assertEqual(second.redirect_chain[0][0].split("?")[0], page.split("?")[0])
        self.assertEqual(Concern.objects.count(), 0)

    def test_a_phone_number_as_contact_sends_no_mail(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.post(contact="0812 3456 7890")
        self.assertEqual(Concern.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 0)

    def test_bad_input_gets_a_message_and_nothing_is_stored(self):
        for data in (
            {"message": "pendek"},
            {"message": ""},
            {"message": "x" * 3001},
            # Zero-width spaces alone: taken, and blank to staff.
            {"message": "\u200b" * 30},
        ):
            with self.subTest(data=data):
                response = self.post(**data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "is-invalid")
        self.assertFalse(Concern.objects.exists())

    def test_a_filled_honeypot_is_thanked_and_dropped(self):
        response = self.post(website="http://spam.example")
        self.assertContains(response, "Terima kasih")
        self.assertFalse(Concern.objects.exists())

    def test_one_address_is_limited_per_hour_and_others_are_not(self):
        # Each a different concern (the same one sent again is the first).
        for number in range(5):
            self.assertEqual(self.post(message=f"{MESSAGE} {number}").status_code, 200)
        response = self.post(message=f"{MESSAGE} 5")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Terlalu banyak laporan", status_code=429)
        self.assertEqual(Concern.objects.count(), 5)
        self.assertEqual(
            self.post(ip="10.0.0.2", message=f"{MESSAGE} 6").status_code, 200
        )
        self.assertEqual(Concern.objects.count(), 6)

    def test_an_unknown_cooperative_is_a_404(self):
        url = reverse("public:concern", args=[999999])
        self.assertEqual(self.anonymous.get(url).status_code, 404)


class ConcernStaffTests(PersonaTestCase):
    def setUp(self):
        self.concern = Concern.objects.create(
            cooperative=self.coop_a, message=MESSAGE, sender_hash="abc"
        )

    def test_staff_read_and_mark_concerns_handled(self):
        staff = self.client_for(self.staff)
        page = staff.get(reverse("concern_list"))
        self.assertContains(page, self.concern.reference)
        self.assertContains(page, MESSAGE)
        url = reverse("concern_handle", args=[self.concern.pk])
        # Without a word of what was done, it stays open, and the page says why.
        response = staff.post(url, {"note": "  "}, follow=True)
        self.assertContains(response, "Tulis tindak lanjutnya")
        self.concern.refresh_from_db()
        self.assertFalse(self.concern.is_handled)
        staff.post(url, {"note": "Sudah dihubungi."})
        self.concern.refresh_from_db()
        self.assertTrue(self.concern.is_handled)
        self.assertEqual(self.concern.handled_by, self.staff)
        page = staff.get(reverse("concern_list"), {"status": "baru"})
        self.assertContains(page, "Belum ada laporan.")

    def test_officers_and_anonymous_visitors_cannot_read_them(self):
        officer = self.client_for(self.officer_a)
        self.assertEqual(officer.get(reverse("concern_list")).status_code, 403)
        url = reverse("concern_handle", args=[self.concern.pk])
        self.assertEqual(officer.post(url).status_code, 404)
        self.assertEqual(self.client_for(self.staff).get(url).status_code, 405)
        response = self.anonymous.get(reverse("concern_list"))
        self.assertEqual(response.status_code, 302)
