import datetime
import re
from decimal import Decimal

from django import template

from lib.display import frozen_label, moment_shown
from lib.hyphenate import soft_hyphens
from lib.numbers import format_count, format_rupiah
from lib.phone import phone_shown

register = template.Library()


@register.filter
def rupiah(value: Decimal | int | None) -> str:
    return format_rupiah(value)


@register.filter
def ribuan(value: int | Decimal | None) -> str:
    if value is None or value == "":
        return ""
    return format_count(value)


_RUPIAH_SPACE = re.compile(r"\bRp (?=[-\d])")


@register.filter
def amounts_whole(text: object) -> str:
    """``text`` with each "Rp 1.250.000" in it held on one line (a no-break space
    after "Rp"), for amounts inside running text such as the audit trail; the
    text around them still wraps."""
    return _RUPIAH_SPACE.sub("Rp\u00a0", str(text))


@register.filter
def waktu(value: datetime.datetime | None, format: str = "j F Y H:i") -> str:
    """A moment as the office's clock reads it, with the zone named
    (``lib.display.moment_shown``)."""
    return moment_shown(value, format)


@register.filter
def frozen(text: object) -> str:
    """A text written down in Indonesian when something happened (an audit
    entry's label, value or note) in the reader's language, where the catalogue
    knows it (``lib.display.frozen_label``); a name stays as it is."""
    return frozen_label(text)


@register.filter
def telepon(e164: str | None) -> str:
    """An officer's stored number as people read it (``lib.phone.phone_shown``)."""
    return phone_shown(e164)


@register.filter
def minutes(value: datetime.timedelta | None) -> int | None:
    """A duration in whole minutes, rounded up (a lockout's cool-off)."""
    if not isinstance(value, datetime.timedelta):
        return None
    return -(-int(value.total_seconds()) // 60)


@register.filter
def suku_kata(value: object) -> str:
    """Indonesian text with its long words' syllable breaks marked (soft
    hyphens), for a narrow PDF heading (``lib.hyphenate``)."""
    return soft_hyphens(str(value))
