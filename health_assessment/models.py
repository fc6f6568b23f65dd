import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative
from lib.models import user_ref

from .scoring import RuleSet, parse_ruleset


class Predikat(models.TextChoices):
    """The four health categories (Permenkop 9/2020); values match the rule-set
    files' predikat codes."""

    SEHAT = "sehat", _("Sehat")
    CUKUP_SEHAT = "cukup_sehat", _("Cukup Sehat")
    DALAM_PENGAWASAN = "dalam_pengawasan", _("Dalam Pengawasan")
    DALAM_PENGAWASAN_KHUSUS = "dalam_pengawasan_khusus", _("Dalam Pengawasan Khusus")


class RuleSetVersion(models.Model):
    """One version of one rule set, as loaded from its definition file. Never edited:
    a change is a new version, so an assessment pinned to this row keeps its
    meaning."""

    code = models.CharField(_("kode"), max_length=40)
    version = models.PositiveIntegerField(_("versi"))
    name = models.CharField(_("nama"), max_length=150)
    variant = models.CharField(_("varian"), max_length=60, blank=True)
    valid_from = models.DateField(_("berlaku sejak"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    jenis = models.JSONField(_("jenis koperasi"), default=list)
    has_provisional = models.BooleanField(_("memuat rentang sementara"), default=False)
    definition = models.JSONField(_("definisi"))
    sha256 = models.CharField(max_length=64)
    loaded_by = user_ref(_("dimuat oleh"), blank=True, on_delete=models.PROTECT)
    loaded_at = models.DateTimeField(_("dimuat"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("aturan penilaian")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="ruleset_version_unique",
                violation_error_message=_("Versi aturan ini sudah dimuat."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def label(self) -> str:
        return f"{self.code}@{self.version}"

    def parsed(self) -> RuleSet:
        """The validated rule set; parsed once per process per version (rows are
        never edited, and the hash guards against one that was)."""
        key = (self.pk, self.sha256)
        if key not in _PARSED:
            _PARSED[key] = parse_ruleset(self.definition)
        return _PARSED[key]


_PARSED: dict[tuple[int, str], RuleSet] = {}


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    FINAL = "final", _("Final")


class AssessmentKind(models.TextChoices):
    SCORED = "scored", _("Dinilai dengan KKPKK")
    HISTORIC = "historic", _("Hasil lama (dicatat)")


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user: Any) -> "AssessmentQuerySet":
        """Dinas users see every assessment; officers see the finalised results of
        their own cooperatives, never drafts."""
        if getattr(user, "is_dinas", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            status=AssessmentStatus.FINAL,
            cooperative__in=Cooperative.objects.visible_to(user),
        )

    def final(self) -> "AssessmentQuerySet":
        return self.filter(status=AssessmentStatus.FINAL)

    def current(self) -> "AssessmentQuerySet":
        """The result in force for each cooperative and year: finalised, not
        replaced by a later revision."""
        return self.filter(status=AssessmentStatus.FINAL, is_current=True)


class Assessment(models.Model):
    """A health assessment of one cooperative for one tahun buku, in one revision.

    Scored assessments pin the rule-set version they use; historic ones record a
    score and predikat given under an older instrument. A finalised row never
    changes: a correction is a new revision (``revision_of``) with a reason, and the
    earlier one stays, marked not current.
    """

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="assessments"
    )
    tahun_buku = models.PositiveSmallIntegerField(_("tahun buku"))
    kind = models.CharField(
        _("jenis penilaian"),
        max_length=16,
        choices=AssessmentKind,
        default=AssessmentKind.SCORED,
    )
    ruleset = models.ForeignKey(
        RuleSetVersion,
        verbose_name=_("aturan penilaian"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    instrument = models.CharField(_("instrumen"), max_length=150)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssessmentStatus,
        default=AssessmentStatus.DRAFT,
    )
    revision = models.PositiveSmallIntegerField(_("revisi"), default=1)
    revision_of = models.ForeignKey(
        "self",
        verbose_name=_("merevisi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
    )
    revision_reason = models.TextField(_("alasan revisi"), blank=True)
    is_current = models.BooleanField(_("berlaku"), default=True)
    checklist = models.JSONField(_("jawaban daftar periksa"), default=dict)
    figures = models.JSONField(_("data keuangan"), default=dict)
    overrides = models.JSONField(_("skor yang ditetapkan manual"), default=dict)
    result = models.JSONField(_("hasil"), default=dict, blank=True)
    final_score = models.DecimalField(
        _("skor akhir"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    predikat = models.CharField(
        _("predikat"), max_length=32, choices=Predikat, blank=True
    )
    original_label = models.CharField(_("label asli"), max_length=60, blank=True)
    verification_token = models.UUIDField(default=uuid.uuid4, unique=True)
    created_by = user_ref(_("dibuat oleh"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    finalised_by = user_ref(
        _("difinalisasi oleh"), blank=True, on_delete=models.PROTECT
    )
    finalised_at = models.DateTimeField(_("difinalisasi"), null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("penilaian kesehatan")
        ordering = ["cooperative", "-tahun_buku", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "tahun_buku", "revision"],
                name="assessment_one_revision_number",
            ),
            models.UniqueConstraint(
                fields=["cooperative", "tahun_buku"],
                condition=Q(status=AssessmentStatus.DRAFT),
                name="assessment_one_draft_per_year",
                violation_error_message=_(
                    "Sudah ada draf penilaian untuk tahun buku ini."
                ),
            ),
            models.UniqueConstraint(
                fields=["cooperative", "tahun_buku"],
                condition=Q(status=AssessmentStatus.FINAL, is_current=True),
                name="assessment_one_current_result_per_year",
            ),
            models.CheckConstraint(
                condition=Q(final_score__isnull=True)
                | Q(final_score__gte=0, final_score__lte=100),
                name="assessment_score_0_100",
            ),
            models.CheckConstraint(
                condition=Q(kind=AssessmentKind.HISTORIC) | Q(ruleset__isnull=False),
                name="assessment_scored_pins_ruleset",
            ),
            models.CheckConstraint(
                condition=Q(status=AssessmentStatus.DRAFT) | ~Q(predikat=""),
                name="assessment_final_has_predikat",
            ),
        ]
        indexes = [models.Index(fields=["tahun_buku", "status", "is_current"])]

    def __str__(self) -> str:
        # Named as an assessment: the trail read "KPRI … — 2025" for it and for
        # the year's figures beside it.
        words = {"coop": self.cooperative, "year": self.tahun_buku}
        if self.revision == 1:
            return str(_("%(coop)s — penilaian kesehatan %(year)s") % words)
        return str(
            _("%(coop)s — penilaian kesehatan %(year)s (revisi %(n)s)")
            % {**words, "n": self.revision}
        )

    def get_absolute_url(self) -> str:
        return reverse("health_assessment:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def is_scored(self) -> bool:
        return self.kind == AssessmentKind.SCORED

    @property
    def is_in_force(self) -> bool:
        """The result that counts for its cooperative and year."""
        return self.status == AssessmentStatus.FINAL and self.is_current

    @property
    def is_superseded(self) -> bool:
        """Finalised, then replaced by a later revision."""
        return self.status == AssessmentStatus.FINAL and not self.is_current
