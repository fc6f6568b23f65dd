"""Photos from phones, made safe to keep: resized, turned upright, and re-encoded
without metadata (a phone's photo carries where it was taken in its EXIF)."""

from __future__ import annotations

import io
from typing import IO, TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1600
MAX_UPLOAD_BYTES = 15 * 1024 * 1024


if TYPE_CHECKING:
    _File = ContentFile[bytes]
else:
    _File = ContentFile


class CleanPhoto(_File):
    """A photo ``photo_clean`` made. Cleaning it again gives it back as it is: a
    form that judged the photo and the service that stores it decode it once, and
    the JPEG is not compressed a second time."""


def photo_clean(handle: IO[bytes], *, name: str = "foto.jpg") -> CleanPhoto:
    """A JPEG of at most MAX_SIDE pixels a side with no EXIF, GPS or other
    metadata. Anything that is not a picture is refused with a clear message."""
    if isinstance(handle, CleanPhoto):
        return handle
    handle.seek(0)
    data = handle.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Foto terlalu besar; batasnya 15 MB."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            picture = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("Berkas ini bukan foto yang dapat dibaca (JPEG atau PNG).")
        ) from exc
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    # A fresh image object carries no info dict: nothing but pixels is written.
    clean = Image.new("RGB", picture.size)
    clean.paste(picture)
    clean.save(out, format="JPEG", quality=82, optimize=True)
    stem = name.rsplit(".", 1)[0][:80] or "foto"
    return CleanPhoto(out.getvalue(), name=f"{stem}.jpg")
