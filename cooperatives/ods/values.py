"""Parsing one spreadsheet cell as it comes from real exports. Pure functions.

Each parser takes the raw cell (``str``, ``float``, ``int``, ``bool``, ``date``,
``datetime`` or ``None``, as python-calamine or the CSV reader give it) and returns
the clean value, ``None`` for a blank cell, or raises ``CellError`` with a message in
Bahasa Indonesia.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

# Above 2**53 a float no longer holds every integer: such a NIK has lost digits.
_FLOAT_EXACT_LIMIT = 2**53
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_MONEY_MAX = Decimal("9999999999999999.99")  # 18 digits, 2 places

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "february": 2, "peb": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "aug": 8, "august": 8, "ags": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip


_SCIENTIFIC = re.compile(r"\d+(\.\d+)?[eE]\+?\d+")
_NIK_NOISE = re.compile(r"[\s.\-]")
_NIK = re.compile(r"\d{13,16}")
_RP_PREFIX = re.compile(r"(?i)^\s*rp\.?\s*")
_DASH_SUFFIX = re.compile(r"[,.]-+$")
_RP = re.compile(r"(?i)^rp\.?")
_NUMBER_CHARS = re.compile(r"[\d.,]+")
_DIGIT = re.compile(r"\d")
_GROUPED = {
    ".": re.compile(r"\d{1,3}(\.\d{3})*"),
    ",": re.compile(r"\d{1,3}(,\d{3})*"),
}
# The common shapes, read without the general rules: 1250000, 1.250.000, 1,250,000
# and 1,250,000.00.
_PLAIN = re.compile(r"\d+")
_DOTTED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_COMMA_DOT = re.compile(r"\d{1,3}(?:,\d{3})+\.\d{1,2}")
# Whole Rupiah as "1250000", "1.250.000", "Rp 1.250.000,-", "Rp. 1.250.000,00", or
# "1,250,000.00"; for parse_money.
_MONEY_SHAPES = re.compile(
    r"\s*(?:[Rr][Pp]\.?\s*)?"
    r"(?:(\d+)|([1-9]\d{0,2}(?:\.\d{3})+)(?:,-+|,00)?|(\d{1,3}(?:,\d{3})+)(\.\d\d))\s*"
)
_WHOLE = 10**16  # whole numbers below this are within the money columns' range
_SERIAL = re.compile(r"\d+(\.\d+)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_DAY_MONTH_WORD = re.compile(r"(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{4})")
_YEAR = re.compile(r"\d{4}")
_NOT_WORD = re.compile(r"[^0-9a-z]")
_CENTS = Decimal("0.01")


class CellError(ValueError):
    """A cell that cannot be read; ``str(error)`` is the message for the user."""


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


# NUL and the other control characters that are not white space: PostgreSQL
# refuses NUL in text, and none of them belongs in a name or an address.
_CONTROL = dict.fromkeys(
    [c for c in (*range(0x20), 0x7F) if not chr(c).isspace()], None
)


def text(raw: Any) -> str:
    """A text cell, trimmed, without control characters; numbers typed into text
    columns lose their ``.0``."""
    if type(raw) is str:
        if not raw.isprintable():  # rare: a tab, a line break, a control character
            raw = raw.translate(_CONTROL)
        return " ".join(raw.split())
    if is_blank(raw):
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return text(str(raw))


def parse_nik(raw: Any) -> str:
    """A NIK: 13 to 16 digits, kept as text. Never loses a digit silently."""
    if type(raw) is str and _NIK.fullmatch(raw) is not None:
        return raw  # as nearly every NIK typed as text comes
    if is_blank(raw):
        raise CellError(_("NIK kosong."))
    if isinstance(raw, bool):
        raise CellError(_("NIK tidak valid."))
    if isinstance(raw, float):
        if not raw.is_integer() or raw < 0:
            raise CellError(_("NIK harus berupa angka bulat."))
        if raw >= _FLOAT_EXACT_LIMIT:
            raise CellError(
                _(
                    "NIK terlalu panjang untuk disimpan sebagai angka di Excel, "
                    "sehingga digit terakhirnya bisa berubah. Ketik NIK sebagai teks."
                )
            )
        value = str(int(raw))
    elif isinstance(raw, int):
        value = str(raw)
    else:
        value = str(raw).strip().lstrip("'")
        if _SCIENTIFIC.fullmatch(value):
            raise CellError(
                _(
                    "NIK tertulis dalam notasi ilmiah (%(value)s) dan digitnya sudah "
                    "hilang. Ketik NIK sebagai teks."
                )
                % {"value": value}
            )
        value = _NIK_NOISE.sub("", value)
    if not _NIK.fullmatch(value):
        raise CellError(_("NIK harus berupa 13 sampai 16 digit angka."))
    return value


def _number_text(value: str) -> str:
    """Normalise ``1.250.000,50`` / ``1,250,000.50`` / ``Rp 1.250.000,-`` to
    ``1250000.50``. Raises CellError when the text is not a number."""
    cleaned = value.strip()
    if _PLAIN.fullmatch(cleaned):
        return cleaned
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
        raise CellError(_("Bukan angka."))
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
            # Only thousands separators repeat.
            if not groups_of_three:
                raise CellError(_("Pemisah ribuan tidak beraturan."))
            cleaned = "".join(parts)
        elif groups_of_three and parts[0] != "0":
            # "1.250" and "1,250" read as thousands: amounts in Rupiah.
            cleaned = "".join(parts)
        else:
            cleaned = parts[0] + "." + parts[1]
    if not cleaned or cleaned == ".":
        raise CellError(_("Bukan angka."))
    return ("-" if negative else "") + cleaned


def parse_decimal(raw: Any) -> Decimal | None:
    if is_blank(raw):
        return None
    if isinstance(raw, bool | datetime.date):
        raise CellError(_("Bukan angka."))
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise CellError(_("Bukan angka."))
        # repr gives the shortest text that round-trips: 1250000.5, not 1250000.4999…
        return Decimal(repr(raw))
    try:
        return Decimal(_number_text(str(raw)))
    except InvalidOperation:
        raise CellError(_("Bukan angka.")) from None


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
        raise CellError(_("Nilai terlalu besar."))
    return value.quantize(_CENTS)


def parse_count(raw: Any) -> int | None:
    value = parse_decimal(raw)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise CellError(_("Jumlah harus bilangan bulat."))
    if value < 0:
        raise CellError(_("Jumlah tidak boleh negatif."))
    if value > 2_000_000_000:
        raise CellError(_("Jumlah terlalu besar."))
    return int(value)


def parse_date(raw: Any, *, today: datetime.date) -> datetime.date | None:
    """Excel dates and serials, ``12/07/2019`` (day first), ``2019-07-12``,
    ``12 Juli 2019``. A date after ``today`` is an error."""
    if is_blank(raw):
        return None
    value = _date(raw)
    if value > today:
        raise CellError(_("Tanggal tidak boleh di masa depan."))
    if value.year < 1900:
        raise CellError(_("Tanggal tidak masuk akal."))
    return value


def _date(raw: Any) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, bool):
        raise CellError(_("Bukan tanggal."))
    if isinstance(raw, int | float):
        return _excel_serial(raw)
    value = str(raw).strip()
    if _SERIAL.fullmatch(value):
        return _excel_serial(float(value))
    try:
        match = _ISO_DATE.fullmatch(value)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        match = _DAY_FIRST.fullmatch(value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        match = _DAY_MONTH_WORD.fullmatch(value)
        if match and match.group(2).lower() in MONTHS:
            day, year = int(match.group(1)), int(match.group(3))
            return datetime.date(year, MONTHS[match.group(2).lower()], day)
    except ValueError:
        raise CellError(_("Tanggal tidak ada di kalender.")) from None
    raise CellError(
        _(
            "Format tanggal tidak dikenali (pakai 12/07/2019, 2019-07-12 atau "
            "12 Juli 2019)."
        )
    )


def _excel_serial(number: float) -> datetime.date:
    if not 1 <= number < 2958466:  # 9999-12-31
        raise CellError(_("Bukan tanggal."))
    return _EXCEL_EPOCH + datetime.timedelta(days=int(number))


def parse_year(raw: Any, *, today: datetime.date) -> int | None:
    """A year (``2023``) or a date from which the year is taken."""
    if is_blank(raw):
        return None
    if isinstance(raw, datetime.date):
        year = raw.year
    else:
        value = text(raw)
        if _YEAR.fullmatch(value):
            year = int(value)
        else:
            year = parse_date(raw, today=today).year  # type: ignore[union-attr]
    if year < 1900:
        raise CellError(_("Tahun tidak masuk akal."))
    if year > today.year:
        raise CellError(_("Tahun tidak boleh di masa depan."))
    return year


def parse_phone(raw: Any) -> str:
    """A phone number as text; a number cell gets back the leading 0 it lost."""
    if is_blank(raw):
        return ""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = str(int(raw))
        return value if value.startswith("62") else "0" + value
    value = text(raw)
    if len(value) > 32:
        raise CellError(_("Nomor HP terlalu panjang."))
    return value


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_email(raw: Any) -> str:
    if is_blank(raw):
        return ""
    value = text(raw).lower()
    if not _EMAIL.fullmatch(value) or len(value) > 254:
        raise CellError(_("Alamat e-mail tidak valid."))
    return value


def word_key(raw: Any) -> str:
    """Lower-case letters and digits only: the key for matching words and names."""
    return _NOT_WORD.sub("", text(raw).lower())
