"""lib.images: a phone's photo made safe to keep, once."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lib.images import MAX_SIDE, photo_clean
from lib.testing import png_claiming


def _jpeg(size=(2400, 1800)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format="JPEG")
    return SimpleUploadedFile("kantor.jpeg", out.getvalue())


def test_a_photo_is_resized_and_cleaning_it_again_changes_nothing():
    clean = photo_clean(_jpeg(), name="kantor.jpeg")
    with Image.open(io.BytesIO(clean.read())) as image:
        assert max(image.size) == MAX_SIDE
    clean.seek(0)
    # The form judged it and the service stores it: one decode, one JPEG pass.
    assert photo_clean(clean) is clean
    assert clean.name == "kantor.jpg"


def test_a_file_that_is_no_photo_is_refused():
    with pytest.raises(ValidationError):
        photo_clean(SimpleUploadedFile("x.jpg", b"bukan foto"))


@pytest.mark.parametrize("pixels", [(8100, 8100), (30000, 30000)])
def test_a_photo_too_large_to_decode_is_refused_before_decoding(pixels):
    with pytest.raises(ValidationError, match="terlalu besar"):
        photo_clean(SimpleUploadedFile("bom.png", png_claiming(*pixels)))


def test_a_photo_cut_short_is_refused_even_after_weasyprint_loaded():
    import weasyprint  # noqa: F401  (it sets LOAD_TRUNCATED_IMAGES on import)
    from PIL import ImageFile

    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        whole = _jpeg().read()
        for cut in (png_claiming(2000, 2000), whole[: len(whole) // 2]):
            with pytest.raises(ValidationError, match="tidak utuh"):
                photo_clean(SimpleUploadedFile("foto.jpg", cut))
        assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous
