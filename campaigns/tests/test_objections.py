"""The objection period: the public list, the keberatan form, staff decisions,
and what objections do to the proposed class."""

from datetime import timedelta

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from campaigns.models import CampaignLetter, Objection, ObjectionStatus
from campaigns.services import campaign_refresh
from campaigns.tests.base import CampaignTestCase
from reports.tests.rat_testing import PDF  # a real one-page PDF


class ObjectionTests(CampaignTestCase):
    def warn(self, days_ago: int) -> None:
        """Coop B got its peringatan ``days_ago`` days ago."""
        self.item_b.peringatan_on = timezone.localdate() - timedelta(days=days_ago)
        self.item_b.save()

    def warning_letter(self, token: str = "00000000-0000-0000-0000-000000000001"):
        """Coop B's peringatan, dated the day it got it (``warn``)."""
        assert self.item_b.peringatan_on is not None
        return CampaignLetter.objects.create(
            item=self.item_b,
            kind="peringatan",
            sequence=1,
            number="001/X/2025",
            issued_on=self.item_b.peringatan_on,
            verification_token=token,
        )

    def test_the_public_list_shows_items_in_their_objection_period(self):
        self.warn(10)
        response = self.anonymous.get(reverse("campaigns:objection_period"))
        self.assertContains(response, "KSP Beta Mandiri")
        self.assertNotContains(response, "Koperasi Alpha Sejahtera")
        ends = self.item_b.objection_ends_on
        self.assertContains(response, f"{ends.day} ")

    def test_the_warning_letter_s_qr_code_leads_to_the_objection(self):
        # Its verification page said only "Surat ini sah": no last day, no way
        # to object, no way to the cooperative's page.
        self.warn(10)
        letter = self.warning_letter()
        url = reverse("campaigns:verify_letter", args=[letter.verification_token])
        page = self.anonymous.get(url)
        self.assertContains(page, 'id="objection-notice"')
        self.assertContains(
            page, reverse("campaigns:objection_create", args=[self.item_b.pk])
        )
        self.assertContains(page, reverse("public:cooperative", args=[self.coop_b.pk]))
        # The notice comes first on the letter's page (the phone's first screen).
        page = page.content.decode()
        assert page.index('id="objection-notice"') < page.index('id="verification"')
        # The public page says it first, instead of the status's own advice
        # ("beri tahu Dinas": a report, which does not stop a dissolution).
        type(self.coop_b).objects.filter(pk=self.coop_b.pk).update(status="tidak_aktif")
        public = self.anonymous.get(
            reverse("public:cooperative", args=[self.coop_b.pk])
        ).content.decode()
        assert public.index('id="objection-notice"') < public.index(
            'id="status-summary"'
        )
        assert 'data-testid="status-meaning"' not in public
        assert "pengurus, anggota, atau pihak yang berkepentingan" in public

    def test_after_the_period_it_leaves_the_list_and_becomes_f(self):
        self.warn(70)
        response = self.anonymous.get(reverse("campaigns:objection_period"))
        self.assertNotContains(response, "KSP Beta Mandiri")
        self.assertEqual(campaign_refresh(), 1)
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.proposed_class, "F")

    def test_a_member_files_an_objection_which_pauses_f(self):
        self.warn(10)
        url = reverse("campaigns:objection_create", args=[self.item_b.pk])
        form = self.anonymous.get(url)
        self.assertEqual(form.status_code, 200)
        # What proof helps, and the size, before choosing.
        self.assertContains(form, "berita acara RAT terakhir")
        self.assertContains(form, "Paling besar 10 MB.")
        response = self.anonymous.post(
            url,
            {
                "name": "Budi Anggota",
                "contact": "0812000111",
                "text": "Kami masih berkegiatan; RAT 2025 sudah diadakan.",
                "document": SimpleUploadedFile("bukti.pdf", PDF),
            },
            follow=True,
        )
        self.assertContains(response, "Keberatan Anda sudah kami terima")
        # The "received" page was reached by a redirect: reloading it files nothing.
        done, _ = response.redirect_chain[-1]
        self.assertContains(
            self.anonymous.get(done), "Keberatan Anda sudah kami terima"
        )
        objection = Objection.objects.get()
        self.assertEqual(objection.status, ObjectionStatus.TERBUKA)
        # A number to quote, as a concern has: on the page and with staff.
        self.assertRegex(objection.reference, r"^[A-Z2-9]{8}$")
        self.assertContains(
            response,
            f'Nomor keberatan: <strong data-testid="reference">'
            f"{objection.reference}</strong>",
        )
        # The period ends; an open objection keeps it from F.
        self.warn(70)
        campaign_refresh()
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.proposed_class, "C")
        # Staff see it on the campaign and decide.
        staff = self.client_for(self.staff)
        page = staff.get(reverse("campaigns:objections", args=[2025]))
        self.assertContains(page, "Budi Anggota")
        self.assertContains(page, objection.reference)
        # When it is to be answered by, and what each answer does.
        due = objection.answer_due
        received = timezone.localdate(objection.created_at)
        self.assertEqual((due - received).days in (28, 29, 30, 31), True)
        self.assertContains(page, f"Dijawab paling lambat {date_format(due, 'j F Y')}")
        self.assertContains(page, "<strong>Terima keberatan</strong>: surat")
        staff.post(
            reverse("campaigns:objection_decide", args=[objection.pk]),
            {"accept": "0", "answer": "Tidak ada bukti RAT."},
        )
        objection.refresh_from_db()
        self.assertEqual(objection.status, ObjectionStatus.DITOLAK)
        # Rejected, not "sent back for correction", in the office's record too.
        from audit.models import AuditAction, AuditEvent

        self.assertTrue(
            AuditEvent.objects.filter(
                object_id=str(objection.pk), action=AuditAction.REJECT
            ).exists()
        )
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.proposed_class, "F")

    def test_an_accepted_objection_withdraws_the_plan(self):
        self.warn(10)
        self.warning_letter()
        objection = Objection.objects.create(
            item=self.item_b, name="A", contact="B", text="C"
        )
        self.client_for(self.staff).post(
            reverse("campaigns:objection_decide", args=[objection.pk]),
            {"accept": "1", "answer": "RAT terbukti."},
        )
        self.item_b.refresh_from_db()
        self.assertIsNone(self.item_b.peringatan_on)
        self.assertIsNotNone(CampaignLetter.objects.get().cancelled_at)
        # The item's page says why: its peringatan "(dibatalkan)" stood beside
        # "Belum ada bukti", with no word of the objection.
        page = self.client_for(self.staff).get(self.item_b.get_absolute_url())
        self.assertContains(page, 'id="item-objections"')
        self.assertContains(page, "Jawaban Dinas: RAT terbukti.")
        # And what is left to do: the status is staff's to decide.
        self.assertContains(page, 'data-testid="decide-after-objection"')

    def test_an_objection_accepted_with_the_rat_it_shows_is_evidence(self):
        # Accepted with a berita acara attached, the cooperative stayed class C
        # ("tidak ada RAT") beside a decision of Aktif, in R3 and R4 too.
        from campaigns.models import Evidence, EvidenceKind

        self.warn(10)
        objection = Objection.objects.create(
            item=self.item_b,
            name="Anggota",
            contact="0812 3456 7890",
            text="RAT tahun buku 2025 sudah diadakan.",
            document=SimpleUploadedFile("ba.pdf", PDF),
        )
        staff = self.client_for(self.staff)
        url = reverse("campaigns:objection_decide", args=[objection.pk])
        page = staff.get(reverse("campaigns:objections", args=[2025]))
        self.assertContains(page, 'data-testid="objection-rat"')
        # Refused with the RAT a confirmation would be refused with; nothing kept.
        response = staff.post(
            url,
            {
                "accept": "1",
                "answer": "x",
                "rat_date": "2025-01-05",
                "rat_year": "2025",
            },
            follow=True,
        )
        self.assertContains(response, "belum berakhir pada tanggal RAT")
        objection.refresh_from_db()
        self.assertEqual(objection.status, ObjectionStatus.TERBUKA)
        # Nor with a rejection.
        response = staff.post(
            url,
            {
                "accept": "0",
                "answer": "x",
                "rat_date": "2026-03-10",
                "rat_year": "2025",
            },
            follow=True,
        )
        self.assertContains(response, "hanya dicatat bila keberatan diterima")
        staff.post(
            url,
            {
                "accept": "1",
                "answer": "Berita acara RAT terlampir.",
                "rat_date": "2026-03-10",
                "rat_year": "2025",
            },
        )
        evidence = Evidence.objects.get(item=self.item_b)
        self.assertEqual(evidence.kind, EvidenceKind.KEBERATAN)
        self.assertEqual((evidence.rat_year, evidence.status), (2025, "diterima"))
        self.assertEqual(evidence.document.name, objection.document.name)
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.proposed_class, "A")
        self.coop_b.refresh_from_db()
        self.assertEqual(str(self.coop_b.last_rat_date), "2026-03-10")
        page = staff.get(self.item_b.get_absolute_url())
        self.assertContains(page, "Keberatan diterima")

    def test_an_objection_s_rat_is_refused_for_a_dissolved_cooperative(self):
        # It had made the cooperative class A beside "Dibubarkan" and written
        # its last RAT; a refused decision said "Tulis jawaban" beside the answer
        # written, and lost it.
        from campaigns.models import Evidence
        from campaigns.tests.base import dissolve

        self.warn(10)
        objection = Objection.objects.create(
            item=self.item_b, name="A", contact="0812 3456 7890", text="RAT ada."
        )
        staff = self.client_for(self.staff)
        url = reverse("campaigns:objection_decide", args=[objection.pk])
        response = staff.post(
            url,
            {"accept": "1", "answer": "Jawaban panjang", "rat_date": "2999-03-01"},
            follow=True,
        )
        self.assertContains(response, "Tanggal RAT yang dibuktikan:")
        self.assertNotContains(response, "Tulis jawaban atas keberatan")
        self.assertContains(response, "Jawaban panjang</textarea>")
        self.assertContains(response, 'value="2999-03-01"')
        # Kept once: the next visit starts empty.
        page = staff.get(reverse("campaigns:objections", args=[2025]))
        self.assertNotContains(page, "Jawaban panjang</textarea>")
        dissolve(self.coop_b, by=self.staff)
        page = staff.get(reverse("campaigns:objections", args=[2025]))
        self.assertNotContains(page, 'data-testid="objection-rat"')
        response = staff.post(
            url,
            {
                "accept": "1",
                "answer": "x",
                "rat_date": "2026-03-10",
                "rat_year": "2025",
            },
            follow=True,
        )
        self.assertContains(response, "sudah dibubarkan")
        self.assertFalse(Evidence.objects.exists())
        self.coop_b.refresh_from_db()
        self.assertIsNone(self.coop_b.last_rat_date)

    def test_an_objection_s_rat_without_its_document_is_said_unproven(self):
        self.warn(10)
        objection = Objection.objects.create(
            item=self.item_b, name="A", contact="0812 3456 7890", text="RAT ada."
        )
        staff = self.client_for(self.staff)
        staff.post(
            reverse("campaigns:objection_decide", args=[objection.pk]),
            {
                "accept": "1",
                "answer": "x",
                "rat_date": "2026-03-10",
                "rat_year": "2025",
            },
        )
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.proposed_class, "B")  # unproven: at most B
        page = staff.get(self.item_b.get_absolute_url())
        self.assertContains(page, "Keberatan tanpa dokumen")

    def test_after_an_accepted_objection_no_further_letter_goes(self):
        # The next peringatan batch issued the withdrawn peringatan again the
        # same day, and the cooperative was back on the public list.
        self.warn(10)
        for sequence, (kind, days_ago) in enumerate(
            [("pemberitahuan", 130), ("teguran_1", 95), ("teguran_2", 60)], 1
        ):
            CampaignLetter.objects.create(
                item=self.item_b,
                kind=kind,
                sequence=sequence,
                number=f"00{sequence}/X/2025",
                issued_on=timezone.localdate() - timedelta(days=days_ago),
                verification_token=f"00000000-0000-0000-0000-00000000000{sequence}",
            )
        CampaignLetter.objects.create(
            item=self.item_b,
            kind="peringatan",
            sequence=4,
            number="004/X/2025",
            issued_on=self.item_b.peringatan_on,
            verification_token="00000000-0000-0000-0000-000000000004",
        )
        objection = Objection.objects.create(
            item=self.item_b, name="A", contact="B", text="C"
        )
        staff = self.client_for(self.staff)
        staff.post(
            reverse("campaigns:objection_decide", args=[objection.pk]),
            {"accept": "1", "answer": "Pengurus masih berkegiatan."},
        )
        response = staff.post(
            reverse("campaigns:letters", args=[2025]),
            {"kind": "peringatan", "issued_on": timezone.localdate().isoformat()},
            follow=True,
        )
        self.assertContains(response, "Tidak ada koperasi yang menunggu surat ini")
        self.assertEqual(
            CampaignLetter.objects.filter(
                kind="peringatan", cancelled_at__isnull=True
            ).count(),
            0,
        )
        page = self.anonymous.get(reverse("campaigns:objection_period"))
        self.assertNotContains(page, self.coop_b.name)

    def test_the_same_objection_sent_again_after_going_back_files_nothing(self):
        self.warn(10)
        url = reverse("campaigns:objection_create", args=[self.item_b.pk])
        data = {"name": "Budi", "contact": "0812 3456 7890", "text": "Masih aktif"}
        first = self.anonymous.post(url, data)
        again = self.anonymous.post(url, data)
        self.assertEqual(again["Location"], first["Location"])
        self.assertEqual(Objection.objects.count(), 1)
        self.anonymous.post(url, {**data, "text": "Masih aktif; RAT Maret."})
        self.assertEqual(Objection.objects.count(), 2)

    def test_sent_again_with_the_document_forgotten_it_keeps_the_document(self):
        # The same words again with a file attached were taken for the first
        # sending: "sudah kami terima", and the document was dropped unseen.
        self.warn(10)
        url = reverse("campaigns:objection_create", args=[self.item_b.pk])
        data = {"name": "Budi", "contact": "0812 3456 7890", "text": "Masih aktif"}
        self.anonymous.post(url, data)
        with_file = {**data, "document": SimpleUploadedFile("bukti.pdf", PDF)}
        self.anonymous.post(url, with_file)
        self.assertEqual(Objection.objects.count(), 2)
        self.assertTrue(Objection.objects.latest("pk").document)
        # The same file sent again is still the same sending.
        again = {**data, "document": SimpleUploadedFile("lagi.pdf", PDF)}
        self.anonymous.post(url, again)
        self.assertEqual(Objection.objects.count(), 2)

    def test_sent_with_a_document_then_again_without_it_files_once(self):
        # Going back to the form and sending it again: a browser keeps no
        # chosen file, and the words alone are the sending that had it.
        self.warn(10)
        url = reverse("campaigns:objection_create", args=[self.item_b.pk])
        data = {"name": "Budi", "contact": "0812 3456 7890", "text": "Masih aktif"}
        first = self.anonymous.post(
            url, {**data, "document": SimpleUploadedFile("bukti.pdf", PDF)}
        )
        again = self.anonymous.post(url, data)
        self.assertEqual(again["Location"], first["Location"])
        self.assertEqual(Objection.objects.count(), 1)
        self.assertTrue(Objection.objects.get().document)

    def test_the_received_page_says_by_when_and_where_the_answer_comes(self):
        self.warn(10)
        url = reverse("campaigns:objection_create", args=[self.item_b.pk])
        data = {"name": "Budi", "contact": "0812 3456 7890", "text": "Masih aktif"}
        page = self.anonymous.post(url, data, follow=True)
        objection = Objection.objects.get()
        due = date_format(objection.answer_due, "j F Y")
        self.assertContains(page, f"dijawab paling lambat <strong>{due}</strong>")
        self.assertContains(page, "ke 0812-3456-7890")  # as people write it
        self.assertContains(page, "pembubaran koperasi ini tidak dilanjutkan")
        self.assertContains(page, objection.reference)

    def test_the_public_notice_says_an_objection_is_under_review(self):
        # Another member found "Ajukan keberatan" alone, and filed the same again.
        self.warn(10)
        page = self.anonymous.get(reverse("public:cooperative", args=[self.coop_b.pk]))
        self.assertNotContains(page, 'data-testid="objections-reviewing"')
        url = reverse("campaigns:objection_create", args=[self.item_b.pk])
        data = {"name": "Budi", "contact": "0812 3456 7890", "text": "Masih aktif"}
        self.anonymous.post(url, data)
        cache.clear()  # the public page is kept a few minutes
        page = self.anonymous.get(reverse("public:cooperative", args=[self.coop_b.pk]))
        self.assertContains(page, "1 keberatan sedang diperiksa Dinas")
        listed = self.anonymous.get(reverse("campaigns:objection_period"))
        self.assertContains(listed, "1 keberatan sedang diperiksa Dinas")

    def test_the_form_says_how_large_a_document_may_be_before_it_is_chosen(self):
        self.warn(10)
        url = reverse("campaigns:objection_create", args=[self.item_b.pk])
        self.assertContains(self.anonymous.get(url), "Paling besar 10 MB.")

    def test_the_received_page_needs_a_real_receipt(self):
        self.warn(10)
        done = reverse("campaigns:objection_done", args=[self.item_b.pk])
        for query in ("", "?tanda=palsu"):
            with self.subTest(query=query):
                response = self.anonymous.get(done + query)
                self.assertRedirects(response, reverse("campaigns:objection_period"))

    def test_the_form_is_closed_outside_the_period(self):
        url = reverse("campaigns:objection_create", args=[self.item_b.pk])
        self.assertEqual(self.anonymous.get(url).status_code, 404)
        self.warn(70)
        page = self.anonymous.get(url)
        # Said, with the way back: a link kept by a phone or the public page's
        # cache had led to a bare "Halaman tidak ditemukan".
        self.assertContains(page, 'data-testid="objection-closed"', status_code=404)
        self.assertContains(page, self.coop_b.name, status_code=404)
        other = reverse("campaigns:objection_create", args=[999_999])
        self.assertNotContains(
            self.anonymous.get(other), "objection-closed", status_code=404
        )

    def test_missing_fields_keep_what_was_typed(self):
        self.warn(10)
        url = reverse("campaigns:objection_create", args=[self.item_b.pk])
        response = self.anonymous.post(url, {"name": "Budi", "text": ""})
        self.assertContains(response, "Budi")
        self.assertContains(response, "is-invalid")
        self.assertFalse(Objection.objects.exists())

    def test_an_objection_of_invisible_characters_or_one_letter_is_refused(self):
        # Both were taken and showed blank, or as "x", to staff.
        self.warn(10)
        url = reverse("campaigns:objection_create", args=[self.item_b.pk])
        data = {"name": "Budi", "contact": "0812 3456 7890"}
        for text, message in (
            ("\u200b" * 30, "Bidang ini tidak boleh kosong"),
            ("x", "paling sedikit 10 karakter"),
            # Padded out with what shows nothing: still "x" and "x y" to staff.
            ("x" + "\u200b" * 9, "paling sedikit 10 karakter"),
            ("x         y", "paling sedikit 10 karakter"),
        ):
            with self.subTest(text=text):
                response = self.anonymous.post(url, {**data, "text": text})
                self.assertContains(response, message)
        self.assertFalse(Objection.objects.exists())

    def test_a_contact_nobody_can_reach_is_refused_with_an_example(self):
        self.warn(10)
        url = reverse("campaigns:objection_create", args=[self.item_b.pk])
        for contact in ("abc", "budi@", "0812"):
            with self.subTest(contact):
                response = self.anonymous.post(
                    url, {"name": "Budi", "contact": contact, "text": "Masih aktif"}
                )
                self.assertContains(response, "misalnya 0812 3456 7890")
        self.assertFalse(Objection.objects.exists())
        self.anonymous.post(
            url, {"name": "Budi", "contact": "0812-3456-7890", "text": "Masih aktif"}
        )
        self.assertEqual(Objection.objects.get().contact, "+6281234567890")

    def test_a_file_is_judged_beside_the_other_fields_and_asked_for_again(self):
        self.warn(10)
        url = reverse("campaigns:objection_create", args=[self.item_b.pk])
        data = {"name": "Budi", "contact": "abc", "text": "Masih aktif"}
        bad = SimpleUploadedFile("catatan.txt", b"bukan dokumen")
        response = self.anonymous.post(url, {**data, "document": bad})
        errors = response.context["form"].errors
        self.assertIn("contact", errors)
        self.assertIn("Jenis berkas tidak diterima", " ".join(errors["document"]))
        good = SimpleUploadedFile("bukti.pdf", PDF)
        response = self.anonymous.post(url, {**data, "document": good})
        self.assertIn(
            "Pilih berkasnya lagi",
            " ".join(response.context["form"].errors["document"]),
        )
        self.assertFalse(Objection.objects.exists())

    def test_too_many_objections_from_one_address_are_refused(self):
        self.warn(10)
        url = reverse("campaigns:objection_create", args=[self.item_b.pk])
        data = {"name": "Budi", "contact": "0812 3456 7890"}
        # Each a different objection (the same one sent again is the first).
        for number in range(5):
            self.anonymous.post(url, {**data, "text": f"Masih aktif {number}"})
        response = self.anonymous.post(url, {**data, "text": "Masih aktif 5"})
        self.assertEqual(response.status_code, 429)
        self.assertEqual(Objection.objects.count(), 5)
        # Another way is named, with the office's address and phone (members at
        # one meeting share one address).
        self.assertContains(
            response, "ajukan langsung ke kantor Dinas", status_code=429
        )
        self.assertContains(response, 'data-testid="office-contact"', status_code=429)

    def test_staff_pages_are_for_staff(self):
        objection = Objection.objects.create(
            item=self.item_b, name="A", contact="B", text="C"
        )
        page = reverse("campaigns:objections", args=[2025])
        self.assertEqual(self.client_for(self.officer_b).get(page).status_code, 404)
        decide = reverse("campaigns:objection_decide", args=[objection.pk])
        data = {"accept": "0", "answer": "x"}
        self.assertEqual(
            self.client_for(self.officer_b).post(decide, data).status_code, 404
        )
        self.assertEqual(self.client_for(self.staff).get(decide).status_code, 405)

    def test_the_public_page_of_the_cooperative_announces_it(self):
        url = reverse("public:cooperative", args=[self.coop_b.pk])
        self.assertNotContains(self.anonymous.get(url), "direncanakan untuk dibubarkan")
        self.warn(10)
        response = self.anonymous.get(url)
        self.assertContains(response, "direncanakan untuk dibubarkan")
        self.assertContains(
            response, reverse("campaigns:objection_create", args=[self.item_b.pk])
        )

    def test_a_cooperative_found_active_leaves_the_announcement(self):
        import datetime

        from campaigns.services import visit_record

        self.warn(10)
        visit_record(
            acting_user=self.staff,
            item=self.item_b,
            on=datetime.date(2026, 1, 5),
            result="ditemukan_aktif",
        )
        response = self.anonymous.get(reverse("campaigns:objection_period"))
        self.assertNotContains(response, "KSP Beta Mandiri")
        url = reverse("campaigns:objection_create", args=[self.item_b.pk])
        self.assertEqual(self.anonymous.get(url).status_code, 404)
