"""Scoring one assessment: checklist answers and financial figures in, a result out.

The rules (DECISIONS.md, Health assessment):
- a checklist indicator scores the share of items met against ``checklist_bands``
  (<= 25% -> 1, <= 50% -> 2, <= 75% -> 3, above -> 4; nothing met -> 1);
- a ratio indicator computes its formula, rounds it half up to 2 decimals, and
  takes the skor of the band holding it; a missing input or a zero denominator
  makes it "data tidak tersedia" (no skor) unless an override with a reason gives one;
- a ratio whose denominator is negative (negative equity: insolvency) is never in
  a good band whatever its value: skor 1, with the reason ("ekuitas negatif");
- every indicator without a skor, or with skor 1 for a negative denominator, says
  why in ``reason``;
- a sub-aspect or aspect scores sum of skor / (n x 4) x 100 over all its indicators,
  rounded half up to 2 decimals; the final score is the weighted sum of the rounded
  aspect scores, rounded the same way; predikat from the rule set's bands.
An aspect with an unavailable indicator has no score, and neither has the final:
a partial score is never shown as if it were a result.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from .definition import Band, Indicator, RuleSet
from .formula import NotAvailable

TWO_PLACES = Decimal("0.01")


def round_half_up(value: Decimal | Fraction) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Override:
    """A skor the assessor sets by hand for an indicator whose data is missing."""

    skor: int
    reason: str


@dataclass(frozen=True)
class Inputs:
    checklist: Mapping[str, bool] = field(default_factory=dict)
    figures: Mapping[str, Decimal | None] = field(default_factory=dict)
    overrides: Mapping[str, Override] = field(default_factory=dict)

    @classmethod
    def from_data(
        cls,
        *,
        checklist: Mapping[str, Any],
        figures: Mapping[str, Any],
        overrides: Mapping[str, Mapping[str, Any]],
    ) -> "Inputs":
        """From the plain-data shape stored on an assessment and read by
        ``manage.py health_score``: item code -> true/false, input name -> number
        or text or null, indicator code -> {"skor", "reason"}. Raises
        ``ValueError`` naming what is not usable: a part that is not an object, a
        figure that is not a finite number, a checklist answer that is not a
        boolean (``"false"`` must not count as met)."""
        for part, value in (
            ("checklist", checklist),
            ("figures", figures),
            ("overrides", overrides),
        ):
            if not isinstance(value, Mapping):
                raise ValueError(f"{part} harus berupa objek (nama: nilai)")
        values: dict[str, Decimal | None] = {}
        for name, raw in figures.items():
            values[name] = _figure(name, raw)
        answers: dict[str, bool] = {}
        for code, met in checklist.items():
            if not isinstance(met, bool):
                raise ValueError(
                    f"{code}: jawaban harus true atau false, bukan {met!r}"
                )
            answers[code] = met
        return cls(
            checklist=answers,
            figures=values,
            overrides={
                code: Override(skor=int(entry["skor"]), reason=str(entry["reason"]))
                for code, entry in overrides.items()
            },
        )


def _figure(name: str, raw: Any) -> Decimal | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str, Decimal)):
        raise ValueError(f"{name}: {raw!r} bukan angka")
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ValueError(f"{name}: {raw!r} bukan angka") from None
    if not value.is_finite():
        raise ValueError(f"{name}: {raw!r} bukan angka terhingga")
    return value


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    name: str
    kind: str
    skor: int | None
    unit: str = ""  # "%", "x" or "hari" for ratios
    value: Decimal | None = None  # ratio value (2 dp) or checklist share in %
    band: Band | None = None
    met: int = 0
    total: int = 0
    missing: tuple[str, ...] = ()
    zero_denominator: bool = False
    overridden: bool = False
    override_reason: str = ""
    provisional: bool = False
    # Why there is no skor, or why the skor is 1 whatever the value: ``reason``
    # in words (Bahasa Indonesia, as ``health_score`` prints it), and the parts
    # it is made of, from which pages write it in the reader's language.
    reason: str = ""
    negative_denominator: bool = False
    denominator: str = ""  # the divisor that is zero
    negative_denominators: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        return self.skor is not None


@dataclass(frozen=True)
class SubAspectResult:
    code: str
    name: str
    score: Decimal | None
    predikat: str | None
    indicators: tuple[IndicatorResult, ...]


@dataclass(frozen=True)
class AspectResult:
    code: str
    name: str
    weight: Decimal
    score: Decimal | None
    predikat: str | None
    sub_aspects: tuple[SubAspectResult, ...]

    @property
    def indicators(self) -> tuple[IndicatorResult, ...]:
        return tuple(i for sub in self.sub_aspects for i in sub.indicators)


@dataclass(frozen=True)
class Result:
    ruleset: str
    aspects: tuple[AspectResult, ...]
    final_score: Decimal | None
    predikat: str | None

    @property
    def indicators(self) -> tuple[IndicatorResult, ...]:
        return tuple(i for a in self.aspects for i in a.indicators)

    @property
    def unavailable(self) -> tuple[IndicatorResult, ...]:
        return tuple(i for i in self.indicators if not i.available)

    @property
    def complete(self) -> bool:
        return self.final_score is not None

    def indicator(self, code: str) -> IndicatorResult:
        return next(i for i in self.indicators if i.code == code)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of ``manage.py health_score`` and of stored results."""
        return {
            "ruleset": self.ruleset,
            "indicators": [
                {
                    "code": i.code,
                    "value": _number(i.value),
                    "skor": i.skor,
                    **({"override": i.override_reason} if i.overridden else {}),
                    **({"missing": list(i.missing)} if i.missing else {}),
                    **({"reason": i.reason} if i.reason else {}),
                }
                for i in self.indicators
            ],
            "sub_aspects": [
                {"code": s.code, "score": _number(s.score), "predikat": s.predikat}
                for a in self.aspects
                for s in a.sub_aspects
            ],
            "aspects": [
                {"code": a.code, "score": _number(a.score), "predikat": a.predikat}
                for a in self.aspects
            ],
            "final_score": _number(self.final_score),
            "predikat": self.predikat,
        }


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def predikat_for(ruleset: RuleSet, value: Decimal) -> str:
    for band in ruleset.predikat:
        if band.minimum is None or value >= band.minimum:
            return band.code
    raise AssertionError("the last predikat band has no minimum")  # validated


def band_for(bands: tuple[Band, ...], value: Decimal | Fraction) -> Band:
    return next(b for b in bands if b.contains(value))


def score_indicator(
    ruleset: RuleSet, indicator: Indicator, inputs: Inputs
) -> IndicatorResult:
    override = inputs.overrides.get(indicator.code)
    common = {
        "code": indicator.code,
        "name": indicator.name,
        "kind": indicator.kind,
        "unit": "" if indicator.is_checklist else indicator.unit,
        "provisional": indicator.provisional,
    }
    if indicator.is_checklist:
        total = len(indicator.items)
        met = sum(1 for item in indicator.items if inputs.checklist.get(item.code))
        share = Fraction(met * 100, total)
        band = band_for(ruleset.checklist_bands, share)
        skor = 1 if met == 0 else band.skor
        return IndicatorResult(
            **common,  # type: ignore[arg-type]
            skor=skor,
            value=round_half_up(share),
            band=band,
            met=met,
            total=total,
        )
    assert indicator.formula is not None
    try:
        value = round_half_up(indicator.formula.evaluate(inputs.figures))
    except NotAvailable as gap:
        reason = _unavailable_reason(gap)
        if override is not None:
            return IndicatorResult(
                **common,  # type: ignore[arg-type]
                skor=override.skor,
                missing=gap.missing,
                zero_denominator=gap.zero_denominator,
                denominator=gap.denominator,
                overridden=True,
                override_reason=override.reason,
                reason=reason,
            )
        return IndicatorResult(
            **common,  # type: ignore[arg-type]
            skor=None,
            missing=gap.missing,
            zero_denominator=gap.zero_denominator,
            denominator=gap.denominator,
            reason=reason,
        )
    negative = indicator.formula.negative_denominators(inputs.figures)
    if negative:
        return IndicatorResult(
            **common,  # type: ignore[arg-type]
            skor=1,
            value=value,
            negative_denominator=True,
            negative_denominators=tuple(negative),
            reason="; ".join(_negative_reason(text) for text in negative),
        )
    band = band_for(indicator.bands, value)
    return IndicatorResult(**common, skor=band.skor, value=value, band=band)  # type: ignore[arg-type]


def _unavailable_reason(gap: NotAvailable) -> str:
    if gap.missing:
        return "data kosong: " + ", ".join(gap.missing)
    return f"penyebut nol: {gap.denominator}"


def _negative_reason(denominator: str) -> str:
    """``ekuitas negatif`` for a divisor that is one input, else the expression."""
    if denominator.isidentifier():
        return denominator.replace("_", " ") + " negatif"
    return f"penyebut negatif: {denominator}"


def group_score(skors: list[int | None]) -> Decimal | None:
    if not skors or any(s is None for s in skors):
        return None
    total = sum(s for s in skors if s is not None)
    return round_half_up(Fraction(total * 100, len(skors) * 4))


def score(
    ruleset: RuleSet,
    inputs: Inputs,
    *,
    forced_skor: Mapping[str, int] | None = None,
) -> Result:
    """Score every indicator and aggregate. ``forced_skor`` replaces the skor of
    named indicators (what-if for advice); it is never used for a stored result."""
    forced = forced_skor or {}
    aspects = []
    for aspect in ruleset.aspects:
        subs = []
        for sub in aspect.sub_aspects:
            results = []
            for indicator in sub.indicators:
                result = score_indicator(ruleset, indicator, inputs)
                if indicator.code in forced:
                    result = replace(result, skor=forced[indicator.code])
                results.append(result)
            sub_score = group_score([r.skor for r in results])
            subs.append(
                SubAspectResult(
                    code=sub.code,
                    name=sub.name,
                    score=sub_score,
                    predikat=None
                    if sub_score is None
                    else predikat_for(ruleset, sub_score),
                    indicators=tuple(results),
                )
            )
        aspect_score = group_score([i.skor for s in subs for i in s.indicators])
        aspects.append(
            AspectResult(
                code=aspect.code,
                name=aspect.name,
                weight=aspect.weight,
                score=aspect_score,
                predikat=None
                if aspect_score is None
                else predikat_for(ruleset, aspect_score),
                sub_aspects=tuple(subs),
            )
        )
    final = None
    if all(a.score is not None for a in aspects):
        final = round_half_up(
            sum(
                (a.score * a.weight / 100 for a in aspects if a.score is not None),
                Decimal(0),
            )
        )
    return Result(
        ruleset=ruleset.label,
        aspects=tuple(aspects),
        final_score=final,
        predikat=None if final is None else predikat_for(ruleset, final),
    )
