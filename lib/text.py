"""Text as a person sees it."""

import unicodedata
from collections.abc import Callable

# Control characters and the invisible "format" ones: zero-width spaces and
# joiners, direction marks and overrides (which can show a name backwards), soft
# hyphens, the byte order mark.
_INVISIBLE = ("Cc", "Cf")
# Letters and symbols that show as blank space: the Hangul fillers and the blank
# Braille pattern (a name of them alone looked empty); and marks that show as
# nothing at all: variation selectors, the combining grapheme joiner, the Khmer
# inherent vowels, the Mongolian selectors.
_BLANK: dict[int, str | None] = {
    **dict.fromkeys(map(ord, "\u115f\u1160\u3164\uffa0\u2800"), " "),
    **dict.fromkeys(
        [
            *range(0xFE00, 0xFE0F),  # 0xFE0F, the emoji selector: below
            *range(0xE0100, 0xE01F0),
            0x034F,
            0x17B4,
            0x17B5,
            *range(0x180B, 0x1810),
        ],
        None,
    ),
}


# What joins or dresses emoji into one picture: the zero-width joiner (👩‍🌾 is 👩
# and 🌾 joined) and the emoji presentation selector (🏳️‍🌈). Between emoji they
# show; taken out, one picture became two.
_ZWJ, _EMOJI_STYLE = "\u200d", "\ufe0f"


def _is_emoji(c: str) -> bool:
    # Pictographs are symbols ("So", beyond ASCII); skin tones, U+1F3FB-1F3FF.
    return (not c.isascii() and unicodedata.category(c) == "So") or (
        "\U0001f3fb" <= c <= "\U0001f3ff"
    )


def _joins_emoji(text: str, i: int) -> bool:
    """Whether ``text[i]``, a joiner or the emoji selector, is part of an emoji:
    the selector right after an emoji, the joiner between two (the first
    perhaps dressed by the selector)."""
    if text[i] == _EMOJI_STYLE:
        return i > 0 and _is_emoji(text[i - 1])
    before = i - 1
    if before > 0 and text[before] == _EMOJI_STYLE:
        before -= 1
    return (
        before >= 0
        and i + 1 < len(text)
        and _is_emoji(text[before])
        and _is_emoji(text[i + 1])
    )


def _shown(text: str, keep: Callable[[str], bool]) -> str:
    """``text`` without invisible characters, but for those ``keep`` names and
    the ones that join emoji."""
    return "".join(
        c
        for i, c in enumerate(text)
        if keep(c)
        or unicodedata.category(c) not in _INVISIBLE
        or (c == _ZWJ and _joins_emoji(text, i))
    )


def visible_line(text: str) -> str:
    """``text`` as one line of what it shows: without invisible characters, each
    run of white space (line breaks, tabs, no-break spaces) one space, trimmed. A
    name typed or pasted with a zero-width space looked the same as another yet
    was not found by it, nor counted as its repeat. What joins emoji stays."""
    if not text.isprintable():  # rare: only then is there anything to take out
        text = _shown(text, keep=str.isspace)
    if not text.isascii():
        text = text.translate(_BLANK)
        if _EMOJI_STYLE in text:  # shown after an emoji, nothing elsewhere
            text = "".join(
                c
                for i, c in enumerate(text)
                if c != _EMOJI_STYLE or _joins_emoji(text, i)
            )
    return " ".join(text.split())


def without_invisible(text: str) -> str:
    """Text over several lines without what a reader cannot see: the control
    characters a paste brings (a NUL, a bell; PostgreSQL refuses a NUL) and the
    invisible format ones (zero-width spaces, direction overrides, which can show
    an address backwards on staff pages and in exports). Line breaks and tabs
    stay, and what joins emoji."""
    if text.isprintable():
        return text
    return _shown(text, keep="\n\t".__contains__)


def has_other_digits(text: str) -> bool:
    """Whether ``text`` holds digits of another script than 0-9 ("２０２４",
    "٣"): Python reads them as numbers, a person reading the saved value never
    saw them typed."""
    return not text.isascii() and any(c.isdigit() and not c.isascii() for c in text)


def shows_something(text: str) -> bool:
    """Whether ``text`` has a letter or a digit: a name of accents or marks
    alone ("\u0301\u0301") shows as nothing a person could read or find."""
    return any(c.isalnum() for c in text)


def storable(text: str) -> str:
    """``text`` as a database and UTF-8 can keep it: a lone surrogate (what JSON's
    "\\ud800" escape gives) becomes U+FFFD, a NUL goes. Saving one had failed the
    whole request."""
    if text.isascii():
        return text.replace("\x00", "")
    return "".join(
        "\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text if c != "\x00"
    )
