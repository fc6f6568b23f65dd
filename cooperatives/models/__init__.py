import datetime
import re
from typing import TYPE_CHECKING

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, IntegerField, Q
from django.db.models.functions import Coalesce, ExtractYear, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.models import one_of, plausible_tahun_buku, rupiah_field, user_ref

from ..rules import rat_overdue, rat_tahun_buku

if TYPE_CHECKING:
    from accounts.models import User

# The longest address kept: a street, a number, a building and its directions
# fit many times over; a spreadsheet export cuts a cell at 32,767.
ADDRESS_MAX = 1000

_REGION_PREFIX = re.compile(r"^\s*(kec|kel|kecamatan|kelurahan|desa|ds)\b\.?\s*", re.I)


def region_key(name: str) -> str:
    """Tolerant key for a region name: no Kec./Kel. prefix, case, spaces, punctuation.

    ``"Kel. Gunung Samarinda "`` and ``"GUNUNGSAMARINDA"`` share the key
    ``"gunungsamarinda"``, which is how older joined spellings still match.
    """
    stripped = _REGION_PREFIX.sub("", name)
    return re.sub(r"[^0-9a-z]", "", stripped.lower())


class KabupatenKota(models.Model):
    name = models.CharField(_("nama"), max_length=100)
    province = models.CharField(_("provinsi"), max_length=100)
    kemendagri_code = models.CharField(_("kode Kemendagri"), max_length=5, unique=True)
    bps_code = models.CharField(_("kode BPS"), max_length=4, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = _("kabupaten/kota")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """What a kecamatan and a kelurahan both have: a name, the key it is matched by
    (``region_key``) and a boundary."""

    name = models.CharField(_("nama"), max_length=100)
    name_key = models.CharField(max_length=100, editable=False, db_index=True)
    # GeoJSON MultiPolygon coordinates (lon, lat); None until a boundary file gives it.
    boundary = models.JSONField(_("batas wilayah"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Kecamatan(Region):
    kabkota = models.ForeignKey(
        KabupatenKota, on_delete=models.PROTECT, related_name="kecamatan_set"
    )
    kemendagri_code = models.CharField(_("kode Kemendagri"), max_length=8, unique=True)
    bps_code = models.CharField(_("kode BPS"), max_length=7, unique=True)

    class Meta(Region.Meta):
        verbose_name = verbose_name_plural = _("kecamatan")
        constraints = [
            models.UniqueConstraint(
                fields=["kabkota", "name_key"], name="kecamatan_unique_name_in_kabkota"
            )
        ]


class Kelurahan(Region):
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="kelurahan_set"
    )
    kemendagri_code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    bps_code = models.CharField(_("kode BPS"), max_length=10, unique=True)

    class Meta(Region.Meta):
        verbose_name = verbose_name_plural = _("kelurahan")
        constraints = [
            models.UniqueConstraint(
                fields=["kecamatan", "name_key"],
                name="kelurahan_unique_name_in_kecamatan",
            )
        ]


class Jenis(models.TextChoices):
    """The five jenis of Permenkop 9/2018 Pasal 67, by the members' shared business.

    The ministry's older kelompok (KUD, KPRI, Kopkar, ...) map onto them through
    ``Kelompok.jenis``; a syariah simpan pinjam (KSPPS) is SIMPAN_PINJAM with
    ``Pola.SYARIAH``.
    """

    KONSUMEN = "konsumen", _("Konsumen")
    PRODUSEN = "produsen", _("Produsen")
    PEMASARAN = "pemasaran", _("Pemasaran")
    JASA = "jasa", _("Jasa")
    SIMPAN_PINJAM = "simpan_pinjam", _("Simpan Pinjam")


class Pola(models.TextChoices):
    """Konvensional or syariah (for simpan pinjam: a KSPPS or USPPS)."""

    KONVENSIONAL = "konvensional", _("Konvensional")
    SYARIAH = "syariah", _("Syariah")


class Bentuk(models.TextChoices):
    """Primer: its members are people; sekunder: its members are cooperatives."""

    PRIMER = "primer", _("Primer")
    SEKUNDER = "sekunder", _("Sekunder")


class CooperativeStatus(models.TextChoices):
    """Changed only by a staff decision with a reason
    (``cooperative_change_status``, which a campaign's decision goes through too).
    An ODS import sets it only for a cooperative the file brings new.

    A campaign decides DALAM_PEMBUBARAN after its warning letter; members may object
    on the public page while the period lasts. A DIBUBARKAN cooperative stays in
    the registry and on the public site with its history.
    """

    AKTIF = "aktif", _("Aktif")
    TIDAK_AKTIF = "tidak_aktif", _("Tidak Aktif")
    DALAM_PEMBUBARAN = "dalam_pembubaran", _("Dalam Proses Pembubaran")
    DIBUBARKAN = "dibubarkan", _("Dibubarkan")


class RecordSource(models.TextChoices):
    """Where a record's values came from. A year's figures taken from a RAT report
    the Dinas accepted (RAT_REPORT) are kept by later ODS imports."""

    MANUAL = "manual", _("Input manual")
    ODS_IMPORT = "ods", _("Impor ODS")
    RAT_REPORT = "rat", _("Laporan RAT")
    DEMO = "demo", _("Data demo")


class Kelompok(models.Model):
    """The older ODS grouping (KUD, KSU, KPRI, Kopkar, ...) and the jenis it maps to.

    ``default_jenis`` is empty where no single jenis follows (KSU); ``default_pola``
    is set where the kelompok settles it (KSPPS is syariah). Imports match a label
    against the code, the name and the ``aliases`` (other spellings the ODS uses),
    and fill jenis and pola from here when a row gives only the kelompok. A label no
    row knows is added by staff from the import preview, mapped to a jenis or not.
    """

    code = models.CharField(_("kode"), max_length=100, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    default_jenis = models.CharField(
        _("jenis bawaan"), max_length=32, choices=Jenis, blank=True
    )
    default_pola = models.CharField(
        _("pola bawaan"), max_length=16, choices=Pola, blank=True
    )
    aliases = models.JSONField(
        _("ejaan lain"),
        default=list,
        blank=True,
        help_text=_("Label lain untuk kelompok ini di berkas ODS."),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("kelompok koperasi")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        """The code and what it stands for, where a list offers it: "KOPNEL"
        alone told a new staff member nothing."""
        if self.name and self.name.casefold() != self.code.casefold():
            return f"{self.code} — {self.name}"
        return self.code


# ASCII digits: \d also takes "１２３…" and "٣٤٥…", which would slip past the
# uniqueness of a NIK stored in plain digits.
nik_validator = RegexValidator(
    r"^[0-9]{13,16}$", _("NIK harus berupa 13 sampai 16 digit angka.")
)


class CooperativeQuerySet(models.QuerySet["Cooperative"]):
    def visible_to(self, user: "User") -> "CooperativeQuerySet":
        """Cooperatives this user may open: all for Dinas, own ones for officers."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_dinas:
            return self.all()
        return self.filter(officers__user=user, officers__is_active=True).distinct()

    def with_region(self) -> "CooperativeQuerySet":
        return self.select_related("kelurahan__kecamatan", "kelompok")


# ``Cooperative.last_rat_tahun_buku`` as a database expression: the tahun buku of
# the last RAT as recorded, else the year before the meeting's date (the import's
# comparison and the rekap's RAT column read it so).
LAST_RAT_TAHUN_BUKU = Coalesce(
    F("last_rat_year"),
    ExtractYear("last_rat_date") - 1,
    output_field=IntegerField(),
)


class Cooperative(models.Model):
    # NULL, not "", for a missing NIK: the unique constraint must ignore missing ones.
    nik = models.CharField(  # noqa: DJ001
        _("NIK"),
        max_length=16,
        null=True,
        blank=True,
        validators=[nik_validator],
        help_text=_("Nomor Induk Koperasi, 13-16 digit."),
    )
    name = models.CharField(_("nama koperasi"), max_length=255)
    # The name in capitals, kept by the database: what the search's LIKE
    # conditions read (``cooperatives.search``), so that PostgreSQL neither works
    # out UPPER(name) for each row it checks nor reads the row itself when the
    # name index's copy (``coop_name_idx``) has what the page needs.
    search_name = models.GeneratedField(
        expression=Upper("name"), output_field=models.TextField(), db_persist=True
    )
    nomor_badan_hukum = models.CharField(
        _("nomor badan hukum"), max_length=100, blank=True
    )
    tanggal_badan_hukum = models.DateField(
        _("tanggal badan hukum"), null=True, blank=True
    )
    address = models.TextField(_("alamat"), blank=True, max_length=ADDRESS_MAX)
    kelurahan = models.ForeignKey(
        Kelurahan,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        related_name="cooperatives",
    )
    jenis = models.CharField(_("jenis"), max_length=32, choices=Jenis)
    pola = models.CharField(
        _("pola"), max_length=16, choices=Pola, default=Pola.KONVENSIONAL
    )
    bentuk = models.CharField(
        _("bentuk"), max_length=16, choices=Bentuk, default=Bentuk.PRIMER
    )
    kelompok = models.ForeignKey(
        Kelompok,
        verbose_name=_("kelompok"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperatives",
    )
    sektor_usaha = models.CharField(_("sektor usaha"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=CooperativeStatus,
        default=CooperativeStatus.AKTIF,
    )
    last_rat_date = models.DateField(_("tanggal RAT terakhir"), null=True, blank=True)
    # ODS gives only the year of the last RAT; a RAT report gives the date.
    last_rat_year = models.PositiveSmallIntegerField(
        _("tahun RAT terakhir"), null=True, blank=True
    )
    nik_expiry_date = models.DateField(
        _("masa berlaku sertifikat NIK"), null=True, blank=True
    )
    source = models.CharField(
        _("sumber data"),
        max_length=16,
        choices=RecordSource,
        default=RecordSource.MANUAL,
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    objects = CooperativeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("koperasi")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nik"],
                condition=Q(nik__isnull=False),
                name="cooperative_nik_unique_when_present",
                violation_error_message=_("Koperasi dengan NIK ini sudah terdaftar."),
            ),
            models.CheckConstraint(
                condition=~Q(nik=""), name="cooperative_nik_null_not_blank"
            ),
            one_of("jenis", Jenis, "cooperative_jenis_valid"),
            one_of("status", CooperativeStatus, "cooperative_status_valid"),
        ]
        indexes = [
            # By name, with what a search result shows and filters by: a page of
            # results found by walking the names reads no table row (PostgreSQL;
            # elsewhere a plain index on name and id).
            models.Index(
                fields=["name", "id"],
                include=[
                    "search_name",
                    "nik",
                    "jenis",
                    "status",
                    "kelurahan",
                ],
                name="coop_name_idx",
            ),
            models.Index(fields=["nomor_badan_hukum"], name="coop_badan_hukum_idx"),
            models.Index(fields=["status", "jenis"], name="coop_status_jenis_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:detail", args=[self.pk])

    @property
    def last_rat_tahun_buku(self) -> int | None:
        """The tahun buku of the last RAT: as recorded (a RAT report, the ODS),
        else from its date: a RAT closes the books of the year before it."""
        return rat_tahun_buku(self.last_rat_year, self.last_rat_date)

    @property
    def last_rat_date_shown(self) -> datetime.date | None:
        """The date of the last RAT, where it is the meeting of the tahun buku
        recorded last: an ODS import that brings a later tahun buku without
        the day leaves an earlier meeting's date, which is not that RAT's."""
        day = self.last_rat_date
        if day is None or (
            self.last_rat_year is not None and day.year - 1 < self.last_rat_year
        ):
            return None
        return day

    @property
    def rat_overdue(self) -> bool:
        """Aktif, yet no RAT recorded within the window (``rules.rat_overdue``)."""
        return rat_overdue(
            aktif=self.status == CooperativeStatus.AKTIF,
            founded=self.tanggal_badan_hukum,
            last_tahun_buku=self.last_rat_tahun_buku,
            today=timezone.localdate(),
        )

    @property
    def jenis_label(self) -> str:
        """Jenis as the Dinas reports it: simpan pinjam split by pola."""
        if self.jenis == Jenis.SIMPAN_PINJAM:
            return f"{self.get_jenis_display()} {self.get_pola_display()}"
        return str(self.get_jenis_display())


# The yearly figures, in the order forms, exports and imports list them.
FIGURE_FIELDS = (
    "members_male",
    "members_female",
    "managers",
    "employees",
    "modal_sendiri",
    "modal_luar",
    "aset",
    "volume_usaha",
    "shu",
)
NON_NEGATIVE_FIGURES = {
    "members_male",
    "members_female",
    "managers",
    "employees",
    "modal_luar",
    "aset",
    "volume_usaha",
}


class YearFigures(models.Model):
    """The figures of a tahun buku that a RAT report states and the registry keeps,
    declared once: an accepted report's figures become the registry's."""

    members_male = models.PositiveIntegerField(_("anggota pria"), null=True, blank=True)
    members_female = models.PositiveIntegerField(
        _("anggota wanita"), null=True, blank=True
    )
    modal_luar = rupiah_field(_("modal luar"))
    aset = rupiah_field(_("aset"))
    volume_usaha = rupiah_field(_("volume usaha"))
    shu = rupiah_field(_("SHU"))

    class Meta:
        abstract = True

    @property
    def members_total(self) -> int | None:
        if self.members_male is None and self.members_female is None:
            return None
        return (self.members_male or 0) + (self.members_female or 0)


class CooperativeFigures(YearFigures):
    """A cooperative's figures for one tahun buku, and where they came from.

    Modal sendiri and SHU may be negative (losses); the other amounts and all counts
    may not.
    """

    # No index of its own: the unique (cooperative, tahun_buku) index serves it.
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="figures", db_index=False
    )
    tahun_buku = models.PositiveSmallIntegerField(_("tahun buku"))
    managers = models.PositiveIntegerField(_("manajer"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("karyawan"), null=True, blank=True)
    modal_sendiri = rupiah_field(_("modal sendiri"))
    source = models.CharField(
        _("sumber"),
        max_length=16,
        choices=RecordSource,
        default=RecordSource.MANUAL,
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("data keragaan tahunan")
        ordering = ["cooperative", "-tahun_buku"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "tahun_buku"],
                name="figures_one_per_coop_year",
                violation_error_message=_(
                    "Data keragaan untuk tahun buku ini sudah ada."
                ),
            ),
            plausible_tahun_buku("figures_tahun_buku_plausible"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0}) | Q(**{f"{name}__isnull": True}),
                    name=f"figures_{name}_non_negative",
                    violation_error_message=_("Nilai tidak boleh negatif."),
                )
                for name in sorted(NON_NEGATIVE_FIGURES)
            ],
        ]

    def __str__(self) -> str:
        return f"{self.cooperative} — {self.tahun_buku}"


class StatusChange(models.Model):
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("dari"), max_length=32, choices=CooperativeStatus)
    to_status = models.CharField(_("menjadi"), max_length=32, choices=CooperativeStatus)
    effective_date = models.DateField(_("berlaku sejak"))
    reason = models.TextField(_("alasan"))
    changed_by = user_ref(_("oleh"))
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("perubahan status")
        verbose_name_plural = _("riwayat status")
        ordering = ["-effective_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")),
                name="status_change_changes_something",
            ),
        ]

    def __str__(self) -> str:
        before, after = self.get_from_status_display(), self.get_to_status_display()
        return f"{self.cooperative}: {before} → {after}"


class StatusLetter(models.Model):
    """A "Surat Keterangan Status Koperasi": the Dinas states a cooperative's status on
    a given day, for a purpose (a bank loan, a grant, a tender). The letter keeps what
    it stated, so later changes to the registry do not rewrite it; its QR code opens a
    public verification page that also says whether it still holds."""

    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("koperasi"),
        on_delete=models.PROTECT,
        related_name="status_letters",
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("nomor urut"))
    number = models.CharField(_("nomor surat"), max_length=64, unique=True)
    purpose = models.CharField(_("keperluan"), max_length=200)
    # What the letter states, as it was on the day it was issued.
    name = models.CharField(_("nama koperasi"), max_length=255)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    status = models.CharField(_("status"), max_length=32, choices=CooperativeStatus)
    last_rat_date = models.DateField(_("tanggal RAT terakhir"), null=True, blank=True)
    last_rat_year = models.PositiveSmallIntegerField(
        _("tahun RAT terakhir"), null=True, blank=True
    )
    issued_at = models.DateTimeField(_("diterbitkan"), auto_now_add=True)
    valid_until = models.DateField(_("berlaku sampai"))
    issued_by = user_ref(_("diterbitkan oleh"))
    verification_token = models.UUIDField(unique=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = user_ref(_("dicabut oleh"), blank=True)
    revoke_reason = models.TextField(_("alasan pencabutan"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("surat keterangan status")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"], name="status_letter_sequence_unique"
            ),
            one_of("status", CooperativeStatus, "status_letter_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.valid_until < timezone.localdate()

    @property
    def status_changed(self) -> bool:
        """The cooperative's status is no longer the one the letter states."""
        return self.cooperative.status != self.status


# The ODS import's job and its preview rows (cooperatives.imports).
from .imports import ImportJob, ImportRow, ImportStatus, RowOutcome  # noqa: E402, F401
from .officers import Officer, OfficerInvitation, Position  # noqa: E402, F401
from .rats import RatHeld  # noqa: E402, F401

# The words of cooperative names, which the search corrects a typo against.
from .search import SearchWord  # noqa: E402, F401
