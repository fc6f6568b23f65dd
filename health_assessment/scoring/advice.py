""" "How to move up": for every indicator below the top skor, what would raise it.

For a ratio it is the value the ratio must reach (the nearest edge of the next
better band, on the 2-decimal grid the ratio is scored on) and, where the rule set
names a ``lever`` input, the smallest whole-Rupiah change of that input that gets
there with the other inputs unchanged. For a checklist it is how many more items
must be met. Each piece of advice carries the points it adds to the final score,
computed by rescoring with the better skor, so it is exact under the rounding rules.
"""

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from .definition import Band, Indicator, RuleSet
from .engine import (
    TWO_PLACES,
    IndicatorResult,
    Inputs,
    Result,
    band_for,
    score,
    score_indicator,
)

MAX_DOUBLINGS = 80


@dataclass(frozen=True)
class Advice:
    code: str
    name: str
    current_skor: int
    target_skor: int
    current_value: Decimal | None = None
    target_value: Decimal | None = None  # the ratio the indicator must reach
    unit: str = ""
    direction: str = ""
    items_needed: int = 0  # checklist: more items to be met
    items_target: int = 0  # checklist: items met in total
    lever: str | None = None
    lever_label: str = ""
    lever_from: Decimal | None = None
    lever_to: Decimal | None = None
    points: Decimal | None = None  # final-score points it adds (None: incomplete)


def advise(ruleset: RuleSet, inputs: Inputs, result: Result) -> list[Advice]:
    advice = []
    for indicator_result in result.indicators:
        if indicator_result.skor is None or indicator_result.skor >= 4:
            continue
        if indicator_result.overridden:
            continue
        if indicator_result.negative_denominator:
            # No band to climb: the ratio means nothing until the divisor
            # (equity) is positive again, and the page says so as the reason.
            continue
        indicator = ruleset.indicator(indicator_result.code)
        if indicator.is_checklist:
            item = _checklist_advice(ruleset, indicator, indicator_result)
        else:
            item = _ratio_advice(ruleset, indicator, indicator_result, inputs)
        if item is None:
            continue
        if result.final_score is not None:
            better = score(ruleset, inputs, forced_skor={item.code: item.target_skor})
            assert better.final_score is not None
            item = replace(item, points=better.final_score - result.final_score)
        advice.append(item)
    return advice


def _checklist_advice(
    ruleset: RuleSet, indicator: Indicator, current: IndicatorResult
) -> Advice | None:
    total = len(indicator.items)
    for met in range(current.met + 1, total + 1):
        skor = band_for(ruleset.checklist_bands, Fraction(met * 100, total)).skor
        if skor > (current.skor or 0):
            return Advice(
                code=indicator.code,
                name=indicator.name,
                current_skor=current.skor or 0,
                target_skor=skor,
                items_needed=met - current.met,
                items_target=met,
            )
    return None


def _ratio_advice(
    ruleset: RuleSet,
    indicator: Indicator,
    current: IndicatorResult,
    inputs: Inputs,
) -> Advice | None:
    assert current.band is not None and current.value is not None
    target = _next_band(indicator, current.band)
    if target is None:
        return None
    if indicator.direction == "higher_is_better":
        assert target.lower is not None
        value = target.lower if target.lower_inclusive else target.lower + TWO_PLACES
    else:
        assert target.upper is not None
        value = target.upper if target.upper_inclusive else target.upper - TWO_PLACES
    advice = Advice(
        code=indicator.code,
        name=indicator.name,
        current_skor=current.skor or 0,
        target_skor=target.skor,
        current_value=current.value,
        target_value=value,
        unit=indicator.unit,
        direction=indicator.direction,
    )
    if indicator.lever is None:
        return advice
    lever_to = _solve_lever(ruleset, indicator, inputs, target.skor)
    if lever_to is None:
        return advice
    return replace(
        advice,
        lever=indicator.lever,
        lever_label=ruleset.input_label(indicator.lever),
        lever_from=inputs.figures[indicator.lever],
        lever_to=lever_to,
    )


def _next_band(indicator: Indicator, band: Band) -> Band | None:
    """The nearest band in the better direction with a higher skor."""
    bands = list(indicator.bands)
    index = bands.index(band)
    if indicator.direction == "higher_is_better":
        onward = bands[index + 1 :]
    else:
        onward = list(reversed(bands[:index]))
    return next((b for b in onward if b.skor > band.skor), None)


def _solve_lever(
    ruleset: RuleSet, indicator: Indicator, inputs: Inputs, target_skor: int
) -> Decimal | None:
    """The lever value closest to today's that reaches ``target_skor``, moving in
    whole Rupiah up or down (whichever is the smaller change); ``None`` if no value
    does (for example the lever cannot go below zero far enough). Assumes the
    ratio moves monotonically with the lever, as every shipped formula does."""
    lever = indicator.lever
    assert lever is not None
    start = inputs.figures.get(lever)
    if start is None:
        return None

    def reaches(candidate: Decimal) -> bool:
        figures: dict[str, Decimal | None] = {**inputs.figures}
        figures[lever] = candidate
        try:
            result = score_indicator(
                ruleset, indicator, replace(inputs, figures=figures)
            )
        except ArithmeticError:
            # A ratio too large to round to hundredths (a lever of 1 Rupiah
            # doubled toward its target): no answer along this way.
            return False
        return result.skor is not None and result.skor >= target_skor

    floor = Decimal(0) if start >= 0 else None  # a non-negative amount stays so
    answers = []
    for sign in (1, -1):

        def moved(step: int, sign: int = sign) -> Decimal:
            value = start + sign * step
            return value if floor is None else max(value, floor)

        # double the step until the target is reached, then halve back to the
        # smallest whole-Rupiah step that still reaches it
        step = 1
        while not reaches(moved(step)):
            if step >= 2**MAX_DOUBLINGS or moved(step) == floor:
                break
            step *= 2
        else:
            low, high = step // 2, step  # moved(low) fails (or low is 0)
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (low, middle) if reaches(moved(middle)) else (middle, high)
            answers.append(moved(high))
    return min(answers, key=lambda a: abs(a - start), default=None)
