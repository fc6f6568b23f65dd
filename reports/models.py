from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    REGISTRY_EXPORT = "registry_export", _("Ekspor daftar koperasi")


class FileFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (.xlsx)")
    CSV = "csv", _("CSV (.csv)")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Sedang diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ReportRun(models.Model):
    """One request for a generated file, and the record of what happened to it.

    Created by the view, filled in by the Celery task; the page polls this row. The
    Celery result backend is never consulted.
    """

    kind = models.CharField(
        _("jenis laporan"), max_length=32, choices=ReportKind.choices
    )
    file_format = models.CharField(
        _("format"), max_length=8, choices=FileFormat.choices
    )
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    row_count = models.PositiveIntegerField(_("jumlah baris"), null=True, blank=True)
    file = models.FileField(_("berkas"), upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(_("pesan kesalahan"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diminta oleh"),
        on_delete=models.CASCADE,
        related_name="report_runs",
    )
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("laporan yang dibuat")
        verbose_name_plural = _("laporan yang dibuat")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="report_run_progress_max_100",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values),
                name="report_run_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("reports:run_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def download_name(self) -> str:
        stamp = self.created_at.strftime("%Y%m%d-%H%M")
        return f"daftar-koperasi-{stamp}.{self.file_format}"
