"""Indonesian phone numbers as WhatsApp needs them.

Numbers arrive as people write them ("0812-3456-789", "62 812 3456 789",
"+62812…", "(0542) 7xx" for a landline). ``normalize_phone`` gives the E.164 form
(``+628123456789``) or ``None`` when the text is not a valid number; the
parsing and the length rules per number range are Google's libphonenumber's
(``phonenumbers``), not ours.
"""

import re
import unicodedata
from urllib.parse import quote

import phonenumbers

from .text import visible_line

DEFAULT_REGION = "ID"

# Hyphens and dashes that a paste or a phone's keyboard puts between digits.
_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-"
)


def phone_as_written(raw: str | None) -> str:
    """A number as people write it ("0812-3456-7890"), without what a paste
    brings along: WhatsApp copies a number between direction marks (U+202A,
    U+202C) with non-breaking hyphens, which the registry kept unseen. Other
    dashes read "-", and white space one space. Digits of other forms (the
    full-width "０８１２" of some keyboards, "٠٨١٢") are written 0-9: the same number
    to whoever reads it, and one that exports and searches find."""
    text = visible_line(raw or "").translate(_DASHES)
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _valid(text: str) -> "phonenumbers.PhoneNumber | None":
    """``text`` as a number the numbering plan assigns, else ``None``."""
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def normalize_phone(raw: str | None) -> str | None:
    """``+62…`` for any way of writing an Indonesian (or other, with its ``+``
    prefix) number, ``None`` for text that is not a valid phone number (too
    short, too long, or in no range the numbering plan assigns)."""
    text = (raw or "").strip()
    number = _valid(text) if text else None
    if "+" not in text:
        # "62812…" as wa.me links write it, the country code without its "+"
        # ("62812345678 (WA)", "wa.me/62812345678", between the direction marks
        # WhatsApp copies): read as a national number it is valid too, with
        # "62" kept twice, or as a landline of area code 0628.
        digits = re.sub(r"[^0-9]", "", phone_as_written(text))
        if digits.startswith("62"):
            number = _valid(f"+{digits}") or number
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_shown(e164: str | None) -> str:
    """A stored ``+62…`` number as people here read and type it ("0812-3456-7890");
    another country's in its international form; text that is no number as it is.
    A form showed "+6281234567890" while asking for "0812 3456 7890". A number
    kept as written (not starting with "+") is shown as written."""
    if not e164 or not e164.startswith("+"):
        return e164 or ""
    number = _valid(e164)
    if number is None:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == DEFAULT_REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def is_mobile(e164: str) -> bool:
    """A mobile number (WhatsApp lives on phones), not an office landline or a
    call-centre number."""
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def whatsapp_digits(e164: str) -> str:
    """The number as the WhatsApp API and wa.me links take it: digits only, with
    the country code (``+628123456789`` becomes ``628123456789``)."""
    return e164.lstrip("+")


def whatsapp_link(phone: str, text: str) -> str | None:
    """A ``https://wa.me/<number>?text=…`` link that opens WhatsApp (app or web)
    with ``text`` filled in, ready for the sender to press send; ``None`` when
    ``phone`` is not a valid number."""
    e164 = normalize_phone(phone)
    if e164 is None or not is_mobile(e164):
        return None
    return f"https://wa.me/{whatsapp_digits(e164)}?text={quote(text)}"
