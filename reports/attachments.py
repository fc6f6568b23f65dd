"""What an uploaded RAT attachment really is, judged by its bytes, not its name."""

import hashlib
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from lib.images import ImageBroken, ImageRefused, decoded
from lib.pdfium import pdfium
from lib.uploads import JPEG, PDF, PNG, type_of

ALLOWED = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}

# A PDF's end marker sits in the last few bytes (a truncated upload has none).
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
    found = type_of(data)
    if found == PDF:
        if b"%%EOF" not in data[-_PDF_TRAILER_WINDOW:]:
            raise AttachmentRejected(
                _("Berkas PDF tidak utuh (terpotong). Unggah ulang berkasnya.")
            )
        _check_pdf(data)
        return PDF
    if found in (JPEG, PNG):
        _check_image(data, ALLOWED[found])
        return found
    raise AttachmentRejected(
        _(
            "Jenis berkas tidak diterima. Unggah PDF, JPEG atau PNG (isi berkas yang "
            "diperiksa, bukan namanya)."
        )
    )


def _check_pdf(data: bytes) -> None:
    """The PDF opens and has at least one page (pdfium, as a browser would read it).
    pdfium is imported here: the Celery parent process imports this module with
    every task and should not hold the library (about 10 MB) it never uses.
    One call at a time (``lib.pdfium``)."""
    with pdfium() as library:
        try:
            document = library.PdfDocument(data)
        except library.PdfiumError as exc:
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
    try:
        image = decoded(data)
    except ImageRefused as exc:
        raise AttachmentRejected(str(exc)) from exc
    with image:
        if image.format != expected:
            raise AttachmentRejected(str(ImageBroken()))
