"""The reports upward, one small registered unit each (DECISIONS.md "Reports upward").

A ``Definition`` has a code, a version (raised whenever its columns or counting
rules change, so a snapshot says which rules made it) and a ``build`` function that
reads the registry for a period and scope and returns plain tables. ``DEFINITIONS``
lists R1, R2 and R5 explicitly; R3 and R4 read the pemutakhiran campaign, an app built
beside this one, so ``campaigns`` registers them (``register_definition`` in its
``AppConfig.ready``): reports never imports campaigns.
"""

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Kecamatan, Kelurahan
from cooperatives.selectors import statistics_row_key, statistics_rows

from .aggregates import (
    COUNT_FIELDS,
    Cells,
    add_cells,
    counted_cooperatives,
    empty_cells,
    grouped_cells,
)

Progress = Callable[[int], None]
Table = dict[str, Any]


@dataclass(frozen=True)
class Scope:
    """The area a snapshot covers: a kab/kota (code ``64.71``) or a kecamatan."""

    code: str
    name: str

    @property
    def is_kecamatan(self) -> bool:
        return self.code.count(".") == 2


@dataclass(frozen=True)
class Period:
    tahun_buku: int
    as_of: datetime.date


@dataclass(frozen=True)
class Definition:
    code: str
    version: int
    title: Any  # a lazy translation
    build: Callable[[Period, Scope, Progress], list[Table]]
    has_csv: bool = False
    # Why this report cannot be made for a tahun buku (e.g. no campaign), or None.
    unavailable: Callable[[int], str | None] | None = None
    # The first table's columns drawn on the map: numerator, denominator, measure.
    map_columns: tuple[str, str, str] | None = None
    # What its columns count, said under its tables, on paper and in the workbook:
    # three "RAT 2025" figures on three pages could not be told apart.
    notes: tuple[Any, ...] = ()
    # The title for a kecamatan, whose rows are its kelurahan ("per kelurahan"
    # where the city's says "per kecamatan"); None: the same title.
    kecamatan_title: Any = None

    def title_for(self, scope_code: str) -> Any:
        if self.kecamatan_title is not None and Scope(scope_code, "").is_kecamatan:
            return self.kecamatan_title
        return self.title

    def refusal(self, tahun_buku: int) -> str | None:
        return self.unavailable(tahun_buku) if self.unavailable else None


# The R1/R2 columns after the first (wilayah or jenis): key, label, kind.
MEASURE_COLUMNS: list[tuple[str, Any, str]] = [
    # Counted: every cooperative not Dibubarkan (the dashboard's "terdaftar"
    # counts those too, so the heading says which).
    ("jumlah", _("Jumlah (belum dibubarkan)"), "int"),
    ("aktif", _("Aktif"), "int"),
    # Every counted one not Aktif: Tidak Aktif and Dalam Proses Pembubaran (the
    # dashboard counts the first alone).
    ("tidak_aktif", _("Tidak aktif / dalam pembubaran"), "int"),
    ("persen_aktif", _("% aktif"), "percent"),
    ("rat", _("RAT tahun buku"), "int"),
    ("ber_nik", _("Ber-NIK"), "int"),
    ("anggota_l", _("Anggota L"), "int"),
    ("anggota_p", _("Anggota P"), "int"),
    ("anggota_total", _("Anggota total"), "int"),
    ("manajer", _("Manajer"), "int"),
    ("karyawan", _("Karyawan"), "int"),
    ("modal_sendiri", _("Modal sendiri (Rp)"), "money"),
    ("modal_luar", _("Modal luar (Rp)"), "money"),
    ("aset", _("Aset (Rp)"), "money"),
    ("volume_usaha", _("Volume usaha (Rp)"), "money"),
    ("shu", _("SHU (Rp)"), "money"),
    ("sehat", _("Sehat"), "int"),
    ("cukup_sehat", _("Cukup sehat"), "int"),
    ("dalam_pengawasan", _("Dalam pengawasan"), "int"),
    ("dalam_pengawasan_khusus", _("Dalam pengawasan khusus"), "int"),
    ("belum_dinilai", _("Belum dinilai"), "int"),
]
assert set(COUNT_FIELDS) <= {key for key, _label, _kind in MEASURE_COLUMNS}

# What the measure columns count (R1, R2).
MEASURE_NOTES = (
    _("Jumlah: koperasi yang belum dibubarkan, termasuk yang tidak aktif."),
    _(
        "Tidak aktif / dalam pembubaran: koperasi berstatus Tidak Aktif atau Dalam "
        "Proses Pembubaran."
    ),
    _(
        "RAT tahun buku: koperasi yang tercatat di registri mengadakan RAT untuk "
        "tahun buku ini (dari laporan RAT yang diterima, impor ODS, atau konfirmasi "
        "pemutakhiran dengan berita acara; RAT tahun buku berikutnya tidak "
        "menghapusnya), atau yang laporan RAT tahun buku ini sudah masuk ke Dinas "
        "(diajukan, perlu perbaikan, atau diterima). Karena "
        "itu angkanya dapat lebih besar daripada laporan yang diterima di halaman "
        "kelengkapan RAT, dan berbeda dari kelas A pemutakhiran, yang menghitung "
        "bukti yang sudah diterima saja."
    ),
    _(
        "Anggota, manajer, karyawan dan angka keuangan: data keragaan tahun buku "
        "ini di registri."
    ),
    _(
        "Sehat sampai dalam pengawasan khusus: hasil penilaian kesehatan yang "
        "berlaku untuk tahun buku ini; belum dinilai: koperasi yang dihitung tanpa "
        "penilaian itu."
    ),
)


# What R5's indicators count.
SATU_DATA_NOTES = (
    _(
        "Jumlah koperasi yang melaksanakan RAT: koperasi yang tercatat di registri "
        "mengadakan RAT untuk tahun buku ini (RAT tahun buku berikutnya tidak "
        "menghapusnya), atau yang laporan RAT tahun buku ini sudah masuk ke Dinas. "
        "RAT yang tidak pernah tercatat di registri tidak terhitung, sehingga "
        "untuk tahun buku yang sudah lama lewat angkanya dapat lebih kecil "
        "daripada yang sebenarnya."
    ),
    _(
        "Anggota, aset, volume usaha dan SHU: data keragaan tahun buku ini di "
        "registri; aset, volume usaha dan SHU dalam rupiah."
    ),
)


def percent(part: int, whole: int) -> str:
    if not whole:
        return "0.00"
    value = Decimal(part * 100) / Decimal(whole)
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _cell(cells: Cells, key: str) -> Any:
    if key == "persen_aktif":
        return percent(int(cells["aktif"]), int(cells["jumlah"]))
    value = cells[key]
    return str(value) if isinstance(value, Decimal) else value


def measure_table(
    *,
    key: str,
    title: str,
    first_column: str,
    rows: list[tuple[str, str, Cells]],
) -> Table:
    """A table of ``(row key, label, cells)`` rows with the measure columns and a
    total row that adds the rows (so rows always add up to it)."""
    columns = [{"key": "label", "label": first_column, "kind": "text"}] + [
        {"key": k, "label": str(label), "kind": kind}
        for k, label, kind in MEASURE_COLUMNS
    ]
    total = add_cells([cells for _key, _label, cells in rows])
    return {
        "key": key,
        "title": title,
        "columns": columns,
        "row_keys": [row_key for row_key, _label, _cells in rows],
        "rows": [
            [label] + [_cell(cells, k) for k, _l, _k in MEASURE_COLUMNS]
            for _key, label, cells in rows
        ],
        "total": [str(_("Jumlah"))]
        + [_cell(total, k) for k, _l, _k in MEASURE_COLUMNS],
    }


def scoped_cooperatives(scope: Scope) -> Any:
    """Counted cooperatives in the scope (a kab/kota or a kecamatan)."""
    field = (
        "kelurahan__kecamatan__kemendagri_code"
        if scope.is_kecamatan
        else "kelurahan__kecamatan__kabkota__kemendagri_code"
    )
    return counted_cooperatives().filter(**{field: scope.code})


def region_rows(period: Period, scope: Scope) -> list[tuple[str, str, Cells]]:
    """One row per kecamatan of a kab/kota, or per kelurahan of a kecamatan; regions
    with no cooperative still get their (zero) row."""
    regions: Any
    if scope.is_kecamatan:
        regions = Kelurahan.objects.filter(kecamatan__kemendagri_code=scope.code)
        group = "kelurahan_id"
    else:
        regions = Kecamatan.objects.filter(kabkota__kemendagri_code=scope.code)
        group = "kelurahan__kecamatan_id"
    cells = grouped_cells(
        tahun_buku=period.tahun_buku, group=[group], base=scoped_cooperatives(scope)
    )
    return [
        (region.kemendagri_code, region.name, cells.get((region.pk,), empty_cells()))
        for region in regions.order_by("kemendagri_code")
    ]


def build_r1(period: Period, scope: Scope, progress: Progress) -> list[Table]:
    progress(10)
    rows = region_rows(period, scope)
    progress(90)
    level = _("Kelurahan") if scope.is_kecamatan else _("Kecamatan")
    return [
        measure_table(
            key="r1",
            title=str(_("Koperasi per wilayah")),
            first_column=str(level),
            rows=rows,
        )
    ]


def build_r2(period: Period, scope: Scope, progress: Progress) -> list[Table]:
    progress(10)
    cells = grouped_cells(
        tahun_buku=period.tahun_buku,
        group=["jenis", "pola"],
        base=scoped_cooperatives(scope),
    )
    progress(90)
    by_row: dict[str, list[Cells]] = {}
    for (jenis, pola), group_cells in cells.items():
        by_row.setdefault(statistics_row_key(jenis, pola), []).append(group_cells)
    rows = [
        (key, label, add_cells(by_row.get(key, []))) for key, label in statistics_rows()
    ]
    return [
        measure_table(
            key="r2",
            title=str(_("Koperasi per jenis")),
            first_column=str(_("Jenis")),
            rows=rows,
        )
    ]


# Satu Data indicators: cell key, judul, satuan.
SATU_DATA_INDICATORS: list[tuple[str, Any, Any]] = [
    ("jumlah", _("Jumlah koperasi (belum dibubarkan)"), _("unit")),
    ("aktif", _("Jumlah koperasi aktif"), _("unit")),
    ("rat", _("Jumlah koperasi yang melaksanakan RAT"), _("unit")),
    ("anggota_total", _("Jumlah anggota koperasi"), _("orang")),
    ("aset", _("Aset koperasi"), _("rupiah")),
    ("volume_usaha", _("Volume usaha koperasi"), _("rupiah")),
    ("shu", _("Sisa hasil usaha koperasi"), _("rupiah")),
]
SATU_DATA_COLUMNS = [
    ("kode_wilayah", "text"),
    ("level_wilayah", "text"),
    ("nama_wilayah", "text"),
    ("judul", "text"),
    ("satuan", "text"),
    ("tahun", "int"),
    ("periode", "text"),
    ("data", "number"),
]


def satu_data_number(value: Any) -> int | str:
    """A figure of R5's data column as it is frozen and as the Satu Data upload
    takes it: a whole amount as a whole number (the city's summed
    "2866946787000.00" beside its kecamatan's "236453342000"), any other with its
    two decimals (sen, or a share's hundredths; a float wrote
    "81372663500000.8"). Nothing stays empty."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral():
        return int(number)
    return str(number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def build_r5(period: Period, scope: Scope, progress: Progress) -> list[Table]:
    """One row per indicator and area: the scope itself, then each region in it."""
    progress(10)
    regions = region_rows(period, scope)
    progress(90)
    level = "kelurahan" if scope.is_kecamatan else "kecamatan"
    top_level = "kecamatan" if scope.is_kecamatan else "kabupaten/kota"
    areas = [(scope.code, top_level, scope.name, add_cells([c for *_x, c in regions]))]
    areas += [(code, level, name, cells) for code, name, cells in regions]
    rows = []
    for key, judul, satuan in SATU_DATA_INDICATORS:
        for code, area_level, name, cells in areas:
            value = cells[key]
            rows.append(
                [
                    code,
                    area_level,
                    name,
                    str(judul),
                    str(satuan),
                    period.tahun_buku,
                    "tahunan",
                    satu_data_number(value),
                ]
            )
    return [
        {
            "key": "r5",
            "title": str(_("Tabel indikator Satu Data")),
            "columns": [
                {"key": k, "label": k, "kind": kind} for k, kind in SATU_DATA_COLUMNS
            ],
            "row_keys": [f"{row[3]}:{row[0]}" for row in rows],
            "rows": rows,
            "total": None,
        }
    ]


DEFINITIONS: dict[str, Definition] = {
    definition.code: definition
    for definition in (
        Definition(
            "R1",
            1,
            _("R1 — Rekap koperasi per kecamatan"),
            build_r1,
            kecamatan_title=_("R1 — Rekap koperasi per kelurahan"),
            map_columns=("aktif", "jumlah", "aktif"),
            notes=MEASURE_NOTES,
        ),
        Definition(
            "R2", 1, _("R2 — Rekap koperasi per jenis"), build_r2, notes=MEASURE_NOTES
        ),
        Definition(
            "R5",
            1,
            _("R5 — Tabel Satu Data"),
            build_r5,
            has_csv=True,
            notes=SATU_DATA_NOTES,
        ),
    )
}


def register_definition(definition: Definition) -> None:
    """Add a report another app builds (campaigns: R3, R4); the codes stay in order.
    Called from that app's ``AppConfig.ready``; a code registered twice is a bug."""
    if definition.code in DEFINITIONS:
        raise ImproperlyConfigured(f"Rekap {definition.code} registered twice")
    ordered = sorted([*DEFINITIONS.values(), definition], key=lambda d: d.code)
    DEFINITIONS.clear()
    DEFINITIONS.update((d.code, d) for d in ordered)


def content_hash(
    *, code: str, definition_version: int, period: Period, scope_code: str, tables: Any
) -> str:
    """SHA-256 of the canonical JSON of what a snapshot states."""
    payload = {
        "code": code,
        "definition_version": definition_version,
        "tahun_buku": period.tahun_buku,
        "as_of": period.as_of.isoformat(),
        "scope_code": scope_code,
        "tables": tables,
    }
    text = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
