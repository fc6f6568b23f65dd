from decimal import Decimal

import pytest

from lib.numbers import format_rupiah, format_thousands


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1250000"), "Rp 1.250.000"),
        (Decimal("1250000.00"), "Rp 1.250.000"),
        (Decimal("1250000.5"), "Rp 1.250.000,50"),
        (Decimal("0"), "Rp 0"),
        (Decimal("999"), "Rp 999"),
        (Decimal("-2500000"), "-Rp 2.500.000"),
        (1000000000, "Rp 1.000.000.000"),
        (Decimal("0.005"), "Rp 0,01"),
        (None, ""),
    ],
)
def test_it_formats_rupiah_the_indonesian_way(value, expected):
    assert format_rupiah(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(0, "0"), (587, "587"), (150000, "150.000")]
)
def test_it_groups_thousands_with_dots(value, expected):
    assert format_thousands(value) == expected


def test_an_amount_in_running_text_stays_on_one_line():
    from lib.templatetags.idformat import amounts_whole

    text = "Rp 2.000.000.000 dan Rp -5.000, Rp saja"
    assert amounts_whole(text) == ("Rp\u00a02.000.000.000 dan Rp\u00a0-5.000, Rp saja")


def test_scores_and_shares_read_in_the_readers_language():
    from django.utils import translation

    from lib.numbers import format_decimal

    with translation.override("id"):
        assert format_decimal(Decimal("1234.5")) == "1.234,50"
        assert format_decimal(45.6, 1) == "45,6"
        # Rounded, not cut: the map's 36/47 agrees with the rekap's 76,60%.
        assert format_decimal(36 / 47 * 100, 1) == "76,6"
        assert format_decimal(8 / 17 * 100, 1) == "47,1"
        assert format_decimal(Decimal("91.666"), 2) == "91,67"
    with translation.override("en"):
        # An English page read "85,71" and "45,6%".
        assert format_decimal(Decimal("1234.5")) == "1,234.50"
        assert format_decimal(45.6, 1) == "45.6"


def test_counts_read_in_the_readers_language_and_rupiah_the_indonesian_way():
    # An English page said "9.739 cooperatives": nine and a bit, to an English
    # reader. The Rupiah keeps its own way in both.
    from django.template import Context, Template
    from django.utils import translation

    from lib.display import shown
    from lib.numbers import format_count

    page = Template("{% load idformat %}{{ n|ribuan }} · {{ m|rupiah }}")
    context = Context({"n": 9739, "m": Decimal("1250000")})
    with translation.override("id"):
        assert format_count(9739) == "9.739"
        assert page.render(context) == "9.739 · Rp 1.250.000"
        assert shown(-1250, count=True) == "-1.250"
    with translation.override("en"):
        assert format_count(9739) == "9,739"
        assert page.render(context) == "9,739 · Rp 1.250.000"
        assert shown(-1250, count=True) == "-1,250"
