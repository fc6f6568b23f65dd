"""Health scoring as pure functions: a rule-set definition and inputs in, a result out.

Nothing here touches the database or Django settings, so every rule is tested with
plain tables (``health_assessment/tests/test_scoring_*.py``) and the same code scores
an assessment in the browser, in a PDF and in ``manage.py health_score``.
"""

from .advice import Advice, advise
from .definition import (
    PREDIKAT_CODES,
    Band,
    ChecklistItem,
    Indicator,
    InputDef,
    RuleSet,
    RuleSetError,
    parse_ruleset,
)
from .engine import (
    AspectResult,
    IndicatorResult,
    Inputs,
    Override,
    Result,
    SubAspectResult,
    predikat_for,
    round_half_up,
    score,
)
from .formula import Formula

__all__ = [
    "PREDIKAT_CODES",
    "Advice",
    "AspectResult",
    "Band",
    "ChecklistItem",
    "Formula",
    "Indicator",
    "IndicatorResult",
    "InputDef",
    "Inputs",
    "Override",
    "Result",
    "RuleSet",
    "RuleSetError",
    "SubAspectResult",
    "advise",
    "parse_ruleset",
    "predikat_for",
    "round_half_up",
    "score",
]
