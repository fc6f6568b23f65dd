"""The letter ladder: batches as jobs, numbering, intervals, PDFs with QR codes,
e-mail, the WhatsApp link, cancellation, and the public verification page."""

import ctypes
import datetime
import uuid
from datetime import timedelta

from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from campaigns.models import CampaignLetter, ConfirmationLink, JobStatus
from campaigns.services import visit_record
from campaigns.services.letter_ladder import letter_respond_by
from campaigns.services.letter_notices import letter_topic, letter_whatsapp_link
from campaigns.services.letters import letter_job_execute, letter_job_request
from campaigns.tests.base import CampaignTestCase, dissolve
from cooperatives.models import Officer, Position
from notifications.models import Notification
from notifications.tests.fake_whatsapp import FakeCloudAPI

TODAY = timezone.localdate


def body(response) -> bytes:
    """A file response's bytes."""
    assert response.status_code == 200
    # Reading to the end closes the file (the test client wraps the iterator).
    return b"".join(response.streaming_content)


def pdf_links(file, containing: str) -> list[str]:
    """The addresses of the links in a stored PDF that contain ``containing``."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    with file.open("rb") as handle:
        document = pypdfium2.PdfDocument(handle.read())
    found = []
    try:
        for page in document:
            position = ctypes.c_int(0)
            link = pdfium_c.FPDF_LINK()
            while pdfium_c.FPDFLink_Enumerate(page, ctypes.byref(position), link):
                action = pdfium_c.FPDFLink_GetAction(link)
                size = pdfium_c.FPDFAction_GetURIPath(document, action, None, 0)
                buffer = ctypes.create_string_buffer(size)
                pdfium_c.FPDFAction_GetURIPath(document, action, buffer, size)
                address = buffer.value.decode()
                if containing in address:
                    found.append(address)
    finally:
        document.close()
    return found


def requested(test, kind, issued_on, **filters):
    """A batch of ``kind`` letters asked for by staff, not yet made."""
    return letter_job_request(
        acting_user=test.staff,
        campaign=test.campaign,
        kind=kind,
        issued_on=issued_on,
        filters=filters,
        history=True,  # a ladder's past, set up
    )


def batch(test, kind, issued_on, **filters):
    return letter_job_execute(job_id=requested(test, kind, issued_on, **filters).pk)


class LadderTests(CampaignTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Officer.objects.create(
            cooperative=cls.coop_b,
            name="Sekretaris B",
            position=Position.SEKRETARIS,
            email="sekretaris-b@uji.invalid",
            phone="0812 3456 789",
        )

    def batch_sent_by_hand(self, issued_on):
        """A pemberitahuan batch for the secretary of coop B, who prefers
        WhatsApp, while the Cloud API is not configured: staff send it."""
        Officer.objects.filter(name="Sekretaris B").update(
            phone="0813 5000 1234", notify_by="whatsapp"
        )
        with (
            self.settings(WHATSAPP_TOKEN=""),
            self.captureOnCommitCallbacks(execute=True),
        ):
            return batch(self, "pemberitahuan", issued_on)

    def found_active(self):
        """Staff visit coop B and find it active: it reaches class A."""
        visit_record(
            acting_user=self.staff,
            item=self.item_b,
            on=TODAY(),
            result="ditemukan_aktif",
        )

    def test_a_pemberitahuan_batch_for_class_c_only(self):
        start = TODAY() - timedelta(days=100)
        # The notices are sent by the notification task once the letter commits.
        with self.captureOnCommitCallbacks(execute=True):
            job = batch(self, "pemberitahuan", start)
        self.assertEqual(job.status, JobStatus.DONE)
        self.assertEqual(job.done, 1)
        letter = CampaignLetter.objects.get()
        self.assertEqual(letter.item, self.item_b)  # coop A is class A: no letter
        # The year of the number is the letter's, not the campaign's.
        self.assertEqual(letter.number, f"001/500.3.2/DKUMKMP/{start.year}")
        self.assertTrue(letter.file.name.endswith(".pdf"))
        with letter.file.open("rb") as handle:
            self.assertEqual(handle.read(5), b"%PDF-")
        with job.file.open("rb") as handle:
            self.assertEqual(handle.read(5), b"%PDF-")
        # The pemberitahuan carries a one-time confirmation link, to tap in the
        # PDF on the phone its notice reached (it was text: typed by hand, or a
        # second phone to scan its QR code).
        self.assertEqual(ConfirmationLink.objects.filter(item=self.item_b).count(), 1)
        [confirm] = set(pdf_links(letter.file, "/pemutakhiran/konfirmasi/"))
        self.assertRegex(confirm, r"^http.*/pemutakhiran/konfirmasi/\w{20,}/$")
        # One message per officer, each recorded.
        to_secretary = [m for m in mail.outbox if "sekretaris-b@uji.invalid" in m.to]
        self.assertEqual(len(to_secretary), 1)
        self.assertIn(str(letter.verification_token), to_secretary[0].body)
        self.assertEqual(
            Notification.objects.filter(topic=f"campaign_letter:{letter.pk}").count(),
            len(mail.outbox),
        )
        letter.refresh_from_db()
        self.assertIn("sekretaris-b@uji.invalid", letter.emailed_to)

    def test_a_name_with_an_ampersand_reads_so_in_the_message(self):
        # The letter's e-mail was the only message escaped as HTML: "Maju &amp;
        # Jaya &quot;Bersama&quot;" in its subject and greeting.
        self.coop_b.name = 'KSP Maju & Jaya "Bersama" O\'Neil'
        self.coop_b.save()
        with self.captureOnCommitCallbacks(execute=True):
            batch(self, "pemberitahuan", TODAY() - timedelta(days=100))
        [message] = [m for m in mail.outbox if "sekretaris-b@uji.invalid" in m.to]
        self.assertIn('KSP Maju & Jaya "Bersama" O\'Neil', message.subject)
        self.assertIn('Yth. Pengurus KSP Maju & Jaya "Bersama" O\'Neil,', message.body)
        self.assertNotIn("&amp;", message.subject + message.body)

    def test_an_officer_who_prefers_whatsapp_gets_the_letter_there(self):
        Officer.objects.filter(name="Sekretaris B").update(
            phone="0813 5000 1234", notify_by="whatsapp"
        )
        api = FakeCloudAPI().start()
        self.addCleanup(api.stop)
        with (
            self.settings(**api.settings()),
            self.captureOnCommitCallbacks(execute=True),
        ):
            batch(self, "pemberitahuan", TODAY() - timedelta(days=100))
        letter = CampaignLetter.objects.get()
        [(to, template, params)] = api.sent()
        self.assertEqual((to, template), ("6281350001234", "letter"))
        self.assertEqual(params[2], letter.number)
        self.assertIn(str(letter.verification_token), params[4])
        self.assertFalse([m for m in mail.outbox if "sekretaris-b@uji.invalid" in m.to])
        self.assertIn("+6281350001234", letter.emailed_to)

    def test_a_notice_waiting_for_staff_is_on_the_letters_page(self):
        self.batch_sent_by_hand(TODAY() - timedelta(days=100))
        notice = Notification.objects.get(channel="whatsapp")
        self.assertEqual(notice.status, "manual")
        page = self.client_for(self.staff).get(
            reverse("campaigns:letters", args=[2025])
        )
        self.assertContains(page, f'data-testid="whatsapp-{notice.pk}"')
        self.assertContains(page, "https://wa.me/6281350001234?text=")

    def test_the_letters_page_links_the_first_mobile_not_a_landline(self):
        officers = Officer.objects.filter(cooperative=self.coop_b).order_by(
            "position", "name"
        )
        first, *others = officers
        Officer.objects.filter(pk=first.pk).update(phone="(0542) 733 100")
        Officer.objects.filter(pk__in=[o.pk for o in others]).update(phone="")
        Officer.objects.filter(pk=others[0].pk).update(phone="0812 7777 0001")
        with (
            self.settings(WHATSAPP_TOKEN=""),
            self.captureOnCommitCallbacks(execute=True),
        ):
            batch(self, "pemberitahuan", TODAY())
        page = self.client_for(self.staff).get(
            reverse("campaigns:letters", args=[2025])
        )
        self.assertContains(page, "https://wa.me/6281277770001?text=")
        self.assertNotContains(page, "https://wa.me/62542")

    def test_the_next_letter_waits_for_its_interval(self):
        start = TODAY() - timedelta(days=29)
        batch(self, "pemberitahuan", start)
        with self.assertRaises(ValidationError):
            batch(self, "teguran_1", TODAY())
        # Not on the pemberitahuan's answer date itself: the day after.
        with self.assertRaises(ValidationError):
            batch(self, "teguran_1", start + timedelta(days=30))
        job = batch(self, "teguran_1", start + timedelta(days=31))
        self.assertEqual(job.done, 1)

    def test_a_letter_out_of_order_is_refused(self):
        with self.assertRaises(ValidationError):
            batch(self, "teguran_2", TODAY())

    def test_the_whole_ladder_opens_the_objection_period(self):
        day = TODAY() - timedelta(days=95)
        for kind in ("pemberitahuan", "teguran_1", "teguran_2", "peringatan"):
            batch(self, kind, day)
            day += timedelta(days=31)
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.peringatan_on, TODAY() - timedelta(days=2))
        self.assertGreater(self.item_b.objection_ends_on, TODAY())
        numbers = list(CampaignLetter.objects.values_list("number", flat=True))
        self.assertEqual(len(set(numbers)), 4)

    def test_letters_dated_ahead_do_not_stack_and_announce_nothing_early(self):
        # Teguran I, II and the peringatan dated ahead, sent on one day, met every
        # gap on paper: the public dissolution notice opened at once, while the
        # pemberitahuan of that day still gave a month to confirm.
        from campaigns.selectors import objection_period_items
        from campaigns.services.opening import objection_period_refusal

        day = TODAY() - timedelta(days=100)
        batch(self, "pemberitahuan", day)
        batch(self, "teguran_1", day + timedelta(days=31))
        batch(self, "teguran_2", TODAY() + timedelta(days=3))  # dated ahead: fine
        with self.assertRaisesMessage(ValidationError, "bertanggal sesudah hari ini"):
            batch(self, "peringatan", TODAY() + timedelta(days=40))
        # Its date come, the peringatan may follow (dated ahead once more).
        CampaignLetter.objects.filter(kind="teguran_2").update(
            issued_on=TODAY() - timedelta(days=31),
            respond_by=TODAY() - timedelta(days=1),
        )
        batch(self, "peringatan", TODAY() + timedelta(days=5))
        self.item_b.refresh_from_db()
        self.assertEqual(objection_period_items(today=TODAY()), [])
        page = self.anonymous.get(reverse("campaigns:objection_period"))
        self.assertNotContains(page, self.coop_b.name)
        # Closing still waits for the period to come.
        self.assertIn(self.coop_b.name, objection_period_refusal(self.campaign))
        self.assertEqual(
            objection_period_items(today=TODAY() + timedelta(days=5)), [self.item_b]
        )

    def test_a_cooperative_dissolved_since_opening_gets_no_letter_or_notice(self):
        # Dissolved on its own page while the campaign ran, it was still sent the
        # next teguran, and announced for a dissolution already done.
        from campaigns.selectors import objection_period_items
        from campaigns.services.opening import objection_period_refusal

        day = TODAY() - timedelta(days=100)
        for kind in ("pemberitahuan", "teguran_1", "teguran_2"):
            batch(self, kind, day)
            day += timedelta(days=31)
        batch(self, "peringatan", TODAY() - timedelta(days=3))
        self.assertEqual(objection_period_items(today=TODAY()), [self.item_b])
        dissolve(self.coop_b, by=self.staff)
        self.assertEqual(objection_period_items(today=TODAY()), [])
        self.assertEqual(objection_period_refusal(self.campaign), "")
        page = self.anonymous.get(reverse("campaigns:objection_period"))
        self.assertNotContains(page, self.coop_b.name)
        form = reverse("campaigns:objection_create", args=[self.item_b.pk])
        self.assertEqual(self.anonymous.get(form).status_code, 404)
        # A new campaign year's first letter would go to it too: nothing is due.
        CampaignLetter.objects.all().delete()
        self.item_b.__class__.objects.filter(pk=self.item_b.pk).update(
            peringatan_on=None
        )
        with self.assertRaisesMessage(ValidationError, "Tidak ada koperasi"):
            batch(self, "pemberitahuan", TODAY())

    def test_a_cooperative_dissolved_while_its_batch_waits_gets_no_letter(self):
        # Dissolved after the batch was asked for, it was still sent the letter,
        # a confirmation link and three notices.
        job = requested(self, "pemberitahuan", TODAY())
        dissolve(self.coop_b, by=self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            job = letter_job_execute(job_id=job.pk)
        self.assertEqual(job.status, JobStatus.DONE)
        self.assertFalse(CampaignLetter.objects.exists())
        self.assertFalse(ConfirmationLink.objects.exists())
        self.assertEqual(mail.outbox, [])
        page = self.client_for(self.staff).get(reverse("campaigns:job", args=[job.pk]))
        self.assertContains(
            page, "1 koperasi dilewati karena sudah dibubarkan sejak surat diminta"
        )
        self.assertContains(page, self.coop_b.name)

    def test_reaching_a_or_b_cancels_pending_letters(self):
        batch(self, "pemberitahuan", TODAY() + timedelta(days=5))
        self.found_active()
        letter = CampaignLetter.objects.get()
        self.assertIsNotNone(letter.cancelled_at)
        response = self.anonymous.get(
            reverse("campaigns:verify_letter", args=[letter.verification_token])
        )
        self.assertContains(response, "dibatalkan")

    def test_a_letter_dated_ahead_is_announced_on_its_day_or_not_at_all(self):
        # The notice of a Teguran dated a month ahead went out, and staff were
        # offered its WhatsApp link, at once; cancelled before its day, its
        # messages were still offered.
        from notifications.services import notifications_stalled_resend

        ahead = TODAY() + timedelta(days=30)
        self.batch_sent_by_hand(ahead)
        letter = CampaignLetter.objects.get()
        notices = Notification.objects.filter(topic=f"campaign_letter:{letter.pk}")
        self.assertTrue(notices.exists())
        self.assertEqual(mail.outbox, [])  # nothing announced early
        whatsapp = notices.get(channel="whatsapp")
        self.assertTrue(whatsapp.is_held)
        self.assertFalse(whatsapp.waits_for_staff)
        page = self.client_for(self.staff).get(
            reverse("campaigns:letters", args=[2025])
        )
        self.assertContains(page, f'data-testid="held-{whatsapp.pk}"')
        self.assertNotContains(page, f'data-testid="whatsapp-{whatsapp.pk}"')
        self.assertNotContains(page, "https://wa.me/")
        # Its day come, the e-mails go and staff are offered the WhatsApp one.
        notices.update(not_before=timezone.now() - timedelta(minutes=1))
        with self.captureOnCommitCallbacks(execute=True):
            notifications_stalled_resend()
        self.assertTrue([m for m in mail.outbox if "uji.invalid" in m.to[0]])
        whatsapp.refresh_from_db()
        self.assertTrue(whatsapp.waits_for_staff)

    def test_a_cancelled_letter_s_notices_are_withdrawn(self):
        self.batch_sent_by_hand(TODAY() + timedelta(days=5))
        self.found_active()
        letter = CampaignLetter.objects.get()
        self.assertIsNotNone(letter.cancelled_at)
        notices = Notification.objects.filter(topic=f"campaign_letter:{letter.pk}")
        self.assertEqual({n.status for n in notices}, {"withdrawn"})
        self.assertFalse(any(n.waits_for_staff for n in notices))
        page = self.client_for(self.staff).get(
            reverse("campaigns:letters", args=[2025])
        )
        self.assertContains(page, "Dibatalkan: tidak akan dikirim")
        self.assertNotContains(page, "https://wa.me/")
        # Its day come, nothing goes.
        from notifications.services import notifications_stalled_resend

        notices.update(not_before=timezone.now() - timedelta(minutes=1))
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(notifications_stalled_resend(), 0)
        self.assertEqual(mail.outbox, [])

    def test_a_teguran_refers_to_the_letter_before_and_asks_by_a_date(self):
        # Teguran I named no earlier letter, no date to answer by and no way to
        # answer: the officer had nothing to act on.
        import pypdfium2

        day = TODAY() - timedelta(days=100)
        batch(self, "pemberitahuan", day)
        batch(self, "teguran_1", day + timedelta(days=31))
        first = CampaignLetter.objects.get(kind="pemberitahuan")
        teguran = CampaignLetter.objects.get(kind="teguran_1")
        with teguran.file.open("rb") as handle:
            document = pypdfium2.PdfDocument(handle.read())
        text = " ".join(
            document[i].get_textpage().get_text_range() for i in range(len(document))
        )
        document.close()
        text = " ".join(text.split())
        self.assertIn(f"Menunjuk surat kami nomor {first.number}", text)
        respond_by = teguran.issued_on + timedelta(
            days=self.campaign.interval_teguran_2
        )
        self.assertEqual(letter_respond_by(teguran), respond_by)
        self.assertIn(f"paling lambat {date_format(respond_by, 'j F Y')}", text)
        self.assertIn("Konfirmasi data tanpa akun", text)
        # Its link is the one that works now; the pemberitahuan's stopped.
        links = ConfirmationLink.objects.filter(item=self.item_b).order_by("pk")
        self.assertEqual(len(links), 2)
        self.assertLessEqual(links[0].expires_at, timezone.now())
        self.assertGreater(links[1].expires_at, timezone.now())

    def test_a_rerun_does_not_double_letters(self):
        job = requested(self, "pemberitahuan", TODAY())
        letter_job_execute(job_id=job.pk)
        type(job).objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
        letter_job_execute(job_id=job.pk)
        self.assertEqual(CampaignLetter.objects.count(), 1)

    def test_letter_whatsapp_link_has_the_number_text_and_verification(self):
        batch(self, "pemberitahuan", TODAY())
        letter = CampaignLetter.objects.get()
        link = letter_whatsapp_link(letter, "0812 3456 789")
        self.assertTrue(link.startswith("https://wa.me/628123456789?text="))
        self.assertIn(str(letter.verification_token), link)


class LetterViewTests(CampaignTestCase):
    def test_staff_start_a_batch_and_get_the_combined_pdf(self):
        Officer.objects.filter(cooperative=self.coop_b).update(phone="0812 1111 2222")
        client = self.client_for(self.staff)
        url = reverse("campaigns:letters", args=[2025])
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(
                url, {"kind": "pemberitahuan", "issued_on": TODAY().isoformat()}
            )
        job = self.campaign.jobs.get(kind="letters")
        self.assertRedirects(response, job.get_absolute_url())
        page = client.get(job.get_absolute_url())
        self.assertContains(page, "Unduh PDF gabungan")
        download = client.get(reverse("campaigns:job_download", args=[job.pk]))
        self.assertEqual(download.status_code, 200)
        self.assertEqual(body(download)[:5], b"%PDF-")
        listing = client.get(url)
        self.assertContains(listing, "https://wa.me/6281211112222?text=")
        self.assertContains(listing, f"001/500.3.2/DKUMKMP/{TODAY().year}")

    def test_the_letters_list_pages_and_filters(self):
        # 47 letters, each with its officers' notices, ran to 18,500 px with
        # no paging and no way to find one.
        now = timezone.now()
        for n in range(1, 31):
            CampaignLetter.objects.create(
                item=self.item_b if n % 2 else self.item_a,
                kind="teguran_1" if n % 3 == 0 else "pemberitahuan",
                sequence=n,
                number=f"{n:03d}/500.3.2/DKUMKMP/2026",
                issued_on=datetime.date(2026, 1, 1) + timedelta(days=n),
                verification_token=uuid.uuid4(),
                cancelled_at=now,
            )
        client = self.client_for(self.staff)
        url = reverse("campaigns:letters", args=[2025])
        first = client.get(url)
        self.assertContains(first, "30 surat")
        self.assertEqual(len(first.context["letters"]), 25)
        self.assertContains(first, "030/500.3.2/DKUMKMP/2026")  # the latest first
        self.assertNotContains(first, "005/500.3.2/DKUMKMP/2026")
        second = client.get(url, {"page": 2})
        self.assertEqual(len(second.context["letters"]), 5)
        self.assertContains(second, "001/500.3.2/DKUMKMP/2026")
        teguran = client.get(url, {"jenis": "teguran_1"})
        self.assertContains(teguran, "10 surat")
        self.assertEqual(
            {row["letter"].kind for row in teguran.context["letters"]}, {"teguran_1"}
        )
        named = client.get(url, {"q": "beta"})  # KSP Beta Mandiri: coop B
        self.assertContains(named, "15 surat")
        numbered = client.get(url, {"q": "017/500"})
        self.assertEqual(numbered.context["page"].paginator.count, 1)
        # Paging keeps the filters.
        self.assertContains(
            client.get(url, {"q": "DKUMKMP"}),
            "q=DKUMKMP&amp;page=2",
        )
        for hostile in ("\x00", "x" * 500, "%"):
            self.assertEqual(client.get(url, {"q": hostile}).status_code, 200)

    def test_the_same_batch_asked_for_twice_leads_to_the_first(self):
        # A double click made a second job for the same letters, which made
        # none ("Selesai: 0 koperasi", an empty PDF), and staff landed on it.
        client = self.client_for(self.staff)
        url = reverse("campaigns:letters", args=[2025])
        data = {"kind": "pemberitahuan", "issued_on": TODAY().isoformat()}
        first = client.post(url, data)  # not run yet: its worker has not begun
        job = self.campaign.jobs.get(kind="letters")
        second = client.post(url, data, follow=True)
        self.assertEqual(self.campaign.jobs.filter(kind="letters").count(), 1)
        self.assertRedirects(first, job.get_absolute_url())
        self.assertEqual(second.redirect_chain[-1][0], job.get_absolute_url())
        self.assertContains(second, "sudah diminta dan sedang dibuat")

    def test_a_late_notice_gives_the_ladders_time_not_a_date_gone_by(self):
        from django.utils.formats import date_format

        from campaigns.documents import letter_html

        start = TODAY() - timedelta(days=3)
        assert start > self.campaign.cutoff_date  # the campaign's date is past
        batch(self, "pemberitahuan", start)
        letter = CampaignLetter.objects.get()
        html = letter_html(letter=letter, item=letter.item, token="Ab-cD_ef")
        due = start + timedelta(days=self.campaign.interval_teguran_1)
        assert f"paling lambat {date_format(due, 'j F Y')}" in html
        assert date_format(self.campaign.cutoff_date, "j F Y") not in html
        # The link's token stands on a line of its own, never broken.
        assert '<strong class="link token">Ab-cD_ef/</strong>' in html

    def test_the_sequence_starts_again_with_the_year_of_the_letters(self):
        december = datetime.date(TODAY().year - 1, 12, 20)
        batch(self, "pemberitahuan", december)
        # The teguran follows once the pemberitahuan's printed answer date, the
        # cut-off, has passed.
        january = self.campaign.cutoff_date + timedelta(days=1)
        batch(self, "teguran_1", january)
        numbers = list(
            CampaignLetter.objects.order_by("issued_on").values_list(
                "number", flat=True
            )
        )
        assert numbers == [
            f"001/500.3.2/DKUMKMP/{december.year}",
            f"001/500.3.3/DKUMKMP/{january.year}",
        ], numbers

    def test_a_teguran_waits_for_the_date_the_letter_before_asked_by(self):
        # The interval shortened after the pemberitahuan went out let a teguran
        # come before the answer date printed on it, and the pemberitahuan's
        # verification page moved its date.
        start = TODAY() - timedelta(days=7)
        batch(self, "pemberitahuan", start)
        letter = CampaignLetter.objects.get()
        printed = letter_respond_by(letter)
        self.assertEqual(letter.respond_by, printed)
        self.campaign.interval_teguran_1 = 1
        self.campaign.save()
        letter = CampaignLetter.objects.get()
        self.assertEqual(letter_respond_by(letter), printed)
        with self.assertRaisesMessage(ValidationError, "Tidak ada koperasi"):
            batch(self, "teguran_1", TODAY())
        page = self.anonymous.get(
            reverse("campaigns:verify_letter", args=[letter.verification_token])
        )
        self.assertContains(page, date_format(printed, "j F Y"))

    def test_letters_awaiting_a_reply_are_counted_by_their_printed_dates(self):
        from campaigns.selectors import letters_awaiting_reply

        batch(self, "pemberitahuan", TODAY())
        printed = CampaignLetter.objects.get().respond_by
        self.campaign.interval_teguran_1 = 5
        self.campaign.save()
        later = TODAY() + timedelta(days=10)
        self.assertEqual(
            letters_awaiting_reply(campaign=self.campaign, today=later), (1, printed)
        )

    def test_a_letter_dated_further_back_than_a_week_is_refused(self):
        # Dated back, the whole ladder ran in minutes, its intervals met on
        # paper, and its answer dates had passed before it was printed.
        response = self.client_for(self.staff).post(
            reverse("campaigns:letters", args=[2025]),
            {
                "kind": "pemberitahuan",
                "issued_on": (TODAY() - timedelta(days=8)).isoformat(),
            },
            follow=True,
        )
        self.assertContains(response, "Tanggal surat paling awal")
        with self.captureOnCommitCallbacks(execute=True):
            self.client_for(self.staff).post(
                reverse("campaigns:letters", args=[2025]),
                {
                    "kind": "pemberitahuan",
                    "issued_on": (TODAY() - timedelta(days=7)).isoformat(),
                },
            )
        self.assertEqual(CampaignLetter.objects.count(), 1)

    def test_a_second_campaign_continues_the_office_s_register(self):
        from campaigns.tests.base import open_campaign

        batch(self, "pemberitahuan", TODAY())
        earlier = open_campaign(2024)
        job = letter_job_request(
            acting_user=self.staff,
            campaign=earlier,
            kind="pemberitahuan",
            issued_on=TODAY(),
            filters={},
        )
        job = letter_job_execute(job_id=job.pk)
        self.assertEqual(job.status, JobStatus.DONE, job.error)
        numbers = list(
            CampaignLetter.objects.order_by("pk").values_list("sequence", flat=True)
        )
        self.assertEqual(numbers, list(range(1, len(numbers) + 1)))
        self.assertGreater(len(numbers), 1)

    def test_nothing_due_says_so(self):
        response = self.client_for(self.staff).post(
            reverse("campaigns:letters", args=[2025]),
            {"kind": "teguran_1", "issued_on": TODAY().isoformat()},
            follow=True,
        )
        self.assertContains(response, "Tidak ada koperasi yang menunggu surat ini")
        self.assertNotContains(response, "paling cepat dapat bertanggal")

    def test_a_letter_not_due_yet_says_from_when_it_is(self):
        # Asked for too early, a teguran was refused with the list of reasons
        # it might be, and staff had to work out the date from the letters.
        pemberitahuan = batch(self, "pemberitahuan", TODAY())
        self.assertEqual(pemberitahuan.done, 1)
        letter = CampaignLetter.objects.get(kind="pemberitahuan")
        soonest = max(
            letter.issued_on + timedelta(days=self.campaign.interval_teguran_1),
            letter.respond_by + timedelta(days=1),
        )
        response = self.client_for(self.staff).post(
            reverse("campaigns:letters", args=[2025]),
            {"kind": "teguran_1", "issued_on": TODAY().isoformat()},
            follow=True,
        )
        self.assertContains(
            response,
            "Surat ini paling cepat dapat bertanggal "
            f"{date_format(soonest, 'j F Y')}, untuk 1 koperasi.",
        )

    def test_a_letter_after_one_dated_ahead_says_from_when_it_may_be_asked(self):
        # The hint named the teguran's first date, which was then refused too:
        # the pemberitahuan before it, dated ahead, had not gone out yet.
        ahead = TODAY() + timedelta(days=10)
        self.assertEqual(batch(self, "pemberitahuan", ahead).done, 1)
        letter = CampaignLetter.objects.get(kind="pemberitahuan")
        soonest = max(
            letter.issued_on + timedelta(days=self.campaign.interval_teguran_1),
            letter.respond_by + timedelta(days=1),
        )
        url = reverse("campaigns:letters", args=[2025])
        client = self.client_for(self.staff)
        for issued_on in (TODAY(), soonest):
            response = client.post(
                url,
                {"kind": "teguran_1", "issued_on": issued_on.isoformat()},
                follow=True,
            )
            self.assertContains(
                response,
                f"paling cepat dapat bertanggal {date_format(soonest, 'j F Y')}, "
                f"untuk 1 koperasi, dan baru dapat diminta mulai "
                f"{date_format(ahead, 'j F Y')}, tanggal surat sebelumnya.",
            )

    def test_a_date_far_ahead_or_an_unknown_kecamatan_asks_for_nothing(self):
        # 9999-12-31 numbered a letter, failed the batch, and left the campaign's
        # page a 500 for everyone; an unknown kecamatan asked for the whole city.
        url = reverse("campaigns:letters", args=[2025])
        client = self.client_for(self.staff)
        for data, said in (
            ({"issued_on": "9999-12-31"}, "paling jauh setahun dari hari ini"),
            ({"issued_on": "1999-01-01"}, "tidak boleh sebelum tahun 2025"),
            (
                {"issued_on": TODAY().isoformat(), "kecamatan": "9" * 20},
                "Saringan tidak dikenali (kecamatan)",
            ),
        ):
            with self.subTest(data=data):
                response = client.post(
                    url, {"kind": "pemberitahuan", **data}, follow=True
                )
                self.assertContains(response, said)
        self.assertFalse(CampaignLetter.objects.exists())
        self.assertFalse(self.campaign.jobs.filter(kind="letters").exists())
        # A letter dated so far ahead before this (in the data already) no
        # longer fails the campaign's page.
        CampaignLetter.objects.create(
            item=self.item_b,
            kind="pemberitahuan",
            sequence=1,
            number="001/X/9999",
            issued_on=datetime.date(9999, 12, 31),
            verification_token=uuid.uuid4(),
        )
        page = client.get(reverse("campaigns:detail", args=[2025]))
        self.assertEqual(page.status_code, 200)

    def test_a_missing_date_says_so(self):
        response = self.client_for(self.staff).post(
            reverse("campaigns:letters", args=[2025]),
            {"kind": "pemberitahuan", "issued_on": ""},
            follow=True,
        )
        self.assertContains(response, "Isi tanggal surat.")

    def test_access(self):
        batch(self, "pemberitahuan", TODAY())
        letter = CampaignLetter.objects.get()
        pdf = reverse("campaigns:letter_pdf", args=[letter.pk])
        for user in (self.staff, self.officer_b):
            response = self.client_for(user).get(pdf)
            self.assertEqual(body(response)[:5], b"%PDF-")
        self.assertEqual(self.client_for(self.officer_a).get(pdf).status_code, 404)
        page = reverse("campaigns:letters", args=[2025])
        self.assertEqual(self.client_for(self.officer_a).get(page).status_code, 404)
        job = reverse("campaigns:job_download", args=[letter.job_id])
        self.assertEqual(self.client_for(self.officer_b).get(job).status_code, 404)

    def test_the_officers_page_lists_the_letters_their_date_has_come_for(self):
        # Officers had only the message that announced each letter; their own
        # page did not show what the office had sent them.
        home = self.client_for(self.officer_b).get(reverse("home"))
        self.assertNotContains(home, 'data-testid="letters-received"')
        batch(self, "pemberitahuan", TODAY())
        letter = CampaignLetter.objects.get()
        home = self.client_for(self.officer_b).get(reverse("home"))
        self.assertContains(home, 'data-testid="letters-received"')
        self.assertContains(home, reverse("campaigns:letter_pdf", args=[letter.pk]))
        self.assertContains(home, letter.number)
        # Not another cooperative's officers; not a letter dated ahead.
        other = self.client_for(self.officer_a).get(reverse("home"))
        self.assertNotContains(other, letter.number)
        CampaignLetter.objects.update(issued_on=TODAY() + timedelta(days=3))
        home = self.client_for(self.officer_b).get(reverse("home"))
        self.assertNotContains(home, letter.number)
        # Nor one numbered whose PDF is not made yet (its link was a 404).
        CampaignLetter.objects.update(issued_on=TODAY(), file="")
        home = self.client_for(self.officer_b).get(reverse("home"))
        self.assertNotContains(home, letter.number)

    def test_the_qr_page_verifies_the_letter(self):
        batch(self, "pemberitahuan", TODAY())
        letter = CampaignLetter.objects.get()
        url = reverse("campaigns:verify_letter", args=[letter.verification_token])
        response = self.anonymous.get(url)
        self.assertContains(response, letter.number)
        self.assertContains(response, "Surat ini sah.")
        import uuid

        missing = reverse("campaigns:verify_letter", args=[uuid.uuid4()])
        response = self.anonymous.get(missing)
        self.assertContains(response, "Kode ini tidak terdaftar", status_code=404)
        self.assertContains(response, "jangan terima dokumen itu", status_code=404)
        gone = reverse("campaigns:verify_letter_pdf", args=[uuid.uuid4()])
        self.assertEqual(self.anonymous.get(gone).status_code, 404)
        # Read in capitals (a QR code's alphanumeric mode), it is the same letter;
        # cut short, it is said not registered, not "page not found".
        upper = url.replace(
            str(letter.verification_token), str(letter.verification_token).upper()
        )
        self.assertContains(self.anonymous.get(upper), "Surat ini sah.")

    def test_a_closed_campaigns_letter_no_longer_sends_officers_to_its_link(self):
        # The page still asked for a confirmation "melalui tautan konfirmasi di
        # dalam surat" by a date, and the link said "Tautan tidak berlaku".
        batch(self, "pemberitahuan", TODAY())
        letter = CampaignLetter.objects.get()
        url = reverse("campaigns:verify_letter", args=[letter.verification_token])
        self.assertContains(self.anonymous.get(url), 'id="respond-by"')
        type(self.campaign).objects.filter(pk=self.campaign.pk).update(status="ditutup")
        page = self.anonymous.get(url)
        self.assertContains(page, "Surat ini sah.")
        self.assertNotContains(page, 'id="respond-by"')
        self.assertContains(page, "sudah ditutup; tautan konfirmasi")
        cut = url.replace(
            str(letter.verification_token), str(letter.verification_token)[:20]
        )
        self.assertContains(
            self.anonymous.get(cut), "Kode ini tidak terdaftar", status_code=404
        )

    def test_the_message_leads_to_the_letter_and_its_deadline(self):
        """The officers' message carries no attachment: the page it links to
        says by when to confirm and opens the letter, whose confirmation link
        is in it."""
        batch(self, "pemberitahuan", TODAY())
        letter = CampaignLetter.objects.get()
        url = reverse("campaigns:verify_letter", args=[letter.verification_token])
        response = self.anonymous.get(url)
        respond_by = date_format(letter_respond_by(letter), "j F Y")
        self.assertContains(response, f"paling lambat {respond_by}")
        pdf = reverse("campaigns:verify_letter_pdf", args=[letter.verification_token])
        self.assertContains(response, pdf)
        opened = self.anonymous.get(pdf)
        self.assertEqual(opened["Content-Type"], "application/pdf")
        self.assertEqual(body(opened)[:5], b"%PDF-")
        notice = Notification.objects.get(topic=letter_topic(letter))
        self.assertIn(url, notice.body)
        self.assertIn("dapat dibuka", notice.body)


class LetterSettingsTests(CampaignTestCase):
    url = "campaigns:letter_settings"

    def data(self, **changes):
        values = {
            "interval_teguran_1": 14,
            "interval_teguran_2": 30,
            "interval_peringatan": 30,
            "objection_months": 2,
            "number_pattern": "{seq:04d}/{code}/PEMUTAKHIRAN/{year}",
            "code_pemberitahuan": "000.8.3.3",
            "code_teguran_1": "000.8.3.4",
            "code_teguran_2": "000.8.3.4",
            "code_peringatan": "000.8.3.5",
        }
        values.update(changes)
        return values

    def test_staff_change_intervals_pattern_and_codes_audited(self):
        from audit.models import AuditEvent

        response = self.client_for(self.staff).post(
            reverse(self.url, args=[2025]), self.data()
        )
        self.assertRedirects(response, reverse("campaigns:letters", args=[2025]))
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.intervals_days, (14, 30, 30))
        self.assertEqual(self.campaign.letter_codes["pemberitahuan"], "000.8.3.3")
        event = AuditEvent.objects.filter(object_id=str(self.campaign.pk)).first()
        self.assertIn("interval_teguran_1", event.changes)
        issued_on = TODAY() - timedelta(days=15)
        job = batch(self, "pemberitahuan", issued_on)
        self.assertEqual(
            CampaignLetter.objects.get(job=job).number,
            f"0001/000.8.3.3/PEMUTAKHIRAN/{issued_on.year}",
        )
        self.assertEqual(batch(self, "teguran_1", TODAY()).done, 1)

    def test_a_bad_pattern_is_refused_clearly(self):
        response = self.client_for(self.staff).post(
            reverse(self.url, args=[2025]),
            self.data(number_pattern="{nomor}/{year}"),
            follow=True,
        )
        self.assertContains(response, "Pola nomor hanya boleh memakai", status_code=400)
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.interval_teguran_1, 30)

    def test_refused_settings_come_back_as_typed(self):
        # The page was loaded afresh from the saved settings: every value typed
        # was lost with one refused pattern.
        response = self.client_for(self.staff).post(
            reverse(self.url, args=[2025]),
            self.data(number_pattern="{nomor}/{year}", code_peringatan="500.9/X"),
        )
        self.assertContains(
            response, "Pengaturan surat belum disimpan", status_code=400
        )
        self.assertContains(response, 'id="letter-settings" open', status_code=400)
        self.assertContains(response, 'value="{nomor}/{year}"', status_code=400)
        self.assertContains(response, 'value="500.9/X"', status_code=400)
        self.assertContains(response, 'value="14"', status_code=400)
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.interval_teguran_1, 30)

    def test_patterns_that_would_fail_or_clash_are_refused(self):
        from campaigns.services.letter_numbers import number_pattern_check

        for pattern in (
            "{seq[0]}",
            "{code.x}",
            "{year.__class__}",
            "NO/{year}",  # no sequence: every letter the same number
            "{{seq}}",
            "{seq:999999d}",
            "{seq:%}",
            "{seq!r}",
            "{0}",
        ):
            with self.subTest(pattern), self.assertRaises(ValidationError):
                number_pattern_check(pattern)
        for pattern in ("{seq:03d}/{code}/DKUMKMP/{year}", "{seq}/{year}", "{seq:4}"):
            number_pattern_check(pattern)
        response = self.client_for(self.staff).post(
            reverse(self.url, args=[2025]),
            self.data(number_pattern="{seq[0]}"),
            follow=True,
        )
        self.assertContains(response, "Pola nomor hanya boleh memakai", status_code=400)

    def test_a_colleagues_save_since_the_page_opened_is_kept(self):
        # Two staff members open the settings; the first saves a new interval.
        # The second, saving a code on the page opened before, wrote the old
        # interval back without a word.
        letters = reverse("campaigns:letters", args=[2025])
        first, second = self.client_for(self.staff), self.client_for(self.staff)
        seen_first = first.get(letters).context["settings_form"].initial["seen"]
        seen_second = second.get(letters).context["settings_form"].initial["seen"]
        shown = self.data(
            interval_teguran_1=30,
            interval_teguran_2=30,
            interval_peringatan=30,
            objection_months=2,
        )
        self.campaign.refresh_from_db()
        shown.update(
            number_pattern=self.campaign.number_pattern,
            **{f"code_{k}": v for k, v in self.campaign.letter_codes.items()},
        )
        first.post(
            reverse(self.url, args=[2025]),
            {**shown, "interval_teguran_1": 21, "seen": seen_first},
        )
        response = second.post(
            reverse(self.url, args=[2025]),
            {**shown, "code_peringatan": "500.9.9", "seen": seen_second},
        )
        self.assertRedirects(response, letters)
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.interval_teguran_1, 21)
        self.assertEqual(self.campaign.letter_codes["peringatan"], "500.9.9")
        # The same field changed by both, differently: refused, naming the
        # value it has now; saving again keeps the second person's.
        response = second.post(
            reverse(self.url, args=[2025]),
            {**shown, "interval_teguran_1": 10, "seen": seen_second},
        )
        self.assertContains(response, "Sudah diubah menjadi", status_code=400)
        self.assertContains(response, "“21”", status_code=400)
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.interval_teguran_1, 21)
        again = response.context["settings_form"].data["seen"]
        second.post(
            reverse(self.url, args=[2025]),
            {**shown, "interval_teguran_1": 10, "seen": again},
        )
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.interval_teguran_1, 10)

    def test_settings_are_staff_only_and_post_only(self):
        url = reverse(self.url, args=[2025])
        self.assertEqual(
            self.client_for(self.officer_b).post(url, self.data()).status_code, 404
        )
        self.assertEqual(self.client_for(self.staff).get(url).status_code, 405)


class PartsTests(CampaignTestCase):
    def three_letters(self):
        """A batch of three pemberitahuan in two parts, in a campaign for 2024."""
        from campaigns.tests.base import open_campaign
        from tests.personas import make_cooperative

        for n in range(3):
            make_cooperative(f"KUD Bagian {n}", last_rat_year=2010)
        campaign = open_campaign(2024)
        job = letter_job_request(
            acting_user=self.staff,
            campaign=campaign,
            kind="pemberitahuan",
            issued_on=TODAY(),
            filters={"q": "KUD Bagian"},
        )
        return campaign, job

    def test_a_batch_runs_in_parts_and_the_last_one_joins_the_pdf(self):
        import pypdfium2

        _campaign, job = self.three_letters()
        self.assertEqual(job.params["parts"], 2)
        job = letter_job_execute(job_id=job.pk, part=1)
        self.assertEqual(job.status, JobStatus.RUNNING)
        # The part that starts first numbers the whole batch; it renders its share.
        letters = CampaignLetter.objects.filter(job=job)
        self.assertEqual(letters.count(), 3)
        self.assertEqual(letters.exclude(file="").count(), 1)
        job = letter_job_execute(job_id=job.pk, part=0)
        self.assertEqual(job.status, JobStatus.DONE)
        self.assertEqual(job.done, 3)
        # Numbered in the order of the combined PDF (by name): each part had
        # numbered its own share, and the register read 001, 003, 002.
        in_pdf_order = letters.order_by("item__cooperative__name")
        self.assertEqual(
            [letter.sequence for letter in in_pdf_order], [1, 2, 3], in_pdf_order
        )
        with job.file.open("rb") as handle:
            self.assertEqual(len(pypdfium2.PdfDocument(handle.read())), 3)

    def test_a_batch_its_worker_died_in_is_finished_with_what_it_made(self):
        """On the zero-setup broker a killed worker's part is forgotten: the next
        worker hands out the unfinished parts again, and the letters made before
        stay in the batch and its PDF, counted once."""
        import pypdfium2

        from campaigns.services.letters import _letter_for
        from koperasi_registry.jobs import unfinished_jobs_resume

        campaign, job = self.three_letters()
        job = letter_job_execute(job_id=job.pk, part=1)
        # Part 0 died after its first letter was made and counted.
        first = campaign.items.get(pk=job.params["items"][0::2][0])
        _letter_for(first, "pemberitahuan", job)
        type(job).objects.filter(pk=job.pk).update(done=F("done") + 1)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(unfinished_jobs_resume(), 1)
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.DONE, job.error)
        self.assertEqual((job.done, job.total), (3, 3))
        self.assertEqual(CampaignLetter.objects.filter(job=job).count(), 3)
        with job.file.open("rb") as handle:
            self.assertEqual(len(pypdfium2.PdfDocument(handle.read())), 3)
