"""A rekap snapshot (frozen rows, totals and their hash) and the job that freezes it.

Imported by ``reports.models`` so that Django sees them as the reports app's models.
"""

import datetime
import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.jobs import JobRow, JobStatus
from lib.models import one_of, user_ref


class SnapshotStatus(models.TextChoices):
    DRAF = "draf", _("Draf")
    DISETUJUI = "disetujui", _("Disetujui")
    DIKIRIM = "dikirim", _("Dikirim")


# A freeze job's states are every job's.
FreezeStatus = JobStatus


class RekapSnapshot(models.Model):
    """One frozen report for one period and scope. Its ``tables`` never change after
    freezing (only the workflow fields do); making the period again adds the next
    ``version`` beside it. ``content_hash`` is the SHA-256 of the canonical JSON of
    what was frozen (see reports.rekap.definitions.content_hash)."""

    code = models.CharField(_("laporan"), max_length=8)
    definition_version = models.PositiveSmallIntegerField(_("versi definisi"))
    tahun_buku = models.PositiveSmallIntegerField(_("tahun buku"))
    as_of = models.DateField(_("keadaan per"))
    scope_code = models.CharField(_("kode wilayah cakupan"), max_length=13)
    scope_name = models.CharField(_("cakupan"), max_length=100)
    version = models.PositiveSmallIntegerField(_("versi"))
    tables = models.JSONField(_("tabel"))
    content_hash = models.CharField(_("hash isi (SHA-256)"), max_length=64)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SnapshotStatus,
        default=SnapshotStatus.DRAF,
    )
    frozen_at = models.DateTimeField(_("dibekukan"))
    made_by = user_ref(_("dibuat oleh"))
    approved_by = user_ref(_("disetujui oleh"), blank=True)
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    verification_token = models.UUIDField(default=uuid.uuid4, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = _("rekap")
        ordering = ["-frozen_at", "-id"]
        permissions = [("approve_rekapsnapshot", _("Menyetujui rekap"))]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "tahun_buku", "as_of", "scope_code", "version"],
                name="rekap_snapshot_version_unique",
            ),
            one_of("status", SnapshotStatus, "rekap_snapshot_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.tahun_buku} v{self.version} ({self.scope_name})"

    def get_absolute_url(self) -> str:
        return reverse("reports:rekap_detail", args=[self.pk])

    def period_versions(self) -> "models.QuerySet[RekapSnapshot]":
        """Every version of this report for its period and scope, oldest first."""
        return RekapSnapshot.objects.filter(
            code=self.code,
            tahun_buku=self.tahun_buku,
            as_of=self.as_of,
            scope_code=self.scope_code,
        ).order_by("version")

    def newest_version(self) -> "RekapSnapshot | None":
        """The latest version of its period when it is not this one: a draft
        left behind is not approved beside it."""
        newest = self.period_versions().last()
        return newest if newest is not None and newest.pk != self.pk else None

    @property
    def scope_label(self) -> str:
        """The area as a reader names it: "Kecamatan Balikpapan Kota" beside
        "Kota Balikpapan" (the kecamatan's name alone read as the city's)."""
        from .definitions import Scope

        if Scope(self.scope_code, self.scope_name).is_kecamatan:
            return gettext("Kecamatan %(name)s") % {"name": self.scope_name}
        return self.scope_name

    @property
    def heading(self) -> str:
        """The report's title for its scope, and the scope."""
        from .definitions import DEFINITIONS

        title = DEFINITIONS[self.code].title_for(self.scope_code)
        return f"{title} — {self.scope_label}"

    @property
    def file_stem(self) -> str:
        """Unique as the snapshot is: R1 2025 of the city and of a kecamatan, or of
        two "keadaan per" dates, were each "rekap-r1-2025-v1" and one download
        overwrote the other."""
        scope = self.scope_code.replace(".", "")
        return (
            f"rekap-{self.code}-{self.tahun_buku}-{scope}-"
            f"{self.as_of:%Y%m%d}-v{self.version}"
        ).lower()

    @property
    def frozen_long_after(self) -> bool:
        """Frozen more than a month after its "keadaan per" date: its figures are
        the registry of the day it was frozen, which the page then says."""
        frozen_on = timezone.localdate(self.frozen_at)
        return (frozen_on - self.as_of).days > 31

    @property
    def figures_as_of(self) -> datetime.date:
        """The day whose registry the figures are: the "keadaan per" date asked
        for, or the day it was frozen when that came long after (the title had
        claimed 31 December 2025 above figures of December 2026)."""
        if self.frozen_long_after:
            return timezone.localdate(self.frozen_at)
        return self.as_of


class RekapSending(models.Model):
    """One recipient an approved rekap was sent to (the Wali Kota, the province,
    the Ministry: one rekap goes to several), with the date and letter number.
    The first makes the rekap Dikirim."""

    snapshot = models.ForeignKey(
        RekapSnapshot, on_delete=models.CASCADE, related_name="sendings"
    )
    sent_to = models.CharField(_("penerima"), max_length=200)
    sent_on = models.DateField(_("tanggal kirim"))
    nomor_surat = models.CharField(_("nomor surat"), max_length=100)
    sent_by = user_ref(_("dicatat oleh"))
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("pengiriman rekap")
        verbose_name_plural = _("pengiriman rekap")
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.nomor_surat} → {self.sent_to}"


class RekapFreezeJob(JobRow):
    """A request to freeze a snapshot, run by Celery; the page polls this row."""

    code = models.CharField(_("laporan"), max_length=8)
    tahun_buku = models.PositiveSmallIntegerField(_("tahun buku"))
    as_of = models.DateField(_("keadaan per"))
    scope_code = models.CharField(_("kode wilayah cakupan"), max_length=13)
    snapshot = models.OneToOneField(
        RekapSnapshot,
        verbose_name=_("rekap"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="freeze_job",
    )

    class Meta(JobRow.Meta):
        verbose_name = verbose_name_plural = _("pembekuan rekap")

    def __str__(self) -> str:
        return f"{self.code} {self.tahun_buku} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("reports:rekap_job", args=[self.pk])
