"""Photos from phones, made safe to keep: resized, turned upright, and re-encoded
without metadata (a phone's photo carries where it was taken in its EXIF)."""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

MAX_SIDE = 1600
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
# An image is decoded whole to prove it complete; its header is believed only up to
# this many pixels (60 megapixels: a phone photo is 12-50, and decoding 60 costs about
# 180 MB). A 69-byte file claiming 30000 x 30000 is refused before any decoding.
MAX_IMAGE_PIXELS = 60_000_000


class ImageRefused(Exception):
    """An upload that is no whole picture within the pixel budget; the message
    says why, in Bahasa Indonesia. Not a ``ValueError``: the callers' own handlers
    of Pillow's errors must not take it for a broken file."""


class ImageTooLarge(ImageRefused):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Gambar terlalu besar (batasnya %(limit)s megapiksel). Perkecil "
                "resolusinya lalu unggah lagi."
            )
            % {"limit": MAX_IMAGE_PIXELS // 1_000_000}
        )


class ImageBroken(ImageRefused):
    def __init__(self) -> None:
        super().__init__(_("Gambar rusak atau tidak utuh. Unggah ulang berkasnya."))


def decoded(data: bytes) -> Image.Image:
    """The picture in ``data``, every pixel decoded: its header within
    MAX_IMAGE_PIXELS (checked before any pixel is), and none missing (a file cut
    short). Raises ``ImageTooLarge`` or ``ImageBroken``."""
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb guard warns, then raises; both are a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                image.close()
                raise ImageTooLarge
            with _truncated_images_refused():
                image.load()
            return image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageBroken from exc


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
        image = decoded(data)
    except ImageTooLarge as exc:
        raise ValidationError(str(exc)) from exc
    except ImageBroken as exc:
        raise ValidationError(
            _(
                "Berkas ini bukan foto yang dapat dibaca (JPEG atau PNG), atau fotonya "
                "tidak utuh. Unggah ulang fotonya."
            )
        ) from exc
    with image:
        upright = ImageOps.exif_transpose(image) or image
        picture = upright.convert("RGB")
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    # A fresh image object carries no info dict: nothing but pixels is written.
    clean = Image.new("RGB", picture.size)
    clean.paste(picture)
    clean.save(out, format="JPEG", quality=82, optimize=True)
    stem = name.rsplit(".", 1)[0][:80] or "foto"
    return CleanPhoto(out.getvalue(), name=f"{stem}.jpg")
