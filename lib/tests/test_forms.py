"""lib.forms: amounts shown as people type them, whatever they typed."""

import pytest

from lib.forms import RupiahField


def test_a_stored_amount_is_shown_with_thousands_dots():
    assert RupiahField().prepare_value("1250000.00") == "1.250.000"
    assert RupiahField().prepare_value("-5000") == "-5.000"


def test_a_stored_amount_with_sen_comes_back_as_it_is_typed():
    """With a comma before the sen: "1250000.50" was read back by the page's
    grouping as 125.000.050, and saved again a hundred times too small."""
    from decimal import Decimal

    field = RupiahField()
    assert field.prepare_value(Decimal("1250000.50")) == "1.250.000,50"
    assert field.prepare_value("1250000.05") == "1.250.000,05"
    assert field.prepare_value("-0.50") == "-0,50"
    assert field.clean(field.prepare_value("1250000.50")) == Decimal("1250000.50")


def test_an_amount_typed_with_thousands_dots_comes_back_as_typed():
    """ "450.000" came back as "450" (read as Python reads it) when another field
    was refused, and saving the page again stored a thousandth of it."""
    from decimal import Decimal

    field = RupiahField()
    for typed, amount in (
        ("450.000", 450000),
        ("12.500", 12500),
        ("-500.000", -500000),
    ):
        assert field.prepare_value(typed) == typed
        assert field.clean(field.prepare_value(typed)) == Decimal(amount)
    assert field.prepare_value("1250000.5") == "1.250.000,50"


def test_what_cannot_be_an_amount_comes_back_as_typed():
    field = RupiahField()
    # Python will not turn an integer of over 4,300 digits into text: the refused
    # value is shown again as it was typed, not a server error.
    for typed in ("1" * 4301, "1e999999", "dua miliar", "2 M", "12,5", "1E5", "1_000"):
        assert field.prepare_value(typed) == typed


def test_an_amount_beyond_what_every_database_keeps_exactly_is_refused():
    import pytest
    from django import forms

    from lib.forms import RUPIAH_FORM_MAX

    field = RupiahField()
    assert field.clean("999.999.999.999.999") == RUPIAH_FORM_MAX
    # SQLite kept 9.999.999.999.999.999 as 10**16 and every page reading it failed.
    for typed in ("9999999999999999", "-9999999999999999", "1.000.000.000.000.000"):
        with pytest.raises(forms.ValidationError):
            field.clean(typed)


def test_a_count_reads_the_indonesian_thousands_dot():
    import pytest
    from django import forms

    from lib.forms import CountField

    field = CountField(min_value=0)
    assert field.clean("1.250") == 1250  # not 1 (Django's IntegerField read "1.000")
    assert field.clean("1.000.000") == 1_000_000
    assert field.clean("12") == 12
    for typed in ("1,5", "1.5", "12.50", "satu", "1" + ".000" * 1500, "9" * 5000):
        with pytest.raises(forms.ValidationError):  # not int()'s ValueError
            field.clean(typed)


def test_amounts_and_counts_take_the_digits_0_to_9_only():
    import pytest
    from django import forms

    from lib.forms import CountField, RupiahField

    for field, typed in (
        (CountField(min_value=0), "１２０"),
        (CountField(min_value=0), "١٢٠"),
        (RupiahField(), "１.２５０.０００"),
        (RupiahField(), "Rp ١٢٠"),
    ):
        with pytest.raises(forms.ValidationError, match="angka 0–9"):
            field.clean(typed)


def test_an_amount_in_words_gets_an_example():
    import pytest
    from django import forms

    from lib.forms import RupiahField

    with pytest.raises(forms.ValidationError, match=r"misalnya 1\.500\.000"):
        RupiahField().clean("dua juta")


def test_control_characters_pasted_into_a_text_box_are_left_out():
    from lib.forms import LinesField

    field = LinesField(max_length=100)
    # Not "Karakter null tidak diizinkan": the NUL shows as nothing, so it goes.
    assert field.clean("Rapat\x00 tidak\x07 diadakan.\r\nTab\tdan baris") == (
        "Rapat tidak diadakan.\nTab\tdan baris"
    )
    # A direction override showed an address backwards on staff pages and in the
    # registry once accepted; zero-width spaces made two texts look one.
    assert field.clean("Jl. \u202eAyam 5\u202c\u200b\nRT 3\ufeff") == "Jl. Ayam 5\nRT 3"


def test_a_line_that_shows_nothing_is_refused():
    import pytest
    from django import forms

    from lib.forms import LineField

    field = LineField(max_length=100)
    for typed in ("\ufe0f", "\u034f\u17b4\u180e", "\u0301\u0301", "\u200b"):
        with pytest.raises(forms.ValidationError):
            field.clean(typed)
    assert field.clean("KSP\ufe0f Maju") == "KSP Maju"


def test_numbers_and_dates_take_the_digits_0_to_9_only():
    import pytest
    from django import forms

    from lib.forms import DecimalNumberField, PlausibleDateField, WholeNumberField

    # int(), Decimal() and the date parser read "２０２４" and "٣" as numbers.
    for field, typed in (
        (WholeNumberField(), "２０２４"),
        (WholeNumberField(), "٣"),
        (DecimalNumberField(), "９９"),
        (PlausibleDateField(), "１９９６-05-14"),
        (PlausibleDateField(), "٢٠٢٥-02-01"),
    ):
        with pytest.raises(forms.ValidationError, match="angka 0–9"):
            field.clean(typed)
    assert WholeNumberField().clean("2024") == 2024


def test_an_amount_takes_two_decimals_at_most():
    from decimal import Decimal

    import pytest
    from django import forms

    from lib.forms import RupiahField

    field = RupiahField()
    assert field.clean("1.250.000,50") == Decimal("1250000.50")
    assert field.clean("Rp 1.250.000,-") == Decimal("1250000.00")
    assert field.clean("1250000.5") == Decimal("1250000.50")
    with pytest.raises(forms.ValidationError, match="dua angka di belakang koma"):
        field.clean("1.250.000,555")


def test_a_whole_number_is_asked_for_in_plain_words():
    import pytest
    from django import forms

    from lib.forms import WholeNumberField

    for typed in ("1e3", "1_000", "+62", "12.0", "0x10"):
        with pytest.raises(forms.ValidationError) as refused:
            WholeNumberField().clean(typed)
        assert refused.value.messages == [
            "Tulis bilangan bulat dengan angka saja, misalnya 25."
        ], typed
    assert WholeNumberField().clean(" 25 ") == 25
    assert WholeNumberField().clean("-3") == -3


def test_a_date_past_the_calendars_reach_is_refused():
    """A RAT dated 31 December 9999 was saved, and the report's deadline (30 days
    later) crashed the officer's page, the staff's completeness page and the daily
    reminders."""
    import datetime

    import pytest
    from django import forms

    from lib.forms import PlausibleDateField

    field = PlausibleDateField()
    assert field.clean("2100-12-31") == datetime.date(2100, 12, 31)
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("9999-12-31")
    assert refused.value.messages == ["Tanggal tidak boleh sesudah tahun 2100."]


def test_a_count_beyond_any_cooperative_says_so_in_plain_words():
    """It was "… lebih kecil dari atau sama dengan 9223372036854775807" on
    SQLite, and taken on PostgreSQL up to the column's limit."""
    import pytest
    from django import forms

    from lib.forms import CountField

    field = CountField(min_value=0)
    assert field.clean("999.999.999") == 999_999_999
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("1000000000")
    assert refused.value.messages == [
        "Angka terlalu besar (paling banyak 999.999.999)."
    ]


def test_an_amount_pasted_with_invisible_characters_reads_as_it_shows():
    # A zero-width space before, a narrow no-break space after: "Bukan angka".
    from decimal import Decimal

    assert RupiahField().clean("\u200b1250000\u202f") == Decimal("1250000.00")
    assert RupiahField().clean("\u200b1.250.000") == Decimal("1250000.00")


def test_a_negative_count_is_refused_as_an_amount_is():
    # "Ensure this value is greater than or equal to 0." beside an amount's
    # "Cannot be negative."
    from django.core.exceptions import ValidationError

    from lib.forms import CountField

    field = CountField(min_value=0)
    with pytest.raises(ValidationError) as refused:
        field.clean("-3")
    assert refused.value.messages == ["Tidak boleh negatif."]
