"""The ODS import's models: a job per uploaded file, and the preview rows worth
showing. The services that drive them are in ``cooperatives.imports``."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lib.models import one_of, user_ref


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    READING = "reading", _("Membaca berkas")
    READY = "ready", _("Pratinjau siap")
    APPLYING = "applying", _("Sedang diterapkan")
    APPLIED = "applied", _("Diterapkan")
    UNDOING = "undoing", _("Sedang dibatalkan")
    UNDONE = "undone", _("Dibatalkan")
    CANCELLED = "cancelled", _("Tidak diterapkan")
    FAILED = "failed", _("Gagal")


class ImportJob(models.Model):
    """One uploaded ODS export and everything that happened to it.

    Created by the upload view or the ``import_ods`` command; read and previewed by
    a Celery task, applied only after a person confirms. The audit rows of an applied
    import point back here (``AuditEvent.import_job``), which is what undo reverses.
    """

    file = models.FileField(_("berkas"), upload_to="imports/%Y/%m/", max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("ukuran (byte)"), default=0)
    file_sha256 = models.CharField(max_length=64, editable=False, db_index=True)
    file_kind = models.CharField(_("jenis berkas"), max_length=8, blank=True)
    sheet_name = models.CharField(_("lembar kerja"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(
        _("baris judul kolom"), null=True, blank=True
    )
    tahun_buku = models.PositiveSmallIntegerField(
        _("tahun buku"),
        null=True,
        blank=True,
        help_text=_("Tahun buku data keragaan (anggota, modal, aset, SHU) di berkas."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ImportStatus,
        default=ImportStatus.QUEUED,
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("percobaan menerapkan"), default=0)
    read_attempts = models.PositiveSmallIntegerField(_("percobaan membaca"), default=0)
    include_duplicates = models.BooleanField(
        _("daftarkan juga kemungkinan duplikat"), default=False
    )
    row_count = models.PositiveIntegerField(_("jumlah baris"), default=0)
    new_count = models.PositiveIntegerField(_("baru"), default=0)
    changed_count = models.PositiveIntegerField(_("berubah"), default=0)
    unchanged_count = models.PositiveIntegerField(_("tidak berubah"), default=0)
    error_count = models.PositiveIntegerField(_("baris bermasalah"), default=0)
    duplicate_count = models.PositiveIntegerField(_("kemungkinan duplikat"), default=0)
    created_count = models.PositiveIntegerField(_("ditambahkan"), default=0)
    updated_count = models.PositiveIntegerField(_("diperbarui"), default=0)
    unknown_columns = models.JSONField(_("kolom tak dikenal"), default=list, blank=True)
    # How the file was read, said on the preview: [code, params] each
    # (cooperatives.imports.notices).
    notices = models.JSONField(_("catatan pembacaan"), default=list, blank=True)
    # Rows of kabupaten/kota this install does not serve: [[name, rows], ...].
    skipped_count = models.PositiveIntegerField(_("baris wilayah lain"), default=0)
    skipped_regions = models.JSONField(
        _("kabupaten/kota lain"), default=list, blank=True
    )
    # Kelompok labels no kelompok row knows: [{"label", "key", "rows",
    # "need_jenis"}, ...]; ``kelompok_mapping`` holds staff's choice per key (a jenis
    # value, or "" for none) until the apply adds them to the kelompok table.
    new_kelompok = models.JSONField(_("kelompok baru"), default=list, blank=True)
    kelompok_mapping = models.JSONField(
        _("pemetaan kelompok baru"), default=dict, blank=True
    )
    error = models.TextField(_("pesan kesalahan"), blank=True)
    undo_report = models.JSONField(_("hasil pembatalan"), default=dict, blank=True)
    timings = models.JSONField(_("durasi per tahap (detik)"), default=dict, blank=True)
    # What applying writes: the new, changed and possibly duplicate rows, cleaned.
    plan_file = models.FileField(
        _("rencana impor"), upload_to="imports/%Y/%m/", blank=True, max_length=255
    )
    rejected_file = models.FileField(
        _("baris ditolak"), upload_to="imports/%Y/%m/", blank=True, max_length=255
    )
    created_by = user_ref(_("diunggah oleh"), related_name="import_jobs")
    applied_by = user_ref(_("diterapkan oleh"), blank=True)
    undone_by = user_ref(_("dibatalkan oleh"), blank=True)
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    previewed_at = models.DateTimeField(_("pratinjau selesai"), null=True, blank=True)
    apply_started_at = models.DateTimeField(
        _("mulai diterapkan"), null=True, blank=True
    )
    applied_at = models.DateTimeField(_("diterapkan"), null=True, blank=True)
    undone_at = models.DateTimeField(
        pgettext_lazy("impor", "dibatalkan"), null=True, blank=True
    )

    class Meta:
        verbose_name = verbose_name_plural = _("impor ODS")
        ordering = ["-created_at", "-id"]
        constraints = [
            one_of("status", ImportStatus, "import_job_status_valid"),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="import_job_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"Impor #{self.pk} ({self.original_name})"

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:import_detail", args=[self.pk])

    @property
    def is_working(self) -> bool:
        return self.status in (
            ImportStatus.QUEUED,
            ImportStatus.READING,
            ImportStatus.APPLYING,
            ImportStatus.UNDOING,
        )

    @property
    def can_apply(self) -> bool:
        """Previewed and not applied; a failed apply (plan kept) may be retried."""
        if self.status == ImportStatus.READY:
            return True
        return self.status == ImportStatus.FAILED and self.previewed_at is not None

    @property
    def has_work(self) -> bool:
        """Something to write: a new, changed or possibly duplicated row. A file
        whose every row was refused or unchanged had still offered "Terapkan",
        then "Diterapkan: 0" and an undo of nothing."""
        return bool(self.new_count or self.changed_count or self.duplicate_count)

    @property
    def can_undo(self) -> bool:
        return self.status == ImportStatus.APPLIED

    @property
    def was_applied(self) -> bool:
        """Applied, and possibly undone since: its counts are what was written."""
        return self.status in (ImportStatus.APPLIED, ImportStatus.UNDONE)

    @property
    def first_listed_outcome(self) -> str:
        """The preview tab to open first: problems, then changes, duplicates, new."""
        counts = (
            (RowOutcome.ERROR, self.error_count),
            (RowOutcome.CHANGED, self.changed_count),
            (RowOutcome.DUPLICATE, self.duplicate_count),
            (RowOutcome.NEW, self.new_count),
        )
        return next((outcome for outcome, n in counts if n), RowOutcome.CHANGED)


class RowOutcome(models.TextChoices):
    NEW = "new", _("Baru")
    CHANGED = "changed", _("Berubah")
    DUPLICATE = "duplicate", _("Kemungkinan duplikat")
    ERROR = "error", _("Bermasalah")


class ImportRow(models.Model):
    """A row of the preview that matters: new, changed, possible duplicate or error.

    Unchanged rows are only counted, and new ones beyond the first thousand too (what
    applying writes is in ``ImportJob.plan_file``). ``changes`` maps a field to
    ``{"label", "ods", "registry"}`` for display; ``problems`` lists
    ``{"column", "value", "message"}``.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("baris"))
    outcome = models.CharField(_("hasil"), max_length=16, choices=RowOutcome)
    nik = models.CharField(_("NIK"), max_length=64, blank=True)
    name = models.CharField(_("nama koperasi"), max_length=255, blank=True)
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("koperasi di registri"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changes = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("baris impor")
        ordering = ["job", "row_number"]
        indexes = [
            models.Index(fields=["job", "outcome", "row_number"], name="import_row_idx")
        ]
        constraints = [
            one_of("outcome", RowOutcome, "import_row_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_number}"
