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
