"""What an uploaded RAT attachment really is, judged by its bytes, not its name."""

import hashlib
import io
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
ALLOWED = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}

# A PDF may carry a little junk before its header; readers look in the first 1 KB.
_PDF_HEADER_WINDOW = 1024
# ... and its end marker sits in the last few bytes (a truncated upload has none).
_PDF_TRAILER_WINDOW = 2048


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


def _content_type(data: bytes) -> str:
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        if b"%%EOF" not in data[-_PDF_TRAILER_WINDOW:]:
            raise AttachmentRejected(
                _("Berkas PDF tidak utuh (terpotong). Unggah ulang berkasnya.")
            )
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


def _check_image(data: bytes, expected: str) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            actual = image.format
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise AttachmentRejected(
            _("Gambar rusak atau tidak utuh. Unggah ulang berkasnya.")
        ) from exc
    if actual != expected:
        raise AttachmentRejected(_("Gambar rusak atau tidak utuh."))
