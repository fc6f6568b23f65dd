"""Text as a person sees it."""

import unicodedata

# Control characters and the invisible "format" ones: zero-width spaces and
# joiners, direction marks and overrides (which can show a name backwards), soft
# hyphens, the byte order mark.
_INVISIBLE = ("Cc", "Cf")
# Letters and symbols that show as blank space: the Hangul fillers and the blank
# Braille pattern (a name of them alone looked empty).
_BLANK = dict.fromkeys(map(ord, "\u115f\u1160\u3164\uffa0\u2800"), " ")


def visible_line(text: str) -> str:
    """``text`` as one line of what it shows: without invisible characters, each
    run of white space (line breaks, tabs, no-break spaces) one space, trimmed. A
    name typed or pasted with a zero-width space looked the same as another yet
    was not found by it, nor counted as its repeat."""
    if not text.isprintable():  # rare: only then is there anything to take out
        text = "".join(
            c for c in text if c.isspace() or unicodedata.category(c) not in _INVISIBLE
        )
    if not text.isascii():
        text = text.translate(_BLANK)
    return " ".join(text.split())
