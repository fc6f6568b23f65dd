"""lib.forms: amounts shown as people type them, whatever they typed."""

from lib.forms import RupiahField


def test_a_stored_amount_is_shown_with_thousands_dots():
    assert RupiahField().prepare_value("1250000.00") == "1.250.000"
    assert RupiahField().prepare_value("-5000") == "-5.000"


def test_what_cannot_be_an_amount_comes_back_as_typed():
    field = RupiahField()
    # Python will not turn an integer of over 4,300 digits into text: the refused
    # value is shown again as it was typed, not a server error.
    for typed in ("1" * 4301, "1e999999", "dua miliar", "2 M", "12,5", "1E5", "1_000"):
        assert field.prepare_value(typed) == typed
