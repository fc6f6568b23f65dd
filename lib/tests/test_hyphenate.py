"""Indonesian syllables for a PDF heading's line breaks: a table, no database."""

import pytest

from lib.hyphenate import SOFT_HYPHEN, soft_hyphens, syllables


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Kelurahan", "Ke-lu-ra-han"),
        ("Kecamatan", "Ke-ca-ma-tan"),
        ("Pemberitahuan", "Pem-be-ri-ta-hu-an"),
        ("pemutakhiran", "pe-mu-ta-khi-ran"),  # kh is one sound
        ("kunjungan", "kun-ju-ngan"),  # and ng
        ("Menyanyi", "Me-nya-nyi"),  # and ny
        ("Syarikat", "Sya-ri-kat"),  # and sy
        ("tanggal", "tang-gal"),
        ("instrumen", "in-stru-men"),
        ("Peninjauan", "Pe-nin-jau-an"),  # au is one vowel
        ("pantai", "pan-tai"),  # and ai
    ],
)
def test_a_word_is_cut_into_its_syllables(word, expected):
    assert "-".join(syllables(word)) == expected


def test_breaks_leave_two_letters_on_either_side_and_short_words_whole():
    assert soft_hyphens("Kelurahan").split(SOFT_HYPHEN) == ["Ke", "lu", "ra", "han"]
    assert soft_hyphens("RAT terakhir (tahun buku)") == (
        f"RAT te{SOFT_HYPHEN}ra{SOFT_HYPHEN}khir (ta{SOFT_HYPHEN}hun buku)"
    )
    assert soft_hyphens("NIK") == "NIK"
    assert soft_hyphens("Peringatan: tanggal").count(SOFT_HYPHEN) == 4
