"""Parsing one spreadsheet cell as it comes from real exports. Pure functions.

Each parser takes the raw cell (``str``, ``float``, ``int``, ``bool``, ``date``,
``datetime`` or ``None``, as python-calamine or the CSV reader give it) and returns
the clean value, ``None`` for a blank cell, or raises ``CellError`` with a message in
Bahasa Indonesia.
"""

import datetime
import re
from typing import Any

from django.utils.translation import gettext as _

# Money is read by lib.money for the forms too; the ODS code reads it as v.parse_money.
from lib.money import CellError, is_blank, parse_decimal, parse_money  # noqa: F401
from lib.text import visible_line

from ..rules import rat_tahun_buku

# Above 2**53 a float no longer holds every integer: such a NIK has lost digits.
_FLOAT_EXACT_LIMIT = 2**53
_EXCEL_EPOCH = datetime.date(1899, 12, 30)

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


# Digits are 0-9 only (re.ASCII): a NIK or a date in other scripts' digits
# ("１２３…", "٣٤٥…") is refused as the forms refuse it, not stored unseen.
_SCIENTIFIC = re.compile(r"\d+(\.\d+)?[eE]\+?\d+", re.ASCII)
_NIK_NOISE = re.compile(r"[\s.\-]")
_NIK = re.compile(r"\d{13,16}", re.ASCII)
_FULL_WIDTH_DIGITS = {0xFF10 + d: ord("0") + d for d in range(10)}
_NIK_DECIMAL = re.compile(r"\d{13,16}[.,]0+", re.ASCII)
_SERIAL = re.compile(r"\d+(\.\d+)?", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", re.ASCII)
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", re.ASCII)
_DAY_MONTH_WORD = re.compile(r"(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{4})", re.ASCII)
_YEAR = re.compile(r"\d{4}", re.ASCII)
_NUMBER = re.compile(r"-?\d+([.,]\d+)?", re.ASCII)
_DIGIT = re.compile(r"[0-9]")
_NOT_WORD = re.compile(r"[^0-9a-z]")


def text(raw: Any) -> str:
    """A text cell as one line of what it shows (``lib.text.visible_line``: no
    control or invisible characters, NUL among them, which PostgreSQL refuses);
    numbers typed into text columns lose their ``.0``."""
    if type(raw) is str:
        if raw.isascii() and raw.isprintable():  # nearly every cell: no call
            return " ".join(raw.split())
        return visible_line(raw)
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
        # Not every cooperative has its NIK yet ("ber-NIK" is a count of the
        # rekap): one without is matched on its nomor badan hukum (DECISIONS.md).
        return ""
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
        if not value.isascii():
            # Copied from a web page or a phone: a zero-width space shows 16
            # digits and was told "13 sampai 16 digit"; full-width digits are
            # the digits 0-9 (superscripts and other scripts are not).
            value = visible_line(value).translate(_FULL_WIDTH_DIGITS)
        if _NIK_DECIMAL.fullmatch(value):
            raise CellError(
                _(
                    "NIK tertulis sebagai angka desimal (%(value)s): ketik NIK "
                    "sebagai teks, tanpa .0 di belakangnya."
                )
                % {"value": value}
            )
        value = _NIK_NOISE.sub("", value)
    if not _NIK.fullmatch(value):
        raise CellError(_("NIK harus berupa 13 sampai 16 digit angka."))
    return value


def nik_may_be_rounded(raw: Any, nik: str) -> bool:
    """Excel keeps 15 significant digits: a 16-digit NIK typed as a number is
    stored with a 0 for its last digit. Such a NIK may be right (a program that
    writes the file keeps every digit) or another cooperative's."""
    return type(raw) is not str and len(nik) == 16 and nik[-1] == "0"


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
        return _excel_serial(_not_a_year(raw))
    value = str(raw).strip()
    if _SERIAL.fullmatch(value):
        return _excel_serial(_not_a_year(float(value)))
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


def _not_a_year(number: float) -> float:
    """An Excel date number, refused when it is a year alone: read as a date
    number, 2019 is 11 July 1905 (and 2025.5 is 17 July 1905)."""
    if 1900 <= number < 2101:
        if not float(number).is_integer():
            raise CellError(
                _("%(value)s bukan tanggal. Tulis tanggalnya, misalnya 12/07/2019.")
                % {"value": f"{number:g}"}
            )
        raise CellError(
            _(
                "Hanya tahun (%(year)s), bukan tanggal lengkap. Tulis tanggalnya, "
                "misalnya 12/07/%(year)s."
            )
            % {"year": int(number)}
        )
    return number


# 1 January 1950 as an Excel date number: a smaller one is a typo or another
# figure in a date column (100 read as 9 April 1900), not a cooperative's date.
_FIRST_SERIAL = 18264


def _excel_serial(number: float) -> datetime.date:
    if not _FIRST_SERIAL <= number < 2958466:  # 9999-12-31
        raise CellError(_("Bukan tanggal."))
    return _EXCEL_EPOCH + datetime.timedelta(days=int(number))


def parse_year(raw: Any, *, today: datetime.date) -> int | None:
    """A year (``2023``) or a date from which the year is taken."""
    if is_blank(raw):
        return None
    if isinstance(raw, datetime.date):
        year = raw.year
    else:
        # A year typed as text in Excel keeps its quote mark ("'2025").
        value = text(raw).lstrip("'")
        if _YEAR.fullmatch(value):
            year = int(value)
        elif _NUMBER.fullmatch(value) or not _DIGIT.search(value):
            # A number is a year or nothing: 2025.5 and 100.25 had become the
            # years of Excel dates in 1905 and 1900. Without a digit 0-9 it is
            # no date either ("abc" was told about date formats).
            raise CellError(
                _("Tahun ditulis empat angka, misalnya 2023 (bukan %(value)s).")
                % {"value": value}
            )
        else:
            year = parse_date(raw, today=today).year  # type: ignore[union-attr]
    if year < 1900:
        raise CellError(_("Tahun tidak masuk akal."))
    if year > today.year:
        raise CellError(_("Tahun tidak boleh di masa depan."))
    return year


def parse_rat_year(raw: Any, *, today: datetime.date) -> int | None:
    """The tahun buku of the last RAT: a year as written (``2023``), or from the
    meeting's date the year before it, as ``Cooperative.last_rat_tahun_buku``
    reads a date (a RAT held on 14 March 2025 closes the books of 2024). The
    registry's own export writes the date: taken as the tahun buku, its year moved
    every cooperative's last RAT a year on when the export was imported again."""
    if is_blank(raw):
        return None
    if not isinstance(raw, datetime.date):
        value = text(raw).lstrip("'")
        if _YEAR.fullmatch(value):
            return parse_year(raw, today=today)
        if _NUMBER.fullmatch(value) and float(value.replace(",", ".")) < _FIRST_SERIAL:
            # Too small for a date number: a year written wrong (2025.5), said
            # as the column takes it, not "tulis tanggalnya".
            raise CellError(
                _(
                    "Tulis tahunnya dengan empat angka (misalnya 2023) atau tanggal "
                    "RAT-nya (bukan %(value)s)."
                )
                % {"value": value}
            )
    return rat_tahun_buku(None, parse_date(raw, today=today))


def parse_phone(raw: Any) -> str:
    """A phone number as text; a number cell gets back the leading 0 it lost."""
    if is_blank(raw):
        return ""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = str(int(raw))
        # A number cell (or a CSV Excel saved again) drops the leading 0.
        value = value if value.startswith("62") else "0" + value
    else:
        value = text(raw)
        if value[:1] == "8" and value.isdigit():
            value = "0" + value  # "81234567890": a mobile number without its 0
    if len(value) > 32:
        raise CellError(_("Nomor HP terlalu panjang (maksimal 32 karakter)."))
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
