import re
from decimal import Decimal

from django import template

from lib.numbers import format_rupiah, format_thousands

register = template.Library()


@register.filter
def rupiah(value: Decimal | int | None) -> str:
    return format_rupiah(value)


@register.filter
def ribuan(value: int | Decimal | None) -> str:
    if value is None or value == "":
        return ""
    return format_thousands(value)


_RUPIAH_SPACE = re.compile(r"\bRp (?=[-\d])")


@register.filter
def amounts_whole(text: object) -> str:
    """``text`` with each "Rp 1.250.000" in it held on one line (a no-break space
    after "Rp"), for amounts inside running text such as the audit trail; the
    text around them still wraps."""
    return _RUPIAH_SPACE.sub("Rp\u00a0", str(text))
