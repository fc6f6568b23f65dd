"""Reading amounts of money as people type them and spreadsheets hold them.

``parse_money`` serves the forms (``lib.forms.RupiahField``) and the ODS import's
cells alike; it takes a ``str``, ``float``, ``int`` or ``None`` and returns a
``Decimal`` with two places, ``None`` for a blank, or raises ``CellError`` with a
message in Bahasa Indonesia. Writing amounts is ``lib.numbers.format_rupiah``.
"""

import datetime
import re
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from lib.numbers import format_rupiah
from lib.text import has_other_digits

# Above 2**53 a float no longer holds every integer.
_FLOAT_EXACT_LIMIT = 2**53
# How the registry keeps an amount: 18 digits, 2 of them after the point
# (``lib.models.rupiah_field``); the largest amount read is the largest it keeps.
MONEY_DIGITS = 18
MONEY_PLACES = 2
_MONEY_MAX = Decimal("9" * (MONEY_DIGITS - MONEY_PLACES) + "." + "9" * MONEY_PLACES)
_CENTS = Decimal("0.01")
_RP_PREFIX = re.compile(r"(?i)^\s*rp\.?\s*")
_DASH_SUFFIX = re.compile(r"[,.]-+$")
_RP = re.compile(r"(?i)^rp\.?")
# Digits are 0-9 only (``[0-9]``, not ``\d``): "１２３" or "١٢٣" read as 123 is an
# amount nobody could see typed, and files written elsewhere never hold them.
_NUMBER_CHARS = re.compile(r"[0-9.,]+")
_DIGIT = re.compile(r"[0-9]")
_GROUPED = {
    ".": re.compile(r"[0-9]{1,3}(\.[0-9]{3})*"),
    ",": re.compile(r"[0-9]{1,3}(,[0-9]{3})*"),
}
# The common shapes, read without the general rules: 1250000, 1.250.000, 1,250,000
# and 1,250,000.00.
_PLAIN = re.compile(r"[0-9]+")
_DOTTED = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
_COMMA_DOT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+\.[0-9]{1,2}")
# Whole Rupiah as "1250000", "1.250.000", "Rp 1.250.000,-", "Rp. 1.250.000,00", or
# "1,250,000.00"; for parse_money.
_MONEY_SHAPES = re.compile(
    r"\s*(?:[Rr][Pp]\.?\s*)?"
    r"(?:([0-9]+)|([1-9][0-9]{0,2}(?:\.[0-9]{3})+)(?:,-+|,00)?"
    r"|([0-9]{1,3}(?:,[0-9]{3})+)(\.[0-9][0-9]))\s*"
)
_WHOLE = 10**16  # whole numbers below this are within the money columns' range


class CellError(ValueError):
    """A value (a spreadsheet cell, a typed field) that cannot be read;
    ``str(error)`` is the message for the user, ``code`` what kind of refusal it
    is (``NOT_A_NUMBER``, ``OTHER_DIGITS``), for a form to word it its own way. The
    ODS reader (``cooperatives.ods.values``) raises it for every kind of cell."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


NOT_A_NUMBER = "not_a_number"
OTHER_DIGITS = "other_digits"


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _number_text(value: str) -> str:
    """Normalise ``1.250.000,50`` / ``1,250,000.50`` / ``Rp 1.250.000,-`` to
    ``1250000.50``. Raises CellError when the text is not a number."""
    cleaned = value.strip()
    if _PLAIN.fullmatch(cleaned):
        return cleaned
    if has_other_digits(cleaned):
        raise CellError(_("Tulis angkanya dengan angka 0–9."), code=OTHER_DIGITS)
    if _DOTTED.fullmatch(cleaned):
        return cleaned.replace(".", "")
    if _COMMA_DOT.fullmatch(cleaned):
        return cleaned.replace(",", "")
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    cleaned = _RP_PREFIX.sub("", cleaned)
    cleaned = _DASH_SUFFIX.sub("", cleaned)  # "1.250.000,-"
    cleaned = cleaned.replace(" ", "").replace("\u00a0", "")
    if cleaned.startswith("-"):
        negative, cleaned = not negative, cleaned[1:]
    cleaned = _RP.sub("", cleaned)
    if not _NUMBER_CHARS.fullmatch(cleaned) or not _DIGIT.search(cleaned):
        raise CellError(_("Bukan angka."), code=NOT_A_NUMBER)
    dots, commas = cleaned.count("."), cleaned.count(",")
    if dots and commas:
        # The separator that comes last is the decimal one.
        decimal_sep = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        whole, _sep, fraction = cleaned.rpartition(decimal_sep)
        if not _GROUPED[thousands].fullmatch(whole):
            raise CellError(_("Pemisah ribuan tidak beraturan."))
        cleaned = whole.replace(thousands, "") + "." + fraction
    elif dots or commas:
        sep = "." if dots else ","
        parts = cleaned.split(sep)
        groups_of_three = (
            all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3
        )
        if len(parts) > 2:
            # Only thousands separators repeat. "1.250.000.50" is most likely
            # sen written after a point: said how to write them.
            if not groups_of_three:
                raise CellError(
                    _(
                        "Pemisah ribuan tidak beraturan. Sen ditulis sesudah koma, "
                        "misalnya 1.250.000,50."
                    )
                )
            cleaned = "".join(parts)
        elif groups_of_three and parts[0] != "0":
            # "1.250" and "1,250" read as thousands: amounts in Rupiah.
            cleaned = "".join(parts)
        else:
            cleaned = parts[0] + "." + parts[1]
    if not cleaned or cleaned == ".":
        raise CellError(_("Bukan angka."), code=NOT_A_NUMBER)
    return ("-" if negative else "") + cleaned


def parse_decimal(raw: Any) -> Decimal | None:
    if is_blank(raw):
        return None
    if isinstance(raw, bool | datetime.date):
        raise CellError(_("Bukan angka."), code=NOT_A_NUMBER)
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise CellError(_("Bukan angka."), code=NOT_A_NUMBER)
        # repr gives the shortest text that round-trips: 1250000.5, not 1250000.4999…
        return Decimal(repr(raw))
    try:
        return Decimal(_number_text(str(raw)))
    except InvalidOperation:
        raise CellError(_("Bukan angka."), code=NOT_A_NUMBER) from None


def parse_money(raw: Any, *, allow_negative: bool) -> Decimal | None:
    # A file has several money cells per row, nearly all of them whole Rupiah as a
    # number cell or in one of the shapes of _MONEY_SHAPES: read those directly,
    # already with two decimals (a third of the time of the general rules).
    kind = type(raw)
    if kind is float:
        exact = abs(raw) < _FLOAT_EXACT_LIMIT and raw.is_integer()
        if exact and (raw >= 0 or allow_negative):
            return Decimal(f"{int(raw)}.00")
    elif kind is int:
        if (raw >= 0 or allow_negative) and abs(raw) < _WHOLE:
            return Decimal(f"{raw}.00")
    elif kind is str:
        match = _MONEY_SHAPES.fullmatch(raw)
        if match is not None:
            plain, dotted, english, cents = match.groups()
            whole = plain or (dotted and dotted.replace(".", ""))
            if whole and len(whole) <= 16:
                return Decimal(whole + ".00")
            if english and len(english) <= 22:  # 16 digits and 5 commas
                return Decimal(english.replace(",", "") + cents)
    value = parse_decimal(raw)
    if value is None:
        return None
    if not allow_negative and value < 0:
        raise CellError(_("Nilai uang tidak boleh negatif."))
    if abs(value) > _MONEY_MAX:
        raise CellError(
            _("Nilai terlalu besar (paling banyak %(limit)s).")
            % {"limit": format_rupiah(_MONEY_MAX.to_integral_value(ROUND_DOWN))}
        )
    return value.quantize(_CENTS)
