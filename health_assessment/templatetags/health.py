"""Showing scores as the reader writes them: ``4,20%``, ``1,83×``, ``50 hari``,
``85,71`` in Indonesian; ``4.20%``, ``85.71`` in English."""

import re
from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from health_assessment.models import Predikat
from health_assessment.scoring import Band, Formula, IndicatorResult, RuleSet
from lib.numbers import format_decimal

register = template.Library()

PREDIKAT_COLOURS = {
    Predikat.SEHAT: "success",
    Predikat.CUKUP_SEHAT: "primary",
    Predikat.DALAM_PENGAWASAN: "warning",
    Predikat.DALAM_PENGAWASAN_KHUSUS: "danger",
}


def _decimal(value: Decimal) -> str:
    return format_decimal(value, 2)


@register.filter
def angka(value: Decimal | None) -> str:
    """``85.71`` -> ``85,71``."""
    return "" if value is None else _decimal(Decimal(value))


@register.filter
def ratio(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    text = _decimal(Decimal(value))
    if unit == "%":
        return f"{text}%"
    if unit == "x":
        return f"{text}×"
    if unit == "hari":
        return _("%(n)s hari") % {"n": text}
    return f"{text} {unit}"


@register.filter
def predikat_label(code: str | None) -> str:
    return str(Predikat(code).label) if code else _("belum dapat dihitung")


@register.filter
def predikat_colour(code: str | None) -> str:
    return PREDIKAT_COLOURS.get(code or "", "secondary")  # type: ignore[call-overload]


@register.filter
def band_text(band: Band | None, unit: str) -> str:
    """``[5, 7)`` -> ``5,00% s.d. < 7,00%``; open ends as ``≥`` / ``<``."""
    if band is None:
        return ""
    if band.lower is None:
        sign = "≤" if band.upper_inclusive else "<"
        return f"{sign} {ratio(band.upper, unit)}"
    if band.upper is None:
        sign = "≥" if band.lower_inclusive else ">"
        return f"{sign} {ratio(band.lower, unit)}"
    low = ("" if band.lower_inclusive else "> ") + ratio(band.lower, unit)
    high = ("" if band.upper_inclusive else "< ") + ratio(band.upper, unit)
    return _("%(low)s s.d. %(high)s") % {"low": low, "high": high}


@register.filter
def result_of(result: object, code: str) -> object:
    """The IndicatorResult of ``code`` in a scoring ``Result``."""
    return result.indicator(code)  # type: ignore[attr-defined]


@register.simple_tag(takes_context=True)
def reason_for(
    context: template.Context, result: IndicatorResult, unreadable: Any = None
) -> str:
    """``indicator_reason`` with the inputs named as the worksheet labels them,
    from the page's rule set."""
    ruleset = context.get("ruleset")
    labels = {i.name: i.label for i in ruleset.inputs} if ruleset else {}
    return indicator_reason(result, unreadable, labels=labels)


def indicator_reason(
    result: IndicatorResult,
    unreadable: Any = None,
    *,
    labels: dict[str, str] | None = None,
) -> str:
    """Why an indicator has no skor, or a skor of 1 whatever its value, in the
    reader's language (``result.reason`` is the same in Bahasa Indonesia, for
    ``health_score``'s output): ``data kosong: shu``, ``penyebut nol: ekuitas``,
    ``ekuitas negatif``, ``penyebut negatif: a + b``. ``unreadable``: the inputs
    typed as no amount (the live panel), said as such, not as empty. ``labels``:
    the worksheet's label of each input ("Beban pokok penjualan"); the rule set's
    name ("beban penjualan") read as another field, "Beban pokok (partisipasi)"."""
    labels = labels or {}

    def words(text: str) -> str:
        return re.sub(_NAME, lambda m: labels.get(m[0], _words(m[0])), text)

    if result.missing:
        typed = set(unreadable or ())
        said = []
        bad = [words(name) for name in result.missing if name in typed]
        empty = [words(name) for name in result.missing if name not in typed]
        if bad:
            said.append(
                _("isian tidak terbaca: %(inputs)s") % {"inputs": ", ".join(bad)}
            )
        if empty:
            said.append(_("data kosong: %(inputs)s") % {"inputs": ", ".join(empty)})
        return "; ".join(said)
    if result.zero_denominator:
        return _("penyebut nol: %(denominator)s") % {
            "denominator": words(result.denominator)
        }
    parts = [
        _("%(input)s negatif") % {"input": words(text)}
        if text.isidentifier()
        else _("penyebut negatif: %(denominator)s") % {"denominator": words(text)}
        for text in result.negative_denominators
    ]
    return "; ".join(parts) or result.reason


_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_OPERATORS = str.maketrans({"*": "×", "/": "÷", "-": "−"})


@register.filter
def formula_words(formula: Formula, ruleset: RuleSet) -> str:
    """A ratio's formula as the worksheet's labels say it: ``shu / total_aset *
    100`` -> ``SHU bersih (setelah pajak) ÷ Total aset × 100``."""
    labels = {i.name: i.label for i in ruleset.inputs}
    parts = re.split(r"([a-z_][a-z0-9_]*)", formula.text)
    return "".join(
        labels.get(part, _words(part))
        if _NAME.fullmatch(part)
        else part.translate(_OPERATORS)
        for part in parts
    )


def _words(name: str) -> str:
    """A rule set's name of a figure or a sum of them as words: ``beban_usaha +
    beban_perkoperasian`` -> ``beban usaha + beban perkoperasian``."""
    return name.replace("_", " ")
