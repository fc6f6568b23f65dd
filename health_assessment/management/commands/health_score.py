import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from health_assessment.models import RuleSetVersion
from health_assessment.scoring import Inputs, RuleSet, score


class Command(BaseCommand):
    help = (
        "Score a health assessment from a JSON file against a loaded rule set and "
        "print the result as JSON (indicators, aspects, final_score, predikat). "
        "Input format: README.md, 'Scoring from the command line'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--ruleset", required=True, help="CODE or CODE@VERSION (default: newest)"
        )
        parser.add_argument("--input", required=True, type=Path, help="FILE.json")

    def handle(self, *args: Any, ruleset: str, input: Path, **options: Any) -> None:
        row = _ruleset_row(ruleset)
        try:
            data = json.loads(
                input.read_text(encoding="utf-8"), parse_constant=_finite_only
            )
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {input}: {error}") from None
        if not isinstance(data, dict):
            raise CommandError("The input file must hold one JSON object.")
        parsed = row.parsed()
        result = score(parsed, _inputs(data, parsed))
        output = result.as_dict()
        output["complete"] = result.complete
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))


def _ruleset_row(text: str) -> RuleSetVersion:
    code, _, version = text.partition("@")
    rows = RuleSetVersion.objects.filter(code=code).order_by("-version")
    if version:
        if not version.isdigit():
            raise CommandError(f"Version {version!r} is not a number.")
        rows = rows.filter(version=int(version))
    row = rows.first()
    if row is None:
        known = ", ".join(r.label for r in RuleSetVersion.objects.order_by("code"))
        raise CommandError(f"No rule set {text}. Loaded: {known or 'none'}.")
    return row


def _inputs(data: dict[str, Any], ruleset: RuleSet) -> Inputs:
    """The file's inputs; anything unusable is a CommandError (one line, exit 1)."""
    checklist = data.get("checklist") or {}
    figures = data.get("figures") or {}
    for part, value in (("checklist", checklist), ("figures", figures)):
        if not isinstance(value, dict):
            raise CommandError(
                f"Input not usable: {part!r} must be a JSON object (name: value), "
                f"not {type(value).__name__}."
            )
    unknown = (set(checklist) - ruleset.item_codes) | (
        set(figures) - ruleset.input_names
    )
    if unknown:
        names = ", ".join(sorted(unknown))
        raise CommandError(f"Unknown checklist items or inputs: {names}")
    try:
        return Inputs.from_data(
            checklist=checklist,
            figures=figures,
            overrides=data.get("overrides") or {},
        )
    except (ValueError, KeyError, TypeError) as error:
        raise CommandError(f"Input not usable: {error}") from None


def _finite_only(text: str) -> None:
    """json.loads calls this for NaN, Infinity and -Infinity."""
    raise ValueError(f"{text} is not a finite number")
