from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cooperatives.models import YearFigures
from lib.jobs import JobRow, JobStatus
from lib.models import one_of, plausible_tahun_buku, rupiah_field, user_ref
from lib.uploads import stored_name

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ReportKind(models.TextChoices):
    REGISTRY_EXPORT = "registry_export", _("Ekspor daftar koperasi")


class FileFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (.xlsx)")
    CSV = "csv", _("CSV (.csv)")


# A report run's states are those of every job row.
RunStatus = JobStatus


class ReportRun(JobRow):
    """One request for a generated file, and the record of what happened to it.

    Created by the view, filled in by the Celery task; the page polls this row. The
    Celery result backend is never consulted.
    """

    kind = models.CharField(_("jenis laporan"), max_length=32, choices=ReportKind)
    file_format = models.CharField(_("format"), max_length=8, choices=FileFormat)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("jumlah baris"), null=True, blank=True)
    file = models.FileField(_("berkas"), upload_to="reports/%Y/%m/", blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    # A run belongs to whoever asked for it: their files go with them.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diminta oleh"),
        on_delete=models.CASCADE,
        related_name="report_runs",
    )
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)

    class Meta(JobRow.Meta):
        verbose_name = verbose_name_plural = _("laporan yang dibuat")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("reports:run_detail", args=[self.pk])

    @property
    def query(self) -> QueryDict:
        """``params`` (name -> list of values) as the list's query string was."""
        query = QueryDict(mutable=True)
        for key, values in self.params.items():
            query.setlist(key, [str(v) for v in values])
        return query

    @property
    def download_name(self) -> str:
        # In the office's time, as the page shows when it was asked for.
        stamp = timezone.localtime(self.created_at).strftime("%Y%m%d-%H%M")
        return f"daftar-koperasi-{stamp}.{self.file_format}"


# --- RAT reports --------------------------------------------------------------------


class RatStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    DIAJUKAN = "diajukan", _("Diajukan")
    PERLU_PERBAIKAN = "perlu_perbaikan", _("Perlu Perbaikan")
    DITERIMA = "diterima", _("Diterima")


class MeetingMode(models.TextChoices):
    LURING = "luring", _("Luring (tatap muka)")
    DARING = "daring", _("Daring")
    KELOMPOK = "kelompok", _("Berkelompok")


class AttachmentKind(models.TextChoices):
    BERITA_ACARA = "berita_acara", _("Berita acara RAT")
    DAFTAR_HADIR = "daftar_hadir", _("Daftar hadir")
    LPJ_PENGURUS = "lpj_pengurus", _("LPJ pengurus")
    LAPORAN_PENGAWAS = "laporan_pengawas", _("Laporan pengawas")
    NERACA = "neraca", _("Neraca")
    LAPORAN_HASIL_USAHA = "laporan_hasil_usaha", _("Laporan hasil usaha")
    RENCANA_KERJA = "rencana_kerja", _("Rencana kerja")
    RAPB = "rapb", _("RAPB")


class ReviewDecision(models.TextChoices):
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")
    ACCEPTED = "accepted", _("Diterima")


_STATUS_COLOURS = {
    RatStatus.DRAFT: "secondary",
    RatStatus.DIAJUKAN: "primary",
    RatStatus.PERLU_PERBAIKAN: "warning",
    RatStatus.DITERIMA: "success",
}


class RatPeriod(models.Model):
    """The deadlines of one tahun buku, when they differ from the defaults in
    settings (meeting within RAT_MEETING_MONTHS after the year ends, report within
    RAT_REPORT_DAYS after the meeting)."""

    tahun_buku = models.PositiveSmallIntegerField(_("tahun buku"), unique=True)
    meeting_deadline = models.DateField(_("batas akhir RAT"))
    report_days = models.PositiveSmallIntegerField(
        _("batas laporan (hari setelah RAT)")
    )

    class Meta:
        verbose_name = verbose_name_plural = _("jadwal RAT")
        ordering = ["-tahun_buku"]
        constraints = [
            plausible_tahun_buku("rat_period_tahun_buku_plausible"),
        ]

    def __str__(self) -> str:
        return f"RAT {self.tahun_buku}"


class RatReport(YearFigures):
    """A cooperative's RAT report for one tahun buku, from draft to accepted.

    Its status changes only through the services in ``reports.services.rat``; each
    submission is kept as a ``RatSubmission`` and each review as a ``RatReview``. The
    members and the figures the registry keeps too come from ``YearFigures``.
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("koperasi"),
        on_delete=models.PROTECT,
        related_name="rat_reports",
    )
    tahun_buku = models.PositiveSmallIntegerField(_("tahun buku"))
    status = models.CharField(
        _("status"), max_length=16, choices=RatStatus, default=RatStatus.DRAFT
    )
    entered_by_staff = models.BooleanField(
        _("diinput oleh staf (laporan kertas)"), default=False
    )
    # The meeting.
    meeting_date = models.DateField(_("tanggal RAT"), null=True, blank=True)
    # Last year's RAT as the registry had it when this report was accepted: the
    # acceptance makes this report's meeting the registry's last RAT, and the
    # report's "tahun lalu" column had then read "—".
    last_year_meeting_date = models.DateField(
        _("tanggal RAT tahun lalu"), null=True, blank=True, editable=False
    )
    meeting_mode = models.CharField(
        _("cara pelaksanaan"), max_length=16, choices=MeetingMode, blank=True
    )
    members_present = models.PositiveIntegerField(
        _("anggota hadir"), null=True, blank=True
    )
    quorum = models.PositiveIntegerField(
        _("kuorum (jumlah hadir minimal)"), null=True, blank=True
    )
    # The new board. A line a person, a few dozen people at most: the form refuses
    # more (a page
    # and its audit trail showing 200,000 characters took a phone 40 s to draw).
    pengurus_terpilih = models.TextField(
        _("pengurus terpilih"), blank=True, max_length=2000
    )
    pengawas_terpilih = models.TextField(
        _("pengawas terpilih"), blank=True, max_length=2000
    )
    # The rest of the financial summary.
    kewajiban = rupiah_field(_("kewajiban"))
    ekuitas = rupiah_field(_("ekuitas / modal sendiri"))
    pendapatan = rupiah_field(_("pendapatan"))
    beban = rupiah_field(_("beban"))
    shu_cadangan = rupiah_field(_("SHU untuk cadangan"))
    shu_anggota = rupiah_field(_("SHU untuk anggota (jasa modal dan usaha)"))
    shu_lainnya = rupiah_field(_("SHU untuk dana lain"))
    # What the officer confirmed when a check asked.
    confirm_member_jump = models.BooleanField(
        _("perubahan jumlah anggota sudah benar"), default=False
    )
    confirm_late_meeting = models.BooleanField(
        _("RAT memang diadakan setelah batas waktu"), default=False
    )
    confirm_same_figures = models.BooleanField(
        _("angka keuangan memang sama dengan tahun lalu"), default=False
    )
    # Stamps.
    receipt_number = models.CharField(
        _("nomor tanda terima"), max_length=32, unique=True, null=True, blank=True
    )
    submission_count = models.PositiveSmallIntegerField(
        _("jumlah pengajuan"), default=0
    )
    created_by = user_ref(_("dibuat oleh"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    first_submitted_at = models.DateTimeField(
        _("pertama diajukan"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("terakhir diajukan"), null=True, blank=True)
    # Judged once, at the first submission, against the deadline then in force.
    submitted_on_time = models.BooleanField(_("tepat waktu"), null=True, blank=True)
    submitted_by = user_ref(_("diajukan oleh"), blank=True)
    reviewed_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    reviewed_by = user_ref(_("diperiksa oleh"), blank=True)
    # The officers' answer to the Dinas's notes, written with the fixes and sent
    # with the next submission (kept there, ``RatSubmission.reply``).
    reply = models.TextField(_("tanggapan pengurus"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("laporan RAT")
        ordering = ["-tahun_buku", "cooperative__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "tahun_buku"],
                name="rat_report_one_per_coop_year",
                violation_error_message=_(
                    "Laporan RAT untuk tahun buku ini sudah ada."
                ),
            ),
            one_of("status", RatStatus, "rat_report_status_valid"),
            plausible_tahun_buku("rat_report_tahun_buku_plausible"),
            models.CheckConstraint(
                condition=models.Q(status=RatStatus.DRAFT)
                | models.Q(receipt_number__isnull=False, submitted_at__isnull=False),
                name="rat_report_submitted_has_receipt",
            ),
        ]
        indexes = [
            models.Index(fields=["tahun_buku", "status"], name="rat_year_status_idx"),
        ]

    def __str__(self) -> str:
        return f"RAT {self.tahun_buku} — {self.cooperative}"

    def get_absolute_url(self) -> str:
        return reverse("reports:rat_detail", args=[self.pk])

    @property
    def status_colour(self) -> str:
        """The Bootstrap colour of this status's badge."""
        return _STATUS_COLOURS[RatStatus(self.status)]

    @property
    def is_editable(self) -> bool:
        """Officers (and staff, for paper reports) may change it in these states."""
        return self.status in (RatStatus.DRAFT, RatStatus.PERLU_PERBAIKAN)

    @property
    def needs_fixing(self) -> bool:
        return self.status == RatStatus.PERLU_PERBAIKAN

    @property
    def is_awaiting_review(self) -> bool:
        return self.status == RatStatus.DIAJUKAN


def _attachment_path(instance: "RatAttachment", filename: str) -> str:
    # The stored name never comes from the user: only the kind and a random part.
    report = instance.report
    return f"rat/{report.tahun_buku}/{report.cooperative_id}/" + stored_name(
        instance.kind, instance.content_type
    )


class RatAttachment(models.Model):
    """One document of a report, at most one per kind. Stored under MEDIA_ROOT, which
    has no URL: it is served only by ``reports.rat_views.attachment_view``."""

    report = models.ForeignKey(
        RatReport, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("dokumen"), max_length=32, choices=AttachmentKind)
    file = models.FileField(_("berkas"), upload_to=_attachment_path, max_length=255)
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    content_type = models.CharField(_("jenis berkas"), max_length=64)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = user_ref(_("diunggah oleh"))
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("lampiran RAT")
        ordering = ["report", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind"], name="rat_attachment_one_per_kind"
            ),
            one_of("kind", AttachmentKind, "rat_attachment_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("reports:rat_attachment", args=[self.pk])


class RatSubmission(models.Model):
    """What was submitted, each time: the basis of "changed since last time"."""

    report = models.ForeignKey(
        RatReport, on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveSmallIntegerField(_("pengajuan ke-"))
    data = models.JSONField(_("isi laporan"))
    attachments = models.JSONField(_("lampiran"), default=dict)
    reply = models.TextField(_("tanggapan pengurus"), blank=True)
    submitted_by = user_ref(_("diajukan oleh"))
    submitted_at = models.DateTimeField(_("diajukan"))

    class Meta:
        verbose_name = verbose_name_plural = _("pengajuan RAT")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="rat_submission_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} — pengajuan {self.number}"


class RatReview(models.Model):
    """A staff decision on one submission, with a note and comments per field."""

    report = models.ForeignKey(
        RatReport, on_delete=models.CASCADE, related_name="reviews"
    )
    submission = models.ForeignKey(
        RatSubmission, on_delete=models.CASCADE, related_name="reviews"
    )
    decision = models.CharField(_("keputusan"), max_length=16, choices=ReviewDecision)
    note = models.TextField(_("catatan"), blank=True)
    field_comments = models.JSONField(_("catatan per isian"), default=dict, blank=True)
    reviewed_by = user_ref(_("diperiksa oleh"))
    reviewed_at = models.DateTimeField(_("diperiksa"))

    class Meta:
        verbose_name = verbose_name_plural = _("pemeriksaan RAT")
        ordering = ["report", "-reviewed_at", "-id"]
        constraints = [
            one_of("decision", ReviewDecision, "rat_review_decision_valid"),
            models.UniqueConstraint(
                fields=["submission"], name="rat_review_one_per_submission"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.get_decision_display()}"

    @property
    def labelled_comments(self) -> list[tuple["StrOrPromise", str]]:
        """Each comment with the name of its field or document, as people read it."""
        return [(comment_label(k), v) for k, v in self.field_comments.items()]


class RatReminder(models.Model):
    """A reminder e-mail that went out; its uniqueness is what stops a second run on
    the same day (or a retried task) from sending it again."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.CASCADE,
        related_name="rat_reminders",
    )
    tahun_buku = models.PositiveSmallIntegerField(_("tahun buku"))
    offset_days = models.SmallIntegerField(_("hari sebelum batas"))
    due_date = models.DateField(_("batas laporan"))
    recipients = models.JSONField(_("penerima"), default=list)
    sent_at = models.DateTimeField(_("dikirim"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("pengingat RAT")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "tahun_buku", "offset_days"],
                name="rat_reminder_once_per_offset",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} — RAT {self.tahun_buku} ({self.offset_days:+d})"


# The key of a review comment (or a problem) about the attachments as a whole.
ATTACHMENTS_KEY = "attachments"


def comment_label(name: str) -> "StrOrPromise":
    """The label of what a review comment is about: a report field, a kind of
    document or the attachments as a whole. Lazy text: a page reads it in its
    reader's language, the audit trail in the office's."""
    if name in AttachmentKind.values:
        return AttachmentKind(name).label
    if name == ATTACHMENTS_KEY:
        return _("Lampiran")
    try:
        field = RatReport._meta.get_field(name)
        return capfirst(field.verbose_name)  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name


# The rekap's models live in their own module; importing them here registers them
# with the reports app.
from .rekap.models import (  # noqa: E402, F401
    FreezeStatus,
    RekapFreezeJob,
    RekapSnapshot,
    SnapshotStatus,
)
