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
