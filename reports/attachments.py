"""What an uploaded RAT attachment really is, judged by its bytes, not its name."""

import hashlib
import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
ALLOWED = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}

# A PDF may carry a little junk before its header; readers look in the first 1 KB.
_PDF_HEADER_WINDOW = 1024
# ... and its end marker sits in the last few bytes (a truncated upload has none).
_PDF_TRAILER_WINDOW = 2048
# An image is decoded whole to prove it complete; its header is believed only up to
# this many pixels (60 megapixels: a phone photo is 12-50, and decoding 60 costs about
# 180 MB). A 69-byte file claiming 30000 x 30000 is refused before any decoding.
MAX_IMAGE_PIXELS = 60_000_000


class AttachmentRejected(ValueError):
    """The file is not one we accept; the message says why, in Bahasa Indonesia."""


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    size: int
    sha256: str


def sniff(handle: IO[bytes], *, max_bytes: int) -> Sniffed:
    """Read the whole file once: its type from its content, its size and hash.

    Raises ``AttachmentRejected`` for anything other than a complete PDF, JPEG or PNG
    or for a file larger than ``max_bytes``.
    """
    handle.seek(0)
    data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        limit = max_bytes // (1024 * 1024)
        raise AttachmentRejected(
            _("Berkas terlalu besar; batasnya %(limit)s MB per berkas.")
            % {"limit": limit}
        )
    if not data:
        raise AttachmentRejected(_("Berkas kosong."))
    content_type = _content_type(data)
    handle.seek(0)
    return Sniffed(content_type, len(data), hashlib.sha256(data).hexdigest())


def refusal(handle: IO[bytes], *, max_bytes: int) -> str | None:
    """Why ``sniff`` would refuse the file (its type, its size, a damaged file), or
    None; for a form that says so beside its other errors. The file is left at
    its start."""
    try:
        sniff(handle, max_bytes=max_bytes)
    except AttachmentRejected as exc:
        return str(exc)
    finally:
        handle.seek(0)
    return None


def _content_type(data: bytes) -> str:
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        if b"%%EOF" not in data[-_PDF_TRAILER_WINDOW:]:
            raise AttachmentRejected(
                _("Berkas PDF tidak utuh (terpotong). Unggah ulang berkasnya.")
            )
        _check_pdf(data)
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        _check_image(data, "JPEG")
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_image(data, "PNG")
        return PNG
    raise AttachmentRejected(
        _(
            "Jenis berkas tidak diterima. Unggah PDF, JPEG atau PNG (isi berkas yang "
            "diperiksa, bukan namanya)."
        )
    )


def _check_pdf(data: bytes) -> None:
    """The PDF opens and has at least one page (pdfium, as a browser would read it).
    pdfium is imported here: the Celery parent process imports this module with
    every task and should not hold the library (about 10 MB) it never uses."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise AttachmentRejected(
            _(
                "Berkas PDF rusak atau terkunci sandi dan tidak dapat dibuka. "
                "Unggah ulang berkasnya."
            )
        ) from exc
    try:
        pages = len(document)
    finally:
        document.close()
    if pages < 1:
        raise AttachmentRejected(_("Berkas PDF tidak berisi halaman."))


def _check_image(data: bytes, expected: str) -> None:
    """The header is within the pixel budget, then every pixel is decoded (a file
    cut short or with its pixel data missing fails here)."""
    broken = _("Gambar rusak atau tidak utuh. Unggah ulang berkasnya.")
    too_large = _(
        "Gambar terlalu besar (batasnya %(limit)s megapiksel). Perkecil resolusinya "
        "atau unggah sebagai PDF."
    ) % {"limit": MAX_IMAGE_PIXELS // 1_000_000}
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb guard warns, then raises; both are a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                actual = image.format
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise AttachmentRejected(too_large)
                with _truncated_images_refused():
                    image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise AttachmentRejected(too_large) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise AttachmentRejected(broken) from exc
    if actual != expected:
        raise AttachmentRejected(broken)


_truncation_lock = threading.Lock()


@contextmanager
def _truncated_images_refused() -> Iterator[None]:
    """Pillow's process-wide LOAD_TRUNCATED_IMAGES, off while we decode: WeasyPrint
    turns it on when it is imported (by the first PDF a process renders), after
    which an image cut short would decode "fine" with grey where its pixels are
    missing. Our PDFs hold no raster image, so a render at the same moment loses
    nothing."""
    with _truncation_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous
