"""rat_attachment_upload: documents checked by content and size, then served."""

from django.urls import reverse

from .rat_testing import PDF, OfficerDraftTestCase, upload


class RatAttachmentUploadTests(OfficerDraftTestCase):
    def test_uploads_are_checked_by_content_and_size(self):
        url = reverse("reports:rat_attachment_upload", args=[self.report.pk])
        fake = upload("neraca.pdf", b"<html>bukan pdf</html>")
        response = self.client.post(url, {"kind": "neraca", "file": fake}, follow=True)
        self.assertContains(response, "Jenis berkas tidak diterima")
        with self.settings(RAT_ATTACHMENT_MAX_MB=1):
            big = upload("besar.pdf", b"%PDF-" + b"0" * (1024 * 1024) + b"%%EOF")
            response = self.client.post(
                url, {"kind": "neraca", "file": big}, follow=True
            )
        self.assertContains(response, "batasnya 1 MB")
        self.assertFalse(self.report.attachments.exists())
        response = self.client.post(
            url, {"kind": "neraca", "file": upload("neraca.pdf")}, follow=True
        )
        self.assertContains(response, "Neraca diunggah")
        attachment = self.report.attachments.get()
        served = self.client.get(
            reverse("reports:rat_attachment", args=[attachment.pk])
        )
        self.assertEqual(served["Content-Type"], "application/pdf")
        self.assertEqual(served.getvalue(), PDF)
        self.assertIn("sandbox", served["Content-Security-Policy"])
        # Saved under a name of ours with its type's ending, never the sender's.
        self.assertIn(
            f'filename="neraca-{self.report.tahun_buku}.pdf"',
            served["Content-Disposition"],
        )

    def test_a_page_named_html_downloads_as_the_pdf_it_is(self):
        url = reverse("reports:rat_attachment_upload", args=[self.report.pk])
        evil = upload("<img src=x onerror=alert(1)>evil.html", b"<html>x</html>" + PDF)
        self.client.post(url, {"kind": "neraca", "file": evil}, follow=True)
        attachment = self.report.attachments.get()
        served = self.client.get(
            reverse("reports:rat_attachment", args=[attachment.pk])
        )
        self.assertEqual(served.getvalue()[:6], b"<html>")  # read: the file closes
        self.assertNotIn("html", served["Content-Disposition"])
        self.assertTrue(served["Content-Disposition"].endswith('.pdf"'))

    def test_a_file_name_keeps_what_it_shows_only(self):
        # A direction override shows the rest of a name backwards, to staff too.
        url = reverse("reports:rat_attachment_upload", args=[self.report.pk])
        name = "\u202eneraca\u200b 2024.pdf"
        self.client.post(url, {"kind": "neraca", "file": upload(name)})
        self.assertEqual(self.report.attachments.get().original_name, "neraca 2024.pdf")

    def test_several_documents_are_chosen_at_once_each_with_its_kind(self):
        url = reverse("reports:rat_attachment_upload", args=[self.report.pk])
        files = [
            upload("BA RAT 2024.pdf"),
            upload("scan-001.pdf"),
            upload("neraca 2024.pdf"),
            upload("scan-002.pdf"),
        ]
        # The second file's kind is chosen; the others' are left to the form.
        data = {"file": files, "kind": ["", "laporan_hasil_usaha", "", ""]}
        response = self.client.post(url, data, follow=True)
        kinds = dict(self.report.attachments.values_list("original_name", "kind"))
        self.assertEqual(
            kinds,
            {
                "BA RAT 2024.pdf": "berita_acara",
                "scan-001.pdf": "laporan_hasil_usaha",
                "neraca 2024.pdf": "neraca",
                # The one required document still missing.
                "scan-002.pdf": "daftar_hadir",
            },
        )
        for label in ("Berita acara RAT", "Laporan hasil usaha", "Neraca"):
            self.assertContains(response, f"{label} diunggah.")

    def test_an_empty_file_is_refused_by_name_and_the_others_kept(self):
        # One empty file among several threw the whole batch away with
        # "Berkas yang dikirimkan kosong." and no name.
        url = reverse("reports:rat_attachment_upload", args=[self.report.pk])
        files = [upload("neraca.pdf"), upload("berita acara.pdf", b"")]
        response = self.client.post(url, {"file": files}, follow=True)
        self.assertContains(response, "Neraca diunggah.")
        self.assertContains(response, "berita acara.pdf: Berkas kosong.")
        kinds = list(self.report.attachments.values_list("kind", flat=True))
        self.assertEqual(kinds, ["neraca"])

    def test_a_file_whose_kind_cannot_be_told_is_refused_with_its_name(self):
        url = reverse("reports:rat_attachment_upload", args=[self.report.pk])
        files = [upload(f"scan-{i}.pdf") for i in range(5)]
        response = self.client.post(url, {"file": files}, follow=True)
        # Five unnamed files for four missing documents: none is guessed.
        self.assertContains(
            response,
            "scan-4.pdf belum disimpan: pilih jenis dokumennya, lalu unggah lagi.",
        )
        self.assertContains(response, "scan-0.pdf belum disimpan")
        self.assertFalse(self.report.attachments.exists())
        # Files told by their names are stored beside one that is not (every
        # required document is named, so none is left for it).
        names = [
            "neraca.pdf",
            "berita acara.pdf",
            "daftar hadir.pdf",
            "hasil usaha.pdf",
        ]
        named = [upload(name) for name in [*names, "scan001.pdf"]]
        response = self.client.post(url, {"file": named}, follow=True)
        self.assertContains(response, "Neraca diunggah.")
        self.assertContains(response, "Berita acara RAT diunggah.")
        self.assertContains(response, "scan001.pdf belum disimpan")
        self.assertEqual(self.report.attachments.count(), 4)
        self.report.attachments.all().delete()
        two = [upload("neraca.pdf"), upload("neraca-revisi.pdf")]
        response = self.client.post(url, {"file": two}, follow=True)
        self.assertContains(response, "Dua berkas untuk dokumen yang sama: Neraca.")

    def test_a_file_refused_anyway_says_why_before_asking_for_its_kind(self):
        url = reverse("reports:rat_attachment_upload", args=[self.report.pk])
        files = [upload(f"scan-{i}.pdf") for i in range(4)]
        files.append(upload("catatan.txt", b"bukan dokumen"))
        response = self.client.post(url, {"file": files}, follow=True)
        self.assertContains(response, "catatan.txt: Jenis berkas tidak diterima")
        self.assertNotContains(response, "catatan.txt belum disimpan: pilih jenis")
        self.assertContains(response, "scan-0.pdf belum disimpan: pilih jenis")

    def test_one_bad_file_does_not_stop_the_others(self):
        url = reverse("reports:rat_attachment_upload", args=[self.report.pk])
        files = [upload("neraca.pdf"), upload("daftar hadir.pdf", b"<html>")]
        response = self.client.post(url, {"file": files}, follow=True)
        self.assertContains(response, "Neraca diunggah.")
        self.assertContains(response, "daftar hadir.pdf: Jenis berkas tidak diterima")
        self.assertEqual(self.report.attachments.get().kind, "neraca")

    def test_what_became_of_an_upload_is_said_in_the_attachments_box(self):
        # The page lands at #attachments, 3,000 px down a phone's screen: a refusal
        # shown only at the top of the page looked like a success.
        url = reverse("reports:rat_attachment_upload", args=[self.report.pk])
        files = [upload("neraca.pdf"), upload("daftar hadir.pdf", b"<html>")]
        response = self.client.post(url, {"file": files}, follow=True)
        self.assertEqual(response.redirect_chain[-1][0].split("#")[1], "attachments")
        page = response.content.decode()
        box = page.split('id="attachments"')[1]
        self.assertIn("daftar hadir.pdf: Jenis berkas tidak diterima", box)
        self.assertIn("Neraca diunggah.", box)
        # Said once, not at the top as well.
        self.assertEqual(page.count("daftar hadir.pdf: Jenis berkas tidak diterima"), 1)

    def test_a_removal_asks_first_and_says_which_document_went(self):
        url = reverse("reports:rat_attachment_upload", args=[self.report.pk])
        self.client.post(url, {"file": [upload("neraca.pdf")]})
        attachment = self.report.attachments.get()
        page = self.client.get(reverse("reports:rat_edit", args=[self.report.pk]))
        self.assertContains(page, 'data-confirm="Hapus lampiran Neraca?"')
        response = self.client.post(
            reverse("reports:rat_attachment_delete", args=[attachment.pk]), follow=True
        )
        self.assertEqual(response.redirect_chain[-1][0].split("#")[1], "attachments")
        box = response.content.decode().split('id="attachments"')[1]
        self.assertIn("Lampiran Neraca dihapus.", box)

    def test_the_same_file_as_another_document_is_pointed_out(self):
        # One scan uploaded as Neraca and again as Laporan hasil usaha was taken
        # without a word.
        url = reverse("reports:rat_attachment_upload", args=[self.report.pk])
        self.client.post(url, {"file": [upload("neraca.pdf")]})
        again = {"file": [upload("neraca.pdf")], "kind": ["laporan_hasil_usaha"]}
        response = self.client.post(url, again, follow=True)
        box = response.content.decode().split('id="attachments"')[1]
        self.assertIn("Laporan hasil usaha diunggah.", box)
        self.assertIn(
            "Laporan hasil usaha sama persis dengan berkas Neraca yang sudah "
            "diunggah. Periksa apakah berkasnya tertukar.",
            box,
        )
        other = {"file": [upload("lhu.pdf", PDF + b"% lain\n")], "kind": ["rapb"]}
        response = self.client.post(url, other, follow=True)
        self.assertNotContains(response, "sama persis")
