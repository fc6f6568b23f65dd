from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.models import NON_NEGATIVE_FIGURES
from lib.forms import (
    DecimalNumberField,
    LineField,
    LinesField,
    RupiahField,
    WholeNumberField,
    not_negative,
    submit_helper,
    tahun_buku_ended,
    validate_tahun_buku_not_future,
)
from lib.meanwhile import EditedMeanwhile

from .scoring import Inputs, Override, RuleSet
from .services import AssessmentRefused, predikat_from_label

# Worksheet inputs that may be below zero: equity and results (a loss). Every
# other amount (aset, kewajiban, beban, pinjaman, simpanan, ATMR...) cannot.
SIGNED_INPUTS = {
    "ekuitas",
    "ekuitas_lalu",
    "shu",
    "shu_lalu",
    "shu_kotor",
    "modal_tertimbang",
}

SKOR_CHOICES = [("", _("— tidak —")), *[(str(s), str(s)) for s in (1, 2, 3, 4)]]


# A cooperative's health is assessed on a closed year's books, as a RAT report
# is filed: this year's were opened too.
validate_tahun_buku_ended = tahun_buku_ended(
    _("Penilaian kesehatan hanya untuk tahun buku yang sudah berakhir.")
)


class AssessmentStartForm(forms.Form):
    tahun_buku = WholeNumberField(
        label=_("Tahun buku"),
        # One lower bound, said once: "min_value=1990" beside the validator's 1900
        # said both at once for "-1".
        validators=[validate_tahun_buku_not_future, validate_tahun_buku_ended],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tahun_buku"].initial = timezone.localdate().year - 1
        self.helper = submit_helper(str(_("Mulai penilaian")))


class AssessmentForm(EditedMeanwhile, forms.Form):
    """The KKPKK worksheet of one rule set: a box per checklist item, an amount per
    financial input, and for each ratio an optional manual skor with its reason
    (used only when the ratio cannot be computed).

    Given ``assessment_pk``, what another tab or person saved since the page was
    opened is kept (``EditedMeanwhile`` over every field): a second tab saving its
    figures wiped the first one's ticks without a word."""

    def __init__(
        self,
        ruleset: RuleSet,
        *args: Any,
        assessment_pk: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.ruleset = ruleset
        self.assessment_pk = assessment_pk
        for indicator in ruleset.indicators:
            for item in indicator.items:
                self.fields[f"item_{item.code}"] = forms.BooleanField(
                    label=item.text, required=False
                )
            if not indicator.is_checklist:
                self.fields[f"skor_{indicator.code}"] = forms.ChoiceField(
                    label=_("Skor manual"), choices=SKOR_CHOICES, required=False
                )
                self.fields[f"reason_{indicator.code}"] = LineField(
                    label=_("Alasan"), required=False, max_length=500
                )
        for definition in ruleset.inputs:
            field = RupiahField(label=definition.label, required=False)
            if definition.prefill_field in NON_NEGATIVE_FIGURES or (
                definition.prefill_field is None
                and definition.name not in SIGNED_INPUTS
            ):
                # An amount that cannot be below zero (total aset, a kewajiban,
                # ATMR): a negative one was scored, finalised and published.
                field.validators.append(not_negative())
            self.fields[f"input_{definition.name}"] = field
        if assessment_pk is not None:
            self._complete_initial()
            self.edited_meanwhile_setup(list(self.fields))

    def _complete_initial(self) -> None:
        """Every field's saved value, so that a box left unticked compares with
        one nobody ticked, and an amount with its stored text."""
        for name, field in self.fields.items():
            value = self.initial.get(name)
            if isinstance(field, forms.BooleanField):
                self.initial[name] = bool(value)
            elif isinstance(field, RupiahField):
                self.initial[name] = (
                    None if value in (None, "") else Decimal(str(value))
                )
            elif value is None:
                self.initial[name] = ""

    def _record(self) -> str:
        return f"Assessment:{self.assessment_pk}"

    @staticmethod
    def initial_from(
        checklist: dict[str, bool], figures: dict[str, Any], overrides: dict[str, Any]
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {f"item_{c}": met for c, met in checklist.items()}
        initial.update({f"input_{n}": v for n, v in figures.items()})
        for code, entry in overrides.items():
            initial[f"skor_{code}"] = str(entry["skor"])
            initial[f"reason_{code}"] = entry["reason"]
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for indicator in self.ruleset.indicators:
            if indicator.is_checklist:
                continue
            skor = data.get(f"skor_{indicator.code}")
            reason = (data.get(f"reason_{indicator.code}") or "").strip()
            # A reason refused already (too long) is not also a missing one.
            if skor and not reason and f"reason_{indicator.code}" not in self.errors:
                self.add_error(
                    f"reason_{indicator.code}",
                    _("Tuliskan alasan skor yang ditetapkan manual."),
                )
        return data

    def checklist(self) -> dict[str, bool]:
        return {
            item.code: bool(self.cleaned_data.get(f"item_{item.code}"))
            for indicator in self.ruleset.indicators
            for item in indicator.items
        }

    def figures(self) -> dict[str, Decimal | None]:
        return {
            i.name: self.cleaned_data.get(f"input_{i.name}")
            for i in self.ruleset.inputs
        }

    def overrides(self) -> dict[str, Override]:
        """The manual scores as typed. Also of a page refused or still being
        typed (the live panel, the page shown again), whose reason may be missing
        or refused: ``clean`` refuses to save those, the score counts all the
        same (reading the reason that was not there raised a KeyError: a 500
        that lost the page, and a live panel that stopped)."""
        overrides = {}
        for indicator in self.ruleset.indicators:
            skor = self.cleaned_data.get(f"skor_{indicator.code}")
            if not indicator.is_checklist and skor:
                reason = self.cleaned_data.get(f"reason_{indicator.code}") or ""
                overrides[indicator.code] = Override(
                    skor=int(skor), reason=reason.strip()
                )
        return overrides

    def inputs(self) -> Inputs:
        return Inputs(
            checklist=self.checklist(),
            figures=self.figures(),
            overrides=self.overrides(),
        )

    def unreadable(self) -> list[str]:
        """The inputs typed as no amount ("12,5 jt"): scored as missing, and said
        as unreadable, not as empty ("data kosong")."""
        if not self.is_bound:
            return []
        return [
            name.removeprefix("input_")
            for name in self.errors
            if name.startswith("input_")
        ]

    def financial_fields(self) -> list[forms.BoundField]:
        return [self[f"input_{i.name}"] for i in self.ruleset.inputs]

    def layout(self) -> list[dict[str, Any]]:
        """Aspects -> sub-aspects -> indicators with their bound fields, for the
        worksheet template."""
        aspects = []
        for aspect in self.ruleset.aspects:
            subs = []
            for sub in aspect.sub_aspects:
                indicators = []
                for indicator in sub.indicators:
                    entry: dict[str, Any] = {"indicator": indicator}
                    if indicator.is_checklist:
                        entry["items"] = [
                            self[f"item_{item.code}"] for item in indicator.items
                        ]
                    else:
                        assert indicator.formula is not None
                        entry["inputs"] = [
                            self[f"input_{name}"]
                            for name in sorted(indicator.formula.names)
                        ]
                        entry["skor"] = self[f"skor_{indicator.code}"]
                        entry["reason"] = self[f"reason_{indicator.code}"]
                    indicators.append(entry)
                subs.append({"sub": sub, "indicators": indicators})
            aspects.append({"aspect": aspect, "subs": subs})
        return aspects


class RevisionForm(forms.Form):
    reason = LinesField(
        label=_("Alasan revisi"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(str(_("Buat revisi")))


class ScoreField(DecimalNumberField):
    """A score as it is written here, "75,5" (the pages show "25,67"), or with a
    point."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str) and value.count(",") == 1 and "." not in value:
            value = value.replace(",", ".")
        return super().to_python(value)


class HistoricResultForm(forms.Form):
    tahun_buku = WholeNumberField(
        label=_("Tahun buku"),
        validators=[validate_tahun_buku_not_future, validate_tahun_buku_ended],
    )
    instrument = LineField(
        label=_("Instrumen"),
        max_length=150,
        help_text=_("Misalnya Perdep 06/Per/Dep.6/IV/2016 atau Permen 14/2009."),
    )
    final_score = ScoreField(
        label=_("Skor akhir"), min_value=0, max_value=100, decimal_places=2
    )
    label = LineField(
        label=_("Predikat seperti tertulis"),
        max_length=60,
        help_text=_(
            "Sehat, Cukup Sehat, Dalam Pengawasan, Dalam Pengawasan Khusus, atau "
            "sebutan lama (kurang sehat, tidak sehat, sangat tidak sehat)."
        ),
    )
    reason = LineField(
        label=_("Alasan koreksi"),
        required=False,
        max_length=500,
        help_text=_(
            "Hanya bila tahun ini sudah punya hasil lama yang dicatat: catatan ini "
            "menggantikannya."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(str(_("Catat hasil")))

    def clean_label(self) -> str:
        label: str = self.cleaned_data["label"]
        try:
            predikat_from_label(label)
        except AssessmentRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return label
