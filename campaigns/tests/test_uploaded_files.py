"""Documents and photos people upload to a campaign (a confirmation's berita acara,
a visit's statement, an objection's document) are kept under names of our own and
served so that a browser never runs them: an HTML page dressed as a PDF stays a PDF
in a sandbox, and a file kept under its sender's ".html" name is only a download."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Evidence, Objection
from campaigns.tests.base import CampaignTestCase
from reports.tests.rat_testing import PDF  # a real one-page PDF

# A page a browser would run, followed by a real PDF: readers find the PDF header
# within the first kilobyte, so this passes as a PDF.
DRESSED_AS_PDF = b"<html><script>alert(document.cookie)</script>" + PDF


class ServedSafelyTests(CampaignTestCase):
    def assert_sandboxed(self, response, content_type):
        # Read to its end: the test client then closes the file it streams from
        # (response.close() here would also close the test's database connection).
        b"".join(response.streaming_content)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], content_type)
        self.assertIn("sandbox", response["Content-Security-Policy"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("no-store", response["Cache-Control"])

    def test_a_page_dressed_as_a_pdf_is_kept_and_served_as_a_pdf(self):
        self.client_for(self.officer_b).post(
            reverse("campaigns:confirm", args=[self.item_b.pk]),
            {
                "rat_date": "2026-03-10",
                "rat_year": "2025",
                "berita_acara": SimpleUploadedFile(
                    "berita_acara.html", DRESSED_AS_PDF, content_type="text/html"
                ),
            },
        )
        evidence = Evidence.objects.get(item=self.item_b)
        stored = evidence.document.name.rsplit("/", 1)[-1]
        self.assertTrue(stored.startswith("berita-acara-"), stored)
        self.assertTrue(stored.endswith(".pdf"), stored)
        self.assertNotIn("html", stored)
        url = reverse("campaigns:evidence_file", args=[evidence.pk, "dokumen", 0])
        response = self.client_for(self.staff).get(url)
        self.assert_sandboxed(response, "application/pdf")
        self.assertIn("inline", response["Content-Disposition"])

    def test_a_file_kept_under_an_html_name_is_only_a_download(self):
        # Kept before uploads were named by their type: served by its bytes.
        evidence = Evidence.objects.create(
            item=self.item_b, kind="konfirmasi", on=timezone.localdate()
        )
        evidence.document.save(
            "berita_acara.html", ContentFile(b"<html><script>x()</script></html>")
        )
        url = reverse("campaigns:evidence_file", args=[evidence.pk, "dokumen", 0])
        response = self.client_for(self.staff).get(url)
        self.assert_sandboxed(response, "application/octet-stream")
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertTrue(response["Content-Disposition"].endswith('.bin"'))
        # The same file dressed as a PDF is a PDF in a sandbox, whatever its name.
        evidence.document.save("berita_acara.svg", ContentFile(DRESSED_AS_PDF))
        response = self.client_for(self.staff).get(url)
        self.assert_sandboxed(response, "application/pdf")

    def test_an_objections_document_is_kept_and_served_the_same_way(self):
        self.item_b.peringatan_on = timezone.localdate() - timedelta(days=10)
        self.item_b.save()
        self.anonymous.post(
            reverse("campaigns:objection_create", args=[self.item_b.pk]),
            {
                "name": "Budi Anggota",
                "contact": "0812000111",
                "text": "Kami masih berkegiatan.",
                "document": SimpleUploadedFile("bukti.html", DRESSED_AS_PDF),
            },
        )
        objection = Objection.objects.get()
        stored = objection.document.name.rsplit("/", 1)[-1]
        self.assertTrue(stored.startswith("keberatan-"), stored)
        self.assertTrue(stored.endswith(".pdf"), stored)
        url = reverse("campaigns:objection_document", args=[objection.pk])
        self.assert_sandboxed(self.client_for(self.staff).get(url), "application/pdf")

    def test_a_photo_is_served_as_the_jpeg_it_was_made(self):
        from campaigns.tests.test_evidence import jpeg_with_gps

        self.client_for(self.officer_b).post(
            reverse("campaigns:confirm", args=[self.item_b.pk]),
            {"rat_date": "2026-03-10", "rat_year": "2025", "photo": jpeg_with_gps()},
        )
        evidence = Evidence.objects.get(item=self.item_b)
        photo = evidence.photos.get()
        # Kept under a name of ours: not the sender's ("kantor.jpg").
        self.assertTrue(photo.file.name.rsplit("/", 1)[-1].startswith("foto-"))
        url = reverse("campaigns:evidence_file", args=[evidence.pk, "foto", photo.pk])
        response = self.client_for(self.staff).get(url)
        self.assertIn('filename="foto-', response["Content-Disposition"])
        self.assert_sandboxed(response, "image/jpeg")
