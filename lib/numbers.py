"""Number formatting: Rupiah the Indonesian way in every language (as the Rupiah
is written); counts, scores and shares in the reader's language."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def format_thousands(value: int | Decimal) -> str:
    """``1250000`` -> ``1.250.000`` (dot as thousands separator): the grouping
    of a Rupiah amount, whatever the reader's language."""
    return f"{int(value):,}".replace(",", ".")


def format_count(value: int | Decimal) -> str:
    """A count in the reader's language: ``9.739`` in Indonesian, ``9,739`` in
    English (where "9.739" reads as nine and a bit)."""
    return number_format(int(value), decimal_pos=0, force_grouping=True)


def format_rupiah(value: Decimal | int | float | None) -> str:
    """``Decimal("1250000")`` -> ``Rp 1.250.000``; sen only when present.

    Negative amounts read ``-Rp 1.250.000``; ``None`` gives an empty string so that
    templates can show missing figures as blank.
    """
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    whole = int(amount)
    cents = int((amount - whole) * 100)
    text = f"Rp {format_thousands(whole)}"
    if cents:
        text += f",{cents:02d}"
    return sign + text


def format_decimal(value: Decimal | float, places: int = 2) -> str:
    """A score or a share with ``places`` decimals in the active language:
    ``1.234,50`` in Indonesian, ``1,234.50`` in English (Rupiah keep the Indonesian
    way in both, as the Rupiah is written)."""
    # Rounded here: Django's number_format cuts the digits past ``places``
    # (36/47 = 76.5957…% read "76,5%" beside the rekap's "76,60%").
    step = Decimal(1).scaleb(-places)
    rounded = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places, force_grouping=True)
