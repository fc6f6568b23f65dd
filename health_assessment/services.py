"""Every write to rule sets and assessments. Each service runs in one transaction and
writes its audit row in it."""

import datetime
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from cooperatives.models import Cooperative, CooperativeFigures
from lib.display import shown
from lib.numbers import format_decimal
from lib.office_text import lazy_text

from .models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Predikat,
    RuleSetVersion,
)
from .scoring import (
    Indicator,
    Inputs,
    Override,
    Result,
    RuleSet,
    RuleSetError,
    parse_ruleset,
)
from .scoring import score as score_inputs

# A score in the audit trail's words ("92,73"), made when the trail is written.
score_words = lazy(format_decimal, str)

RULESET_DIR = Path(__file__).resolve().parent / "rulesets"

# Words older instruments and local data portals use (REFERENCE.md 1.2.7, 1.3).
PREDIKAT_ALIASES = {
    "sehat": Predikat.SEHAT,
    "cukup sehat": Predikat.CUKUP_SEHAT,
    "dalam pengawasan": Predikat.DALAM_PENGAWASAN,
    "dalam pengawasan khusus": Predikat.DALAM_PENGAWASAN_KHUSUS,
    "kurang sehat": Predikat.DALAM_PENGAWASAN,
    "tidak sehat": Predikat.DALAM_PENGAWASAN_KHUSUS,
    "sangat tidak sehat": Predikat.DALAM_PENGAWASAN_KHUSUS,
}


class AssessmentRefused(Exception):
    """The action is not allowed now; the message says why, in Bahasa Indonesia."""


# --- rule sets ---------------------------------------------------------------------


def read_definition(text: str | bytes) -> dict[str, Any]:
    """YAML (or JSON, which is YAML) text -> plain data with dates as ISO strings,
    ready for a JSONField. Raises ``RuleSetError`` on unreadable text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RuleSetError(
            [f"berkas tidak dapat dibaca sebagai YAML: {error}"]
        ) from None
    if not isinstance(data, dict):
        raise RuleSetError(["definisi harus berupa pemetaan (mapping)"])
    return json.loads(json.dumps(data, default=_iso))


def definition_digest(data: Mapping[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def _iso(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be stored")


@transaction.atomic
def ruleset_load(
    *, data: Mapping[str, Any], acting_user: User | None
) -> RuleSetVersion:
    """Validate and store one rule-set version. Loading the same definition again
    returns the stored row; a different definition under an existing code and
    version is refused (a change must be a new version)."""
    ruleset = parse_ruleset(data)
    digest = definition_digest(data)
    existing = RuleSetVersion.objects.filter(
        code=ruleset.code, version=ruleset.version
    ).first()
    if existing is not None:
        if existing.sha256 == digest:
            return existing
        raise AssessmentRefused(
            _(
                "Aturan %(label)s sudah dimuat dengan isi berbeda. Naikkan nomor "
                "versi untuk memuat perubahan."
            )
            % {"label": ruleset.label}
        )
    row = RuleSetVersion.objects.create(
        code=ruleset.code,
        version=ruleset.version,
        name=ruleset.name,
        variant=ruleset.variant,
        valid_from=ruleset.valid_from,
        valid_to=ruleset.valid_to,
        jenis=list(ruleset.jenis),
        has_provisional=ruleset.has_provisional,
        definition=dict(data),
        sha256=digest,
        loaded_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=row,
        message=lazy_text(
            gettext_lazy("Aturan penilaian %(label)s dimuat."), label=ruleset.label
        ),
    )
    return row


def ruleset_for(*, cooperative: Cooperative, tahun_buku: int) -> RuleSetVersion:
    """The newest version of the rule set that covers the cooperative's jenis and
    the tahun buku."""
    year_start = datetime.date(tahun_buku, 1, 1)
    year_end = datetime.date(tahun_buku, 12, 31)
    candidates = [
        row
        for row in RuleSetVersion.objects.filter(valid_from__lte=year_end).order_by(
            "-valid_from", "-version"
        )
        if cooperative.jenis in row.jenis
        and (row.valid_to is None or row.valid_to >= year_start)
    ]
    if not candidates:
        raise AssessmentRefused(
            _("Belum ada aturan penilaian untuk jenis %(jenis)s tahun %(year)s.")
            % {"jenis": cooperative.get_jenis_display(), "year": tahun_buku}
        )
    return candidates[0]


# --- assessments -------------------------------------------------------------------


def assessment_inputs(assessment: Assessment) -> Inputs:
    return Inputs.from_data(
        checklist=assessment.checklist,
        figures=assessment.figures,
        overrides=assessment.overrides,
    )


def assessment_score(assessment: Assessment) -> tuple[RuleSet, Inputs, Result]:
    """Score the stored inputs against the pinned rule-set version (no query beyond
    the rule set, which the caller should have selected)."""
    assert assessment.ruleset is not None
    ruleset = assessment.ruleset.parsed()
    inputs = assessment_inputs(assessment)
    return ruleset, inputs, score_inputs(ruleset, inputs)


def prefilled_figures(
    *, ruleset: RuleSet, cooperative: Cooperative, tahun_buku: int
) -> dict[str, str | None]:
    rows = {
        row.tahun_buku: row
        for row in CooperativeFigures.objects.filter(
            cooperative=cooperative, tahun_buku__in=(tahun_buku, tahun_buku - 1)
        )
    }
    figures: dict[str, str | None] = {}
    for item in ruleset.inputs:
        value = None
        if item.prefill_field:
            year = tahun_buku - 1 if item.prefill_previous_year else tahun_buku
            row = rows.get(year)
            raw = getattr(row, item.prefill_field) if row else None
            value = None if raw is None else format(raw, "f")
        figures[item.name] = value
    return figures


@transaction.atomic
def assessment_start(
    *, cooperative: Cooperative, tahun_buku: int, acting_user: User
) -> Assessment:
    """Open a draft for the year, figures prefilled from the registry. Starting
    twice (a double click) returns the same draft; a year with a result needs a
    revision instead."""
    Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    draft = Assessment.objects.filter(
        cooperative=cooperative, tahun_buku=tahun_buku, status=AssessmentStatus.DRAFT
    ).first()
    if draft is not None:
        return draft
    if (
        Assessment.objects.current()
        .filter(cooperative=cooperative, tahun_buku=tahun_buku)
        .exists()
    ):
        raise AssessmentRefused(
            _(
                "Tahun buku %(year)s sudah punya hasil penilaian. Buat revisi dari "
                "hasil itu untuk mengoreksinya."
            )
            % {"year": tahun_buku}
        )
    row = ruleset_for(cooperative=cooperative, tahun_buku=tahun_buku)
    assessment = Assessment.objects.create(
        cooperative=cooperative,
        tahun_buku=tahun_buku,
        ruleset=row,
        instrument=row.name,
        figures=prefilled_figures(
            ruleset=row.parsed(), cooperative=cooperative, tahun_buku=tahun_buku
        ),
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=assessment,
        cooperative=cooperative,
        message=lazy_text(
            gettext_lazy(
                "Penilaian kesehatan tahun buku %(year)s dimulai (%(rules)s)."
            ),
            year=tahun_buku,
            rules=row.label,
        ),
    )
    return assessment


def _locked_draft(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != AssessmentStatus.DRAFT:
        raise AssessmentRefused(
            _(
                "Penilaian ini sudah final dan tidak dapat diubah. Buat revisi untuk "
                "mengoreksinya."
            )
        )
    return locked


@transaction.atomic
def assessment_save_draft(
    *,
    assessment: Assessment,
    checklist: Mapping[str, bool],
    figures: Mapping[str, Decimal | None],
    overrides: Mapping[str, Override],
    acting_user: User,
) -> Assessment:
    locked = _locked_draft(assessment)
    ruleset = locked.ruleset.parsed()  # type: ignore[union-attr]
    if set(checklist) - ruleset.item_codes or set(figures) - ruleset.input_names:
        raise AssessmentRefused(_("Data penilaian tidak cocok dengan aturannya."))
    before = dict(locked.figures or {})
    ticked_before = dict(locked.checklist or {})
    locked.checklist = {code: True for code, met in checklist.items() if met}
    locked.figures = {
        name: None if figures.get(name) is None else format(figures[name], "f")
        for name in sorted(ruleset.input_names)
    }
    locked.overrides = {
        code: {"skor": o.skor, "reason": o.reason}
        for code, o in overrides.items()
        if code in ruleset.indicator_index and not ruleset.indicator(code).is_checklist
    }
    locked.save(update_fields=["checklist", "figures", "overrides", "updated_at"])
    result = assessment_score(locked)[2]
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=locked,
        cooperative=locked.cooperative,
        changes={
            **_figures_changed(ruleset, before, locked.figures),
            **_checklist_changed(ruleset, ticked_before, locked.checklist),
        },
        message=lazy_text(
            gettext_lazy("Draf penilaian disimpan (skor sementara: %(score)s)."),
            score=score_words(result.final_score)
            if result.complete and result.final_score is not None
            else "-",
        ),
    )
    return locked


@transaction.atomic
def assessment_finalise(*, assessment: Assessment, acting_user: User) -> Assessment:
    """Fix the result. Refused while an indicator has no data and no override; a
    finalised revision replaces the result it corrects."""
    locked = _locked_draft(assessment)
    result = assessment_score(locked)[2]
    if not result.complete:
        names = ", ".join(i.name for i in result.unavailable)
        raise AssessmentRefused(
            _(
                "Belum dapat difinalisasi: data tidak tersedia untuk %(names)s. "
                "Lengkapi datanya atau tetapkan skor manual dengan alasan."
            )
            % {"names": names}
        )
    if locked.revision_of_id:
        Assessment.objects.filter(pk=locked.revision_of_id).update(is_current=False)
    locked.result = result.as_dict()
    locked.final_score = result.final_score
    locked.predikat = result.predikat or ""
    locked.status = AssessmentStatus.FINAL
    locked.finalised_by = acting_user
    locked.finalised_at = timezone.now()
    locked.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.FINALISE,
        obj=locked,
        cooperative=locked.cooperative,
        changes={
            "final_score": {
                "label": gettext_lazy("skor akhir"),
                "old": "",
                "new": "-"
                if result.final_score is None
                else score_words(result.final_score),
            },
            "predikat": {
                "label": gettext_lazy("predikat"),
                "old": "",
                "new": Predikat(locked.predikat).label,
            },
        },
        message=lazy_text(
            gettext_lazy("Penilaian tahun buku %(year)s difinalisasi."),
            year=locked.tahun_buku,
        ),
    )
    return locked


@transaction.atomic
def assessment_revise(
    *, assessment: Assessment, reason: str, acting_user: User
) -> Assessment:
    """A new draft revision of a finalised scored result, with the same rule-set
    version and inputs to correct; the earlier result stays in force until the
    revision is finalised."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_scored:
        # A historic result has no rule set or inputs to score again.
        raise AssessmentRefused(
            _(
                "Hasil lama yang dicatat tidak dapat direvisi lewat penilaian. "
                "Catat hasil lama yang benar; catatan baru itu menggantikan yang ini."
            )
        )
    if not locked.is_in_force:
        raise AssessmentRefused(
            _("Hanya hasil final yang berlaku yang dapat direvisi.")
        )
    if not reason.strip():
        raise AssessmentRefused(_("Alasan revisi wajib diisi."))
    existing = Assessment.objects.filter(
        cooperative=locked.cooperative_id,
        tahun_buku=locked.tahun_buku,
        status=AssessmentStatus.DRAFT,
    ).first()
    if existing is not None:
        return existing
    last = (
        Assessment.objects.filter(
            cooperative=locked.cooperative_id, tahun_buku=locked.tahun_buku
        )
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    revision = Assessment.objects.create(
        cooperative=locked.cooperative,
        tahun_buku=locked.tahun_buku,
        kind=locked.kind,
        ruleset=locked.ruleset,
        instrument=locked.instrument,
        revision=(last or 1) + 1,
        revision_of=locked,
        revision_reason=reason.strip(),
        checklist=locked.checklist,
        figures=locked.figures,
        overrides=locked.overrides,
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.REVISE,
        obj=revision,
        cooperative=locked.cooperative,
        message=lazy_text(
            gettext_lazy("Revisi %(n)s dibuat: %(reason)s"),
            n=revision.revision,
            reason=revision.revision_reason,
        ),
    )
    return revision


def _figures_changed(
    ruleset: RuleSet, before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, dict[str, str]]:
    """The worksheet's amounts a draft save changed, as the trail shows a change
    (a save had said only its provisional score)."""

    def amount(value: Any) -> str:
        return shown(None if value is None else Decimal(value))

    return {
        f"input_{name}": {
            "label": ruleset.input_label(name),
            "old": amount(before.get(name)),
            "new": amount(after.get(name)),
        }
        for name in sorted(after)
        if amount(before.get(name)) != amount(after.get(name))
    }


def _checklist_changed(
    ruleset: RuleSet, before: Mapping[str, bool], after: Mapping[str, bool]
) -> dict[str, dict[str, str]]:
    """The checklist answers a draft save changed, per indicator, as the items
    met by their number on the worksheet: the checklists carry all of Tata
    Kelola and most of Profil Risiko, and a save recorded only its amounts."""

    def met(indicator: Indicator, answers: Mapping[str, bool]) -> str:
        numbers = [
            str(n)
            for n, item in enumerate(indicator.items, 1)
            if answers.get(item.code)
        ]
        total = len(indicator.items)
        if not numbers:
            return f"tidak ada butir (0 dari {total})"
        return f"butir {', '.join(numbers)} ({len(numbers)} dari {total})"

    return {
        f"checklist_{indicator.code}": {
            "label": indicator.name,
            "old": met(indicator, before),
            "new": met(indicator, after),
        }
        for indicator in ruleset.indicators
        if indicator.is_checklist and met(indicator, before) != met(indicator, after)
    }


def predikat_from_label(label: str) -> Predikat:
    key = " ".join(label.replace("_", " ").lower().split())
    try:
        return PREDIKAT_ALIASES[key]
    except KeyError:
        raise AssessmentRefused(
            _("Predikat %(label)s tidak dikenal.") % {"label": label}
        ) from None


@transaction.atomic
def assessment_record_historic(
    *,
    cooperative: Cooperative,
    tahun_buku: int,
    instrument: str,
    final_score: Decimal | str,
    label: str,
    acting_user: User | None,
    reason: str = "",
) -> Assessment:
    """Record a result given under an older instrument (Perdep 06/2016, Permen
    14/2009), as it was given: no recomputation. Old predikat words are accepted.

    A year whose result in force is itself a recorded historic one may be recorded
    again, with a ``reason``: the new record replaces it as a new revision (the
    correction of a historic record is a new historic record). A year with a scored
    result or a draft is refused."""
    if tahun_buku >= timezone.localdate().year:
        # As a new assessment: a year's result is for closed books (a result
        # recorded for this year was published at once).
        raise AssessmentRefused(
            _("Penilaian kesehatan hanya untuk tahun buku yang sudah berakhir.")
        )
    try:
        value = Decimal(str(final_score).replace(",", "."))
    except InvalidOperation:
        raise AssessmentRefused(_("Skor harus berupa angka.")) from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise AssessmentRefused(_("Skor harus antara 0 dan 100."))
    predikat = predikat_from_label(label)
    if not instrument.strip():
        raise AssessmentRefused(_("Nama instrumen wajib diisi."))
    earlier = list(
        Assessment.objects.select_for_update()
        .filter(cooperative=cooperative, tahun_buku=tahun_buku)
        .order_by("-revision")
    )
    replaced = _historic_to_replace(earlier, tahun_buku, reason)
    if replaced is not None:
        replaced.is_current = False
        replaced.save(update_fields=["is_current"])
    assessment = Assessment.objects.create(
        cooperative=cooperative,
        tahun_buku=tahun_buku,
        revision=earlier[0].revision + 1 if earlier else 1,
        revision_of=replaced,
        revision_reason=reason.strip() if replaced else "",
        kind=AssessmentKind.HISTORIC,
        instrument=instrument.strip(),
        status=AssessmentStatus.FINAL,
        final_score=value.quantize(Decimal("0.01")),
        predikat=predikat,
        original_label=label.strip(),
        created_by=acting_user,
        finalised_by=acting_user,
        finalised_at=timezone.now(),
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=assessment,
        cooperative=cooperative,
        message=lazy_text(
            gettext_lazy(
                "Hasil lama dicatat: %(instrument)s, skor %(score)s, %(label)s."
            ),
            instrument=instrument,
            score=score_words(value),
            label=label,
        ),
    )
    return assessment


def _historic_to_replace(
    earlier: list[Assessment], tahun_buku: int, reason: str
) -> Assessment | None:
    """The historic result in force that a new record of the year replaces (None
    for a year without any result); refused when the year's result is scored."""
    if not earlier:
        return None
    in_force = next((a for a in earlier if a.is_in_force), None)
    if in_force is None or in_force.is_scored or any(a.is_draft for a in earlier):
        raise AssessmentRefused(
            _("Tahun buku %(year)s sudah punya penilaian.") % {"year": tahun_buku}
        )
    if not reason.strip():
        raise AssessmentRefused(
            _(
                "Tahun buku %(year)s sudah punya penilaian (hasil lama yang "
                "dicatat). Tuliskan alasan koreksi untuk menggantinya dengan "
                "catatan ini."
            )
            % {"year": tahun_buku}
        )
    return in_force
