"""Status letters: numbering, what a letter keeps, withdrawal, who may do what, and
the public verification page reached from the QR code."""

import datetime
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import AuditAction, AuditEvent
from cooperatives import documents, services
from cooperatives.models import Cooperative, CooperativeStatus, StatusLetter
from tests.personas import PersonaTestCase


def make_coop_a_inactive(case):
    services.cooperative_change_status(
        acting_user=case.staff,
        cooperative=case.coop_a,
        new_status=CooperativeStatus.TIDAK_AKTIF,
        effective_date=timezone.localdate(),
        reason="Tidak RAT tiga tahun",
    )


class StatusLetterServiceTests(PersonaTestCase):
    def issue(self, cooperative=None, purpose="pengajuan pinjaman ke bank", user=None):
        return services.status_letter_issue(
            acting_user=user or self.staff,
            cooperative=cooperative or self.coop_a,
            purpose=purpose,
        )

    @override_settings(STATUS_LETTER_CODE="DKUMKMP", STATUS_LETTER_VALID_DAYS=90)
    def test_numbers_run_per_year_and_the_letter_keeps_what_it_stated(self):
        first = self.issue()
        second = self.issue(cooperative=self.coop_b, purpose="hibah")
        year = timezone.localdate().year
        self.assertEqual(first.number, f"0001/SKS/DKUMKMP/{year}")
        self.assertEqual(second.number, f"0002/SKS/DKUMKMP/{year}")
        self.assertEqual(first.valid_until, timezone.localdate() + timedelta(days=90))
        StatusLetter.objects.filter(pk=second.pk).update(
            year=year - 1, number=f"0002/SKS/DKUMKMP/{year - 1}"
        )
        self.assertEqual(self.issue(purpose="tender").sequence, 2)
        make_coop_a_inactive(self)
        first.refresh_from_db()
        self.assertEqual(first.status, CooperativeStatus.AKTIF)
        self.assertEqual(first.name, "Koperasi Alpha Sejahtera")
        self.assertEqual(first.nik, "6471000000000001")

    def test_a_second_click_gives_back_the_same_letter(self):
        first = self.issue(purpose="  pengajuan   pinjaman ke bank ")
        again = self.issue()
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(StatusLetter.objects.count(), 1)
        self.assertEqual(AuditEvent.objects.filter(action=AuditAction.ISSUE).count(), 1)
        other = self.issue(purpose="hibah")
        self.assertNotEqual(other.pk, first.pk)

    def test_blank_purpose_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "Isi keperluan surat."):
            self.issue(purpose="   ")
        self.assertFalse(StatusLetter.objects.exists())

    def test_revoking_needs_a_reason_and_happens_once(self):
        letter = self.issue()
        with self.assertRaisesMessage(ValidationError, "Tulis alasan pencabutan."):
            services.status_letter_revoke(
                acting_user=self.staff, letter=letter, reason=" "
            )
        services.status_letter_revoke(
            acting_user=self.staff, letter=letter, reason="Salah nama koperasi"
        )
        letter.refresh_from_db()
        self.assertTrue(letter.is_revoked)
        self.assertEqual(letter.revoked_by, self.staff)
        with self.assertRaisesMessage(ValidationError, "Surat ini sudah dicabut."):
            services.status_letter_revoke(
                acting_user=self.staff, letter=letter, reason="lagi"
            )
        event = AuditEvent.objects.get(action=AuditAction.REVOKE)
        self.assertEqual(event.cooperative, self.coop_a)
        self.assertEqual(event.changes["revoke_reason"]["new"], "Salah nama koperasi")

    def test_the_signer_s_name_and_nip_are_printed_once_set(self):
        # Every printed document left "(……)" under the signature, with no
        # setting to name the Kepala Dinas.
        letter = self.issue()
        request = RequestFactory().get("/", HTTP_HOST="testserver")
        html = documents.status_letter_html(letter=letter, request=request)
        self.assertIn("(……………………………………)", html)
        with self.settings(
            STATUS_LETTER_SIGNER_NAME="Drs. Contoh Nama, M.Si.",
            STATUS_LETTER_SIGNER_NIP="19700101 199503 1 001",
        ):
            html = documents.status_letter_html(letter=letter, request=request)
        self.assertIn(">Drs. Contoh Nama, M.Si.</span><br>", html)
        self.assertIn("NIP. 19700101 199503 1 001", html)
        self.assertNotIn("(……………………………………)", html)

    def test_the_letter_document_states_the_status_and_its_verification_link(self):
        letter = self.issue()
        # Printed by a staff member on the office's intranet address: the QR
        # code still opens the public site, and the letter is dated from the
        # office's city (it said "Balikpapan" whatever office ran it).
        request = RequestFactory().get("/", HTTP_HOST="10.0.0.5:8000")
        with self.settings(
            SITE_URL="https://koperasi.samarindakota.go.id",
            OFFICE_CITY="Samarinda",
            OFFICE_GOVERNMENT="Pemerintah Kota Samarinda",
        ):
            html = documents.status_letter_html(letter=letter, request=request)
        self.assertIn(letter.number, html)
        self.assertIn("SURAT KETERANGAN STATUS KOPERASI", html)
        self.assertIn('id="stated-status">Aktif<', html)
        self.assertIn(
            "https://koperasi.samarindakota.go.id/publik/verifikasi/surat/"
            f"{letter.verification_token}/",
            html,
        )
        self.assertNotIn("10.0.0.5", html)
        self.assertIn("Samarinda, ", html)
        self.assertNotRegex(html, r"Balikpapan, \d")
        self.assertIn("data:image/svg+xml", html)


class StatusLetterViewTests(PersonaTestCase):
    def setUp(self):
        self.letter = services.status_letter_issue(
            acting_user=self.staff, cooperative=self.coop_a, purpose="pinjaman bank"
        )
        self.urls = {
            "issue": reverse("cooperatives:status_letter_issue", args=[self.coop_a.pk]),
            "pdf": reverse("cooperatives:status_letter_pdf", args=[self.letter.pk]),
            "revoke": reverse(
                "cooperatives:status_letter_revoke", args=[self.letter.pk]
            ),
        }

    def test_the_letter_reads_the_same_whatever_the_reader_s_language(self):
        # A staff member working in English printed an English copy of the
        # same numbered letter.
        import pypdfium2

        staff = self.client_for(self.staff)
        staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertContains(staff.get(self.coop_a.get_absolute_url()), "Registry")
        pdf = staff.get(self.urls["pdf"])
        page = pypdfium2.PdfDocument(pdf.content)[0]
        text = " ".join(page.get_textpage().get_text_range().split())
        self.assertIn("SURAT KETERANGAN STATUS KOPERASI", text)
        self.assertNotIn("COOPERATIVE STATUS LETTER", text.upper())

    def test_issuing_for_an_aktif_cooperative_without_a_recent_rat_warns_first(self):
        # A letter saying AKTIF went out for a cooperative with no RAT since 2018.
        staff = self.client_for(self.staff)
        Cooperative.objects.filter(pk=self.coop_a.pk).update(last_rat_year=2018)
        page = staff.get(self.coop_a.get_absolute_url())
        self.assertContains(page, "RAT terakhir yang tercatat untuk tahun buku 2018")
        year = timezone.localdate().year - 1
        Cooperative.objects.filter(pk=self.coop_a.pk).update(last_rat_year=year)
        page = staff.get(self.coop_a.get_absolute_url())
        self.assertNotContains(page, 'data-testid="letter-rat-overdue"')

    def test_a_purpose_keeps_only_what_it_shows(self):
        # "\u202eknab" showed "bank" in the PDF and backwards on the public
        # verification page.
        self.client_for(self.staff).post(
            self.urls["issue"], {"purpose": "Pinjaman \u202eknab\u202c\u200b"}
        )
        assert StatusLetter.objects.latest("pk").purpose == "Pinjaman knab"

    def test_staff_issue_from_the_cooperative_page(self):
        staff = self.client_for(self.staff)
        page = staff.get(self.coop_a.get_absolute_url())
        self.assertContains(page, "Terbitkan surat keterangan status")
        self.assertContains(page, self.letter.number)
        response = staff.post(self.urls["issue"], {"purpose": "hibah"}, follow=True)
        self.assertContains(response, "diterbitkan")
        self.assertEqual(self.coop_a.status_letters.count(), 2)
        response = staff.post(self.urls["issue"], {"purpose": ""}, follow=True)
        self.assertContains(response, "Isi keperluan surat")
        self.assertEqual(self.coop_a.status_letters.count(), 2)

    def test_staff_and_the_cooperatives_officer_download_the_pdf(self):
        for user in (self.staff, self.officer_a):
            response = self.client_for(user).get(self.urls["pdf"])
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response["Content-Type"], "application/pdf")
            self.assertTrue(response.content.startswith(b"%PDF"))

    def test_an_officer_of_another_cooperative_gets_404_everywhere(self):
        outsider = self.client_for(self.officer_b)
        self.assertEqual(outsider.get(self.urls["pdf"]).status_code, 404)
        for name in ("issue", "revoke"):
            response = outsider.post(self.urls[name], {"purpose": "x", "reason": "x"})
            self.assertEqual(response.status_code, 404, name)
        self.assertNotContains(
            outsider.get(self.coop_b.get_absolute_url()), self.letter.number
        )

    def test_the_cooperatives_own_officer_may_not_issue_or_revoke(self):
        officer = self.client_for(self.officer_a)
        page = officer.get(self.coop_a.get_absolute_url())
        self.assertContains(page, self.letter.number)
        self.assertNotContains(page, "Terbitkan surat keterangan status")
        for name in ("issue", "revoke"):
            response = officer.post(self.urls[name], {"purpose": "x", "reason": "x"})
            self.assertEqual(response.status_code, 403, name)
        self.assertFalse(StatusLetter.objects.filter(revoked_at__isnull=False).exists())

    def test_anonymous_users_log_in_and_get_on_post_views_is_refused(self):
        for url in self.urls.values():
            response = self.anonymous.get(url)
            self.assertIn(response.status_code, (302, 405), url)
        staff = self.client_for(self.staff)
        for name in ("issue", "revoke"):
            self.assertEqual(staff.get(self.urls[name]).status_code, 405, name)

    def test_an_expired_letter_is_marked_on_the_cooperative_page(self):
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertNotContains(page, "kedaluwarsa")
        StatusLetter.objects.filter(pk=self.letter.pk).update(
            valid_until=timezone.localdate() - datetime.timedelta(days=1)
        )
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertContains(page, "kedaluwarsa")

    def test_staff_revoke_with_a_reason(self):
        staff = self.client_for(self.staff)
        response = staff.post(self.urls["revoke"], {"reason": ""}, follow=True)
        self.assertContains(response, "Tulis alasan pencabutan")
        response = staff.post(
            self.urls["revoke"], {"reason": "Salah tulis"}, follow=True
        )
        self.assertContains(response, "dicabut")
        self.letter.refresh_from_db()
        self.assertTrue(self.letter.is_revoked)
        # The cooperative's page keeps the date it was valid to, and says when
        # it was revoked (the public page did, the staff row did not).
        page = staff.get(self.coop_a.get_absolute_url())
        revoked = date_format(timezone.localtime(self.letter.revoked_at), "j F Y")
        self.assertContains(page, f"dicabut {revoked}")
        self.assertContains(page, date_format(self.letter.valid_until, "j F Y"))
        # Its PDF, printed again, says so on its face.
        html = documents.status_letter_html(
            letter=self.letter, request=RequestFactory().get("/")
        )
        self.assertIn('id="revoked"', html)
        self.assertIn("SURAT INI DICABUT", html)
        self.assertIn("Salah tulis", html)
        pdf = staff.get(self.urls["pdf"])
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.content[:5], b"%PDF-")
        # The file served says it too, in its text as a reader opens it.
        import pypdfium2

        page = pypdfium2.PdfDocument(pdf.content)[0]
        text = " ".join(page.get_textpage().get_text_range().split())
        self.assertIn("SURAT INI DICABUT", text)
        self.assertIn("Alasan: Salah tulis", text)
        self.assertIn("DICABUT", text.replace("SURAT INI DICABUT", ""))  # the mark


class StatusLetterVerificationTests(PersonaTestCase):
    def setUp(self):
        self.letter = services.status_letter_issue(
            acting_user=self.staff, cooperative=self.coop_a, purpose="pinjaman bank"
        )
        self.url = reverse(
            "public:verify_status_letter", args=[self.letter.verification_token]
        )

    def test_a_valid_letter_is_confirmed_with_what_it_stated(self):
        response = self.anonymous.get(self.url)
        self.assertContains(response, "Surat ini sah dan masih berlaku.")
        self.assertContains(response, self.letter.number)
        self.assertContains(response, "Koperasi Alpha Sejahtera")
        self.assertNotContains(response, 'name="csrfmiddlewaretoken"')

    def test_a_revoked_letter_says_so(self):
        services.status_letter_revoke(
            acting_user=self.staff, letter=self.letter, reason="Salah tulis"
        )
        response = self.anonymous.get(self.url)
        self.assertContains(response, "telah dicabut")
        self.assertNotContains(response, "masih berlaku")
        # Said first: on a phone the letter's details fill the first screen, and a
        # clerk reading only that took a revoked letter for a valid one.
        page = response.content.decode()
        self.assertLess(page.index("telah dicabut"), page.index(self.letter.number))
        self.assertLess(page.index("telah dicabut"), page.index("Berlaku sampai"))
        # Its date of validity no longer reads as one.
        valid = date_format(self.letter.valid_until, "j F Y")
        self.assertIn(f"<s>{valid}</s>", page)

    def test_an_expired_letter_says_so(self):
        StatusLetter.objects.filter(pk=self.letter.pk).update(
            valid_until=timezone.localdate() - datetime.timedelta(days=1)
        )
        response = self.anonymous.get(self.url)
        self.assertContains(response, "Masa berlaku surat ini sudah habis.")

    def test_a_status_changed_since_is_shown_beside_what_the_letter_stated(self):
        make_coop_a_inactive(self)
        response = self.anonymous.get(self.url)
        self.assertContains(response, "<strong>Aktif</strong>", html=False)
        self.assertContains(response, "status saat ini: Tidak Aktif")

    def test_an_unknown_token_says_the_letter_is_not_registered(self):
        url = reverse("public:verify_status_letter", args=[uuid.uuid4()])
        response = self.anonymous.get(url)
        self.assertContains(
            response, "Verifikasi surat keterangan status", status_code=404
        )
        self.assertContains(response, "Kode ini tidak terdaftar", status_code=404)
