"""One way to show a value: any field value turned into what a person reads.

Used by the audit trail, the ODS import's preview, the RAT review and the public
pages, so that one amount reads ``Rp 1.250.000`` and one date ``1 Mei 2024``
everywhere (in the active language: English gives ``1 May 2024``).

- nothing (``None``, ``""``) reads ``—``;
- ``True``/``False`` read ``Ya``/``Tidak``;
- a choice reads its label;
- an amount (``Decimal``) reads ``Rp 1.250.000`` (sen only when there are any);
- a date reads ``1 Mei 2024``, a moment ``1 Mei 2024 13:05`` in Asia/Makassar;
- a count reads ``1.250``; any other value as it is (a year stays ``2024``).

``shown`` takes the value and what kind it is; ``field_shown`` reads the kind from a
model field.
"""

import datetime
import functools
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .money import MONEY_DIGITS
from .numbers import format_count, format_rupiah

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EMPTY = "—"


# Integer fields that hold counts (members, rows, bytes). Small integers hold years,
# revisions and days, which read as typed.
_COUNT_FIELDS = (
    models.IntegerField,
    models.PositiveIntegerField,
    models.BigIntegerField,
    models.PositiveBigIntegerField,
)


def shown(
    value: Any,
    *,
    choices: Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None = None,
    count: bool = False,
) -> str:
    """``value`` as a person reads it; ``choices`` gives the labels of a choice
    field, ``count`` marks an integer as a count (``1.250``)."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return str(_("Ya") if value else _("Tidak"))
    if choices is not None:
        labels = choices if isinstance(choices, Mapping) else dict(choices)
        return str(labels.get(value, value))
    if isinstance(value, Decimal):
        return format_rupiah(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "j F Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if count and isinstance(value, int):
        return ("-" if value < 0 else "") + format_count(abs(value))
    return str(value)


def field_shown(field: "models.Field[Any, Any]", value: Any) -> str:
    """The value of a model ``field`` as a person reads it. ``value`` may be the
    model's own or a JSON copy's (amounts and dates as text): it is read through
    the field first. A relation's value is the related object (or ``None``)."""
    if field.is_relation:
        return shown(value)
    value = field.to_python(value)
    if field.choices:
        return shown(value, choices=field.flatchoices)
    if (
        isinstance(field, models.DecimalField)
        # Amounts are kept as ``lib.models.rupiah_field`` keeps them; other
        # decimal fields are scores, ratios and coordinates, shown as numbers.
        and field.max_digits != MONEY_DIGITS
        and value is not None
    ):
        return number_format(value, decimal_pos=field.decimal_places)
    return shown(value, count=type(field) in _COUNT_FIELDS)


def help_text(message: "StrOrPromise", **values: Any) -> SafeString:
    """A form field's help text: ``message`` (translated, with ``%(name)s``) with
    ``values`` put in, every part escaped. Django's and crispy's templates print
    help text as HTML: an officer's name put in raw ran as script on the page."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(conditional_escape(message) % escaped)


# A year in a frozen label ("Hasil pemutakhiran 2025 per wilayah dan kelas"),
# and a class letter after a word ("Kelas A").
_LABEL_YEAR = re.compile(r"\b(?:19|20)[0-9]{2}\b")
_LABEL_LETTER = re.compile(r"^(.+) ([A-Z])$")


@functools.cache
def _indonesian_date() -> tuple[list[str], re.Pattern[str]]:
    """The month names ``shown`` writes in Indonesian (Django's own), and a date
    as it writes them ("5 Februari 2025", "14:35" after it)."""
    with translation.override("id"):
        months = [
            str(date_format(datetime.date(2000, m, 1), "F")) for m in range(1, 13)
        ]
    pattern = re.compile(
        r"\b([0-9]{1,2}) ("
        + "|".join(months)
        + r") ([0-9]{4})(?: ([0-9]{2}):([0-9]{2}))?"
    )
    return months, pattern


def frozen_label(text: Any) -> str:
    """A text frozen in Indonesian (a snapshot's title or heading, an audit
    entry's label, value or note) in the reader's language: the catalogue's own
    words turn into English. A text made with a value (a year, a class letter)
    is looked up as the words it was made from, the value put back; a date
    reads in the reader's words; a text the catalogue does not know (a name)
    stays as frozen."""
    if not text:
        return ""
    text = str(text)
    translated = _(text)
    if translated != text:
        return translated
    if text[:1].isupper():
        # A field's name written as a label ("Anggota hadir" of "anggota hadir").
        lowered = text[0].lower() + text[1:]
        translated = _(lowered)
        if translated != lowered:
            return translated[:1].upper() + translated[1:]
    year = _LABEL_YEAR.search(text)
    if year is not None:
        words = f"{text[: year.start()]}%(year)s{text[year.end() :]}"
        if _(words) != words:
            return _(words) % {"year": year.group()}
    lettered = _LABEL_LETTER.match(text)
    if lettered is not None and _(lettered[1]) != lettered[1]:
        return f"{_(lettered[1])} {lettered[2]}"
    if not (get_language() or "id").startswith("id"):
        return _indonesian_date()[1].sub(_date_in_reader_words, text)
    return text


def _date_in_reader_words(found: re.Match[str]) -> str:
    day, month, year, hour, minute = found.groups()
    try:
        date = datetime.date(
            int(year), _indonesian_date()[0].index(month) + 1, int(day)
        )
    except ValueError:
        return found.group()
    if hour is None:
        return date_format(date, "j F Y")
    moment = datetime.datetime.combine(date, datetime.time(int(hour), int(minute)))
    return date_format(moment, "j F Y H:i")


# Indonesia's three zones by their names on a clock; another zone goes by its own
# abbreviation.
_ZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def moment_shown(value: datetime.datetime | None, format: str = "j F Y H:i") -> str:
    """A moment as the office's clock reads it, with the zone named: "6 Desember
    2026 14:35 WITA". Some pages and messages named it and others did not."""
    if not value:
        return ""
    try:
        local = timezone.localtime(value) if timezone.is_aware(value) else value
    except OverflowError:
        # The calendar's last day in UTC has no next day here: shown as it is.
        return f"{date_format(value, format)} UTC"
    zone = _ZONES.get(settings.TIME_ZONE) or local.tzname() or ""
    return f"{date_format(local, format)} {zone}".strip()
