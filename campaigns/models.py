"""The annual pemutakhiran: a campaign per year, an item per cooperative with its
frozen baseline, the evidence gathered, the letters sent and the objections filed.
The rules that read these rows are pure functions in ``campaigns.rules``."""

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative, CooperativeStatus, Position
from lib.display import shown
from lib.jobs import JobRow, JobStatus  # noqa: F401 (the states, for this app)
from lib.models import new_reference, one_of, user_ref

from .rules import (
    Klass,
    LetterKind,
    VisitResult,
    add_months,
    rat_in_window,
    window_first_year,
)

# An objection is answered within a month (the public page says so).
OBJECTION_ANSWER_MONTHS = 1

DEFAULT_PATTERN = "{seq:03d}/{code}/DKUMKMP/{year}"


def default_letter_codes() -> dict[str, str]:
    return {
        LetterKind.PEMBERITAHUAN: "500.3.2",
        LetterKind.TEGURAN_1: "500.3.3",
        LetterKind.TEGURAN_2: "500.3.3",
        LetterKind.PERINGATAN: "500.3.4",
    }


class CampaignStatus(models.TextChoices):
    DRAF = "draf", _("Draf")
    BERJALAN = "berjalan", _("Berjalan")
    DITUTUP = "ditutup", _("Ditutup")


class ProposedClass(models.TextChoices):
    A = Klass.A, _("A · aktif, RAT tahun buku terakhir")
    B = Klass.B, _("B · aktif: RAT dalam jangka waktu, atau ditemukan aktif")
    C = Klass.C, _("C · tidak ada RAT dalam jangka waktu")
    D = Klass.D, _("D · ditemukan, tidak aktif")
    E = Klass.E, _("E · tidak ditemukan di alamatnya")
    F = Klass.F, _("F · diusulkan dibubarkan")


class EvidenceState(models.TextChoices):
    BELUM = "belum", _("Belum ada bukti")
    MENUNGGU = "menunggu", _("Bukti menunggu diperiksa")
    TERVERIFIKASI = "terverifikasi", _("Terverifikasi")


class Campaign(models.Model):
    """One year's pemutakhiran. Draf until opened; opening freezes a baseline per
    cooperative (``CampaignItem``); closing freezes the result in ``result``."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CampaignStatus,
        default=CampaignStatus.DRAF,
    )
    cutoff_date = models.DateField(_("tanggal batas"))
    window_years = models.PositiveSmallIntegerField(
        _("jangka waktu RAT (tahun buku)"), default=3
    )
    interval_teguran_1 = models.PositiveSmallIntegerField(
        _("hari dari pemberitahuan ke teguran I"), default=30
    )
    interval_teguran_2 = models.PositiveSmallIntegerField(
        _("hari dari teguran I ke teguran II"), default=30
    )
    interval_peringatan = models.PositiveSmallIntegerField(
        _("hari dari teguran II ke peringatan"), default=30
    )
    objection_months = models.PositiveSmallIntegerField(
        _("masa keberatan (bulan)"), default=2
    )
    number_pattern = models.CharField(
        _("pola nomor surat"), max_length=100, default=DEFAULT_PATTERN
    )
    letter_codes = models.JSONField(
        _("kode klasifikasi per jenis surat"), default=default_letter_codes
    )
    result = models.JSONField(_("hasil saat ditutup"), default=dict, blank=True)
    created_by = user_ref(_("dibuat oleh"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    opened_at = models.DateTimeField(_("dibuka"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("pemutakhiran")
        ordering = ["-year"]
        constraints = [
            one_of("status", CampaignStatus, "campaign_status_valid"),
            models.CheckConstraint(
                condition=Q(window_years__gte=1, window_years__lte=10),
                name="campaign_window_plausible",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Pemutakhiran %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.year])

    @property
    def tahun_buku(self) -> int:
        """The last closed tahun buku the campaign asks about: its own year (the
        cut-off, 31 March of the next year, is when that year's RAT is due)."""
        return self.year

    @property
    def intervals_days(self) -> tuple[int, int, int]:
        return (
            self.interval_teguran_1,
            self.interval_teguran_2,
            self.interval_peringatan,
        )

    @property
    def is_draft(self) -> bool:
        return self.status == CampaignStatus.DRAF

    @property
    def is_running(self) -> bool:
        return self.status == CampaignStatus.BERJALAN

    @property
    def is_closed(self) -> bool:
        return self.status == CampaignStatus.DITUTUP

    @property
    def past_cutoff(self) -> bool:
        """Running after its cut-off date: the letters and objection periods may
        still need it, but the date for confirming has gone by."""
        return self.is_running and self.cutoff_date < timezone.localdate()

    @property
    def year_has_ended(self) -> bool:
        """Its tahun buku is over: only then can it be opened (the service says
        why not; the page offers no button that is always refused)."""
        return self.year < timezone.localdate().year


class JobKind(models.TextChoices):
    OPEN = "open", _("Membuka pemutakhiran")
    LETTERS = "letters", _("Membuat surat")


class CampaignJob(JobRow):
    """Long campaign work (opening, letters): created by a view or command, run by a
    Celery task; the page polls this row."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(_("jenis"), max_length=16, choices=JobKind)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("jumlah"), default=0)
    done = models.PositiveIntegerField(_("selesai"), default=0)
    file = models.FileField(
        _("berkas"), upload_to="campaigns/%Y/%m/", blank=True, max_length=255
    )
    seconds = models.FloatField(_("durasi (detik)"), null=True, blank=True)

    class Meta(JobRow.Meta):
        verbose_name = verbose_name_plural = _("proses pemutakhiran")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:job", args=[self.pk])


class CampaignItem(models.Model):
    """One cooperative in one campaign. ``baseline`` is what the registry said when
    the campaign opened (status, last RAT, contacts, officers) and never changes;
    ``proposed_class`` is recomputed from it and the accepted evidence."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="items"
    )
    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("koperasi"),
        on_delete=models.PROTECT,
        related_name="campaign_items",
    )
    baseline = models.JSONField(_("data awal"))
    baseline_status = models.CharField(
        _("status awal"), max_length=32, choices=CooperativeStatus.choices
    )
    rat_year = models.PositiveSmallIntegerField(
        _("tahun buku RAT terakhir"), null=True, blank=True
    )
    proposed_class = models.CharField(
        _("usulan kelas"), max_length=1, choices=ProposedClass
    )
    evidence_state = models.CharField(
        _("bukti"),
        max_length=16,
        choices=EvidenceState,
        default=EvidenceState.BELUM,
    )
    decision = models.CharField(
        _("keputusan"), max_length=32, choices=CooperativeStatus.choices, blank=True
    )
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_by = user_ref(_("diputuskan oleh"), blank=True)
    peringatan_on = models.DateField(_("tanggal peringatan"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("koperasi dalam pemutakhiran")
        ordering = ["campaign", "cooperative__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "cooperative"], name="campaign_item_one_per_coop"
            ),
            one_of("proposed_class", ProposedClass, "campaign_item_class_valid"),
            one_of("evidence_state", EvidenceState, "campaign_item_evidence_valid"),
        ]
        indexes = [
            models.Index(
                fields=["campaign", "proposed_class"], name="campaign_item_class_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.baseline.get('name', self.cooperative_id)}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:item", args=[self.pk])

    @property
    def dissolved(self) -> bool:
        """Dissolved in the registry since the campaign opened (at opening every
        item's cooperative was not): out of the campaign's hands, it gets no more
        letters, no announcement and no decision (one would take it back from
        Dibubarkan). Reads the cooperative: select it with the item."""
        return self.cooperative.status == CooperativeStatus.DIBUBARKAN

    @property
    def baseline_officers(self) -> list[dict[str, str]]:
        """The officers frozen at opening, each position as a person reads it
        (the baseline keeps the code, ``ketua``; the page says Ketua or Chair)."""
        return [
            {
                **officer,
                "position_label": shown(
                    officer.get("position"), choices=Position.choices
                ),
            }
            for officer in self.baseline.get("officers", [])
        ]

    @property
    def baseline_rat_date(self) -> datetime.date | None:
        """The last RAT frozen at opening (kept as ISO text in ``baseline``)."""
        value = self.baseline.get("last_rat_date")
        return datetime.date.fromisoformat(value) if value else None

    @property
    def objection_ends_on(self) -> datetime.date | None:
        from .rules import Ladder, objection_end

        return objection_end(
            Ladder(
                peringatan_on=self.peringatan_on,
                objection_months=self.campaign.objection_months,
            )
        )


class VisitChoice(models.TextChoices):
    AKTIF = VisitResult.AKTIF, _("Ditemukan, aktif")
    TIDAK_AKTIF = VisitResult.TIDAK_AKTIF, _("Ditemukan, tidak aktif")
    TIDAK_DITEMUKAN = VisitResult.TIDAK_DITEMUKAN, _("Tidak ditemukan")
    PINDAH = VisitResult.PINDAH, _("Pindah alamat")
    BUBAR = VisitResult.BUBAR, _("Sudah bubar")


class EvidenceKind(models.TextChoices):
    KONFIRMASI = "konfirmasi", _("Konfirmasi pengurus")
    KUNJUNGAN = "kunjungan", _("Kunjungan lapangan")
    RAT = "rat", _("Laporan RAT diterima")
    # A member's objection to the dissolution, accepted with the RAT it proves.
    KEBERATAN = "keberatan", _("Keberatan diterima")


class EvidenceStatus(models.TextChoices):
    MENUNGGU = "menunggu", _("Menunggu diperiksa")
    DITERIMA = "diterima", _("Diterima")
    DITOLAK = "ditolak", _("Ditolak")
    # A waiting confirmation the officer sent again: the newer one is examined.
    DIGANTI = "diganti", _("Diganti konfirmasi berikutnya")


# What a confirmation's ``data`` may hold (campaigns.services.evidence.CONFIRMABLE
# and the board), or a visit's (where the cooperative moved), as staff read it.
PROPOSED_LABELS = {
    "address": _("Alamat"),
    "phone": _("Telepon"),
    "email": _("E-mail"),
    "pengurus": _("Pengurus"),
    "new_address": _("Alamat baru"),  # a visit's: the cooperative moved there
}


class Evidence(models.Model):
    """One piece of evidence for an item. A confirmation waits for staff; a visit
    recorded by staff and an accepted RAT report count at once."""

    item = models.ForeignKey(
        CampaignItem, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("jenis"), max_length=16, choices=EvidenceKind)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EvidenceStatus,
        default=EvidenceStatus.MENUNGGU,
    )
    on = models.DateField(_("tanggal"))
    visit_result = models.CharField(
        _("hasil kunjungan"), max_length=32, choices=VisitChoice, blank=True
    )
    rat_date = models.DateField(_("tanggal RAT"), null=True, blank=True)
    rat_year = models.PositiveSmallIntegerField(
        _("tahun buku RAT"), null=True, blank=True
    )
    # Corrections an officer proposes (address, phone, e-mail, board).
    data = models.JSONField(_("data"), default=dict, blank=True)
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    document = models.FileField(
        _("dokumen"), upload_to="campaigns/docs/%Y/%m/", blank=True, max_length=255
    )
    notes = models.TextField(_("catatan"), blank=True)
    rat_report_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    created_by = user_ref(_("oleh"), blank=True)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    reviewed_by = user_ref(_("diperiksa oleh"), blank=True)
    reviewed_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("bukti pemutakhiran")
        ordering = ["-on", "-id"]
        constraints = [
            one_of("kind", EvidenceKind, "evidence_kind_valid"),
            one_of("status", EvidenceStatus, "evidence_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {shown(self.on)}"

    @property
    def proposed(self) -> list[tuple[str, str]]:
        """The corrections a confirmation proposes, each under its label."""
        return [
            # A contact cleared is a proposal too, said so (not a blank line).
            (str(PROPOSED_LABELS[name]), value or str(_("(dikosongkan)")))
            for name, value in self.data.items()
            # Only corrections: a visit's resend key (``client_key``) is none.
            if name in PROPOSED_LABELS
        ]

    @property
    def rat_outside_window(self) -> bool:
        """A confirmation or RAT report of a RAT older than the campaign's window
        (a 2017 meeting in the campaign of tahun buku 2025, window 3): it shows no
        activity. Reads the item's campaign."""
        if self.rat_year is None or self.kind == EvidenceKind.KUNJUNGAN:
            return False
        campaign = self.item.campaign
        return not rat_in_window(
            self.rat_year,
            tahun_buku=campaign.tahun_buku,
            window_years=campaign.window_years,
        )

    @property
    def window_first_year(self) -> int:
        """The earliest tahun buku whose RAT shows activity in this campaign."""
        campaign = self.item.campaign
        return window_first_year(
            tahun_buku=campaign.tahun_buku, window_years=campaign.window_years
        )

    @property
    def registry_rat_date(self) -> datetime.date | None:
        """The registry's RAT date for the same tahun buku when it is another day
        (an accepted RAT report's, the ODS's), for staff to see both before they
        accept: accepting a later day replaces it. Reads the item's cooperative."""
        cooperative = self.item.cooperative
        known = cooperative.last_rat_date
        if (
            self.rat_date is None
            or known is None
            or known == self.rat_date
            or self.rat_year is None
            # The year as the registry reads it: recorded, else from the date.
            or cooperative.last_rat_tahun_buku != self.rat_year
        ):
            return None
        return known


class EvidencePhoto(models.Model):
    """A photo of the office or signboard, resized and stripped of its location
    metadata before it is stored (``lib.images.photo_clean``)."""

    evidence = models.ForeignKey(
        Evidence, on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(
        _("foto"), upload_to="campaigns/photos/%Y/%m/", max_length=255
    )

    class Meta:
        verbose_name = verbose_name_plural = _("foto bukti")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file.name or ""


class ConfirmationLink(models.Model):
    """A one-time link printed on the pemberitahuan letter, through which an officer
    without an account confirms the data. Only a hash of the token is stored."""

    item = models.ForeignKey(
        CampaignItem, on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("tautan konfirmasi")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.item} — {shown(timezone.localtime(self.expires_at).date())}"


class LetterChoice(models.TextChoices):
    PEMBERITAHUAN = LetterKind.PEMBERITAHUAN, _("Surat pemberitahuan pemutakhiran")
    TEGURAN_1 = LetterKind.TEGURAN_1, _("Teguran I")
    TEGURAN_2 = LetterKind.TEGURAN_2, _("Teguran II")
    PERINGATAN = LetterKind.PERINGATAN, _("Peringatan tertulis (rencana pembubaran)")


class CampaignLetter(models.Model):
    """One letter of the ladder to one cooperative. It keeps its number and date;
    reaching A or B cancels the letters not yet sent (``cancelled_at``)."""

    item = models.ForeignKey(
        CampaignItem, on_delete=models.CASCADE, related_name="letters"
    )
    kind = models.CharField(_("jenis surat"), max_length=16, choices=LetterChoice)
    sequence = models.PositiveIntegerField(_("nomor urut"))
    number = models.CharField(_("nomor surat"), max_length=100, unique=True)
    issued_on = models.DateField(_("tanggal surat"))
    # The day the letter asks for an answer by, as printed: an interval changed
    # since had moved it on the verification page, away from the paper.
    respond_by = models.DateField(_("dijawab paling lambat"), null=True, blank=True)
    verification_token = models.UUIDField(unique=True)
    file = models.FileField(
        _("PDF"), upload_to="campaigns/letters/%Y/", blank=True, max_length=255
    )
    emailed_to = models.CharField(_("dikirim ke"), max_length=255, blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    job = models.ForeignKey(
        CampaignJob,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("surat pemutakhiran")
        ordering = ["item", "issued_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "kind"],
                condition=Q(cancelled_at__isnull=True),
                name="campaign_letter_one_per_step",
            ),
            one_of("kind", LetterChoice, "campaign_letter_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_kind_display()})"


class ObjectionStatus(models.TextChoices):
    TERBUKA = "terbuka", _("Menunggu keputusan")
    DITERIMA = "diterima", _("Keberatan diterima")
    DITOLAK = "ditolak", _("Keberatan ditolak")


class Objection(models.Model):
    """A keberatan filed by a member of the public during the objection period. An
    open one pauses the item's way to class F until staff decide on it."""

    item = models.ForeignKey(
        CampaignItem, on_delete=models.CASCADE, related_name="objections"
    )
    # What the member quotes when asking after it (the "received" page shows it).
    reference = models.CharField(
        _("nomor keberatan"), max_length=8, unique=True, default=new_reference
    )
    name = models.CharField(_("nama"), max_length=150)
    contact = models.CharField(_("nomor HP atau e-mail"), max_length=150)
    text = models.TextField(_("isi keberatan"))
    document = models.FileField(
        _("dokumen pendukung"),
        upload_to="campaigns/objections/%Y/",
        blank=True,
        max_length=255,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ObjectionStatus,
        default=ObjectionStatus.TERBUKA,
    )
    answer = models.TextField(_("jawaban Dinas"), blank=True)
    created_at = models.DateTimeField(_("diajukan"), auto_now_add=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("keberatan")
        ordering = ["-created_at"]
        constraints = [
            one_of("status", ObjectionStatus, "objection_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.item}"

    @property
    def answer_due(self) -> datetime.date:
        """A month after it came in: what the public page promises."""
        return add_months(timezone.localdate(self.created_at), OBJECTION_ANSWER_MONTHS)
