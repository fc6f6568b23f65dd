"""What people upload (PDF, JPEG, PNG), stored under names of our own and served so
that a browser never runs it: the type from the file's first bytes, not from its name,
and a sandbox that forbids scripts even inside a crafted PDF or picture."""

import hashlib
import logging
import re
import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
SUFFIX = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
# A PDF may carry a little junk before its header; readers look in the first 1 KB.
PDF_HEADER_WINDOW = 1024


def stored_name(stem: str, content_type: str) -> str:
    """A name to keep an upload under: nothing of what the sender called it, the
    ending of its real type, and a random part."""
    return f"{stem}-{uuid.uuid4().hex}.{SUFFIX.get(content_type, 'bin')}"


def content_digest(upload: UploadedFile | None) -> str:
    """The SHA-256 of what was uploaded ("" for nothing), read in chunks and put
    back at its start for whoever reads it next: what tells one sending of a
    form from the same sending with a file added."""
    if upload is None:
        return ""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def type_of(head: bytes) -> str | None:
    """PDF, JPEG or PNG by the first bytes of a file (at least PDF_HEADER_WINDOW of
    them), else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if b"%PDF-" in head[:PDF_HEADER_WINDOW]:
        return PDF
    return None


def upload_response(
    stored: FieldFile, *, name: str | None = None, content_type: str | None = None
) -> FileResponse:
    """``stored`` for a person to look at, saved as ``name`` (by default the stem
    of the name it is kept under, which ``stored_name`` made; letters, digits and
    dashes kept) with the ending of its type: never a name the sender chose, which
    a browser would keep on disk ("evil.html"). Its type is the one judged on upload
    or, without it, read from its first bytes; a file of any other type (one kept
    before uploads were judged) is only offered as a download of bytes. Scripts never
    run: a sandbox without scripts even for a PDF viewer, and no caching."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        # The row exists but its file is gone (a restore without media): say so.
        logger.error("Uploaded file %s is missing", stored.name)
        raise Http404(_("Berkas tidak ditemukan di server.")) from None
    if content_type is None:
        content_type = type_of(handle.read(PDF_HEADER_WINDOW))
        handle.seek(0)
    if name is None:
        name = (stored.name or "").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = re.sub(r"[^A-Za-z0-9-]+", "-", name).strip("-")[:80] or "berkas"
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        as_attachment=content_type is None,
        filename=f"{stem}.{SUFFIX.get(content_type or '', 'bin')}",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
