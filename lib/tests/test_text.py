import pytest

from lib.text import visible_line


@pytest.mark.parametrize(
    ("typed", "seen"),
    [
        ("KSP Maju\u200b", "KSP Maju"),  # a zero-width space pasted at the end
        ("KSP\u200b Maju", "KSP Maju"),
        ("\ufeffKSP Maju", "KSP Maju"),  # a byte order mark from a file
        ("KSP \u202eujaM\u202c", "KSP ujaM"),  # a direction override
        ("Koperasi\u00adku", "Koperasiku"),  # a soft hyphen
        ("KSP\u00a0Maju\tJaya\r\n", "KSP Maju Jaya"),  # white space is one space
        ("KSP\x00 Maju\x85", "KSP Maju"),  # control characters, NUL among them
        ("\u200b\u200c", ""),
        ("\u3164\u3164", ""),  # Hangul fillers: letters, shown as nothing
        ("KSP\u2800Maju", "KSP Maju"),  # the blank Braille pattern
        ("\ufe0f", ""),  # a variation selector alone
        ("\u034f\u17b4\u180e", ""),  # joiner, Khmer vowel, Mongolian selector
        ("Koperasi Karyawan Pertamina", "Koperasi Karyawan Pertamina"),
        ("Kopérasi Ñusantara 👍", "Kopérasi Ñusantara 👍"),  # shown, so kept
        # What joins emoji into one picture is shown, so kept: 👩‍🌾 had become 👩🌾.
        ("Ibu \U0001f469\u200d\U0001f33e", "Ibu \U0001f469\u200d\U0001f33e"),
        ("\U0001f3f3\ufe0f\u200d\U0001f308", "\U0001f3f3\ufe0f\u200d\U0001f308"),
        ("\U0001f44d\U0001f3fd\u200d", "\U0001f44d\U0001f3fd"),  # joins nothing
        ("KSP\u200dMaju", "KSPMaju"),  # between letters: invisible
        ("Maju\ufe0f", "Maju"),  # the emoji selector after a letter
        ("a\ufe0f\u200d\u2605", "a\u2605"),  # a selector after a letter joins nothing
        ("^\u200d^", "^^"),  # nor does a joiner between ASCII symbols
    ],
)
def test_a_line_is_what_it_shows(typed, seen):
    assert visible_line(typed) == seen


def test_text_over_lines_keeps_what_joins_emoji():
    from lib.text import without_invisible

    assert without_invisible(
        "Salam \U0001f468\u200d\U0001f469\u200d\U0001f467\u200b\n"
    ) == ("Salam \U0001f468\u200d\U0001f469\u200d\U0001f467\n")


def test_a_name_of_marks_alone_shows_nothing():
    from lib.text import shows_something

    assert not shows_something("\u0301\u0301")
    assert shows_something("Kopérasi") and shows_something("7")
