"""An uploaded image is decoded within a pixel budget and whole; a PDF must open and
have a page. A hostile header is a clear refusal, never a 500."""

import io
import struct

from django.test import SimpleTestCase
from django.urls import reverse
from PIL import Image

from lib.testing import png_claiming
from reports.attachments import AttachmentRejected, sniff
from reports.services import rat_report_start
from tests.personas import PersonaTestCase

from .rat_testing import PDF, jpeg_bytes, upload


def jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(jpeg_bytes())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


ZERO_PAGES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class ContentTests(SimpleTestCase):
    def refusal(self, data: bytes) -> str:
        with self.assertRaises(AttachmentRejected) as caught:
            sniff(io.BytesIO(data), max_bytes=1024 * 1024)
        return str(caught.exception)

    def test_a_decompression_bomb_header_is_refused_as_too_large(self):
        bomb = png_claiming(30000, 30000)
        assert len(bomb) < 100
        assert "terlalu besar" in self.refusal(bomb)
        assert "terlalu besar" in self.refusal(jpeg_claiming(60000, 60000))
        assert "terlalu besar" in self.refusal(png_claiming(10000, 10000))
        # Over the budget but under Pillow's own guard (89 megapixels): the same
        # refusal, not "rusak".
        assert "terlalu besar" in self.refusal(png_claiming(8100, 8100))

    def test_an_image_without_its_pixels_is_refused_as_incomplete(self):
        assert "tidak utuh" in self.refusal(png_claiming(2000, 2000))
        assert "tidak utuh" in self.refusal(jpeg_claiming(2000, 2000)[:-200])

    def test_an_image_cut_short_is_refused_even_after_weasyprint_loaded(self):
        import weasyprint  # noqa: F401  (it sets LOAD_TRUNCATED_IMAGES on import)
        from PIL import ImageFile

        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = True
        self.addCleanup(setattr, ImageFile, "LOAD_TRUNCATED_IMAGES", previous)
        assert "tidak utuh" in self.refusal(png_claiming(2000, 2000))
        assert ImageFile.LOAD_TRUNCATED_IMAGES is True

    def test_a_pdf_must_open_and_have_a_page(self):
        # pdfium will not even open a document whose page tree is empty.
        assert "PDF" in self.refusal(ZERO_PAGES)
        broken = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        assert "tidak dapat dibuka" in self.refusal(broken)
        assert sniff(io.BytesIO(PDF), max_bytes=1024).content_type == "application/pdf"

    def test_a_large_but_honest_image_is_accepted(self):
        buffer = io.BytesIO()
        Image.new("RGB", (3000, 2000), "white").save(buffer, format="PNG")
        found = sniff(io.BytesIO(buffer.getvalue()), max_bytes=10 * 1024 * 1024)
        assert found.content_type == "image/png"


class UploadViewTests(PersonaTestCase):
    def test_the_officer_gets_a_message_not_a_500(self):
        report = rat_report_start(
            acting_user=self.officer_a, cooperative=self.coop_a, tahun_buku=2025
        )
        client = self.client_for(self.officer_a)
        url = reverse("reports:rat_attachment_upload", args=[report.pk])
        for name, data, message in (
            ("foto.png", png_claiming(30000, 30000), "Gambar terlalu besar"),
            ("foto.jpg", jpeg_claiming(60000, 60000), "Gambar terlalu besar"),
            ("kosong.pdf", ZERO_PAGES, "Berkas PDF"),
        ):
            with self.subTest(name):
                response = client.post(
                    url, {"kind": "neraca", "file": upload(name, data)}, follow=True
                )
                assert response.status_code == 200
                self.assertContains(response, "alert-danger", msg_prefix=name)
                self.assertContains(response, message, msg_prefix=name)
        assert not report.attachments.exists()
