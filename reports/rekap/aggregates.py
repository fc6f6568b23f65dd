"""The registry counted and summed per group, for one tahun buku: the cells of R1, R2,
R5 and the map. Three grouped queries whatever the registry's size.

Counted cooperatives are those not Dibubarkan. ``tidak_aktif`` is every counted one
that is not Aktif (Tidak Aktif and Dalam Proses Pembubaran). A cooperative "has its
RAT" for the tahun buku when the registry's last RAT is that year's (from an accepted
report, the ODS, a confirmation with its berita acara), or was before a later one
replaced it (``RatHeld``), or its RAT report for that year reached the Dinas
(diajukan, perlu perbaikan or diterima). Counting the reports
alone left out every RAT the registry knew otherwise: 56 against 67. Figures
are the tahun buku's rows of ``CooperativeFigures``; health is the assessment in
force for that tahun buku, and ``belum_dinilai`` the counted ones without one.
"""

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.lookups import Exact

from cooperatives.models import (
    LAST_RAT_TAHUN_BUKU,
    Cooperative,
    CooperativeFigures,
    CooperativeStatus,
    RatHeld,
)
from health_assessment.models import Assessment, Predikat

from ..models import RatReport
from ..selectors import SUBMITTED

# The cells of one group, in the order of the R1/R2 columns (DECISIONS.md).
COUNT_FIELDS = ("jumlah", "aktif", "tidak_aktif", "rat", "ber_nik")
FIGURE_SUMS = {
    "anggota_l": "members_male",
    "anggota_p": "members_female",
    "manajer": "managers",
    "karyawan": "employees",
    "modal_sendiri": "modal_sendiri",
    "modal_luar": "modal_luar",
    "aset": "aset",
    "volume_usaha": "volume_usaha",
    "shu": "shu",
}
HEALTH_FIELDS = {
    "sehat": Predikat.SEHAT,
    "cukup_sehat": Predikat.CUKUP_SEHAT,
    "dalam_pengawasan": Predikat.DALAM_PENGAWASAN,
    "dalam_pengawasan_khusus": Predikat.DALAM_PENGAWASAN_KHUSUS,
}
MONEY_FIELDS = ("modal_sendiri", "modal_luar", "aset", "volume_usaha", "shu")

GroupKey = tuple[Any, ...]
Cells = dict[str, int | Decimal]


def counted_cooperatives() -> QuerySet[Cooperative]:
    return Cooperative.objects.exclude(status=CooperativeStatus.DIBUBARKAN)


def empty_cells() -> Cells:
    cells: Cells = dict.fromkeys((*COUNT_FIELDS, "rat_aktif"), 0)
    cells.update(dict.fromkeys(("anggota_l", "anggota_p", "anggota_total"), 0))
    cells.update(dict.fromkeys(("manajer", "karyawan"), 0))
    cells.update({name: Decimal("0.00") for name in MONEY_FIELDS})
    cells.update(dict.fromkeys((*HEALTH_FIELDS, "belum_dinilai"), 0))
    return cells


def grouped_cells(
    *, tahun_buku: int, group: Sequence[str], base: QuerySet[Cooperative] | None = None
) -> dict[GroupKey, Cells]:
    """Cells per group key (the values of ``group``, ORM paths from Cooperative).

    ``base`` narrows the counted cooperatives (a scope); three queries.
    """
    base = counted_cooperatives() if base is None else base
    ids = base.values("id")
    result: dict[GroupKey, Cells] = defaultdict(empty_cells)

    def key(row: dict[str, Any], prefix: str = "") -> GroupKey:
        return tuple(row[prefix + path] for path in group)

    # Held for the year: its last RAT, a RAT the registry learnt of before a
    # later one replaced it (RatHeld: "RAT 2024" had shrunk once 2025's came),
    # or a report for the year that reached the Dinas.
    reported = RatReport.objects.filter(tahun_buku=tahun_buku, status__in=SUBMITTED)
    held = RatHeld.objects.filter(tahun_buku=tahun_buku)
    held_rat = (
        Q(Exact(LAST_RAT_TAHUN_BUKU, tahun_buku))
        | Q(id__in=held.values("cooperative_id"))
        | Q(id__in=reported.values("cooperative_id"))
    )
    counts = (
        base.values(*group)
        .order_by()
        .annotate(
            jumlah=Count("id"),
            aktif=Count("id", filter=Q(status=CooperativeStatus.AKTIF)),
            ber_nik=Count("id", filter=Q(nik__isnull=False)),
            rat=Count("id", filter=held_rat),
            # The map's share is of the aktif ones: its numerator too.
            rat_aktif=Count("id", filter=held_rat & Q(status=CooperativeStatus.AKTIF)),
        )
    )
    for row in counts:
        cells = result[key(row)]
        cells["jumlah"] = row["jumlah"]
        cells["aktif"] = row["aktif"]
        cells["tidak_aktif"] = row["jumlah"] - row["aktif"]
        cells["ber_nik"] = row["ber_nik"]
        cells["rat"] = row["rat"]
        cells["rat_aktif"] = row["rat_aktif"]
        cells["belum_dinilai"] = row["jumlah"]

    related = [f"cooperative__{path}" for path in group]
    figures = (
        CooperativeFigures.objects.filter(tahun_buku=tahun_buku, cooperative__in=ids)
        .values(*related)
        .order_by()
        .annotate(**{name: Sum(field) for name, field in FIGURE_SUMS.items()})
    )
    for row in figures:
        cells = result[key(row, "cooperative__")]
        for name in FIGURE_SUMS:
            cells[name] = row[name] or cells[name]
        cells["anggota_total"] = int(cells["anggota_l"]) + int(cells["anggota_p"])

    health = (
        Assessment.objects.current()
        .filter(tahun_buku=tahun_buku, cooperative__in=ids)
        .values(*related, "predikat")
        .order_by()
        .annotate(n=Count("cooperative", distinct=True))
    )
    by_predikat = {value: name for name, value in HEALTH_FIELDS.items()}
    for row in health:
        field = by_predikat.get(row["predikat"])
        if field is None:
            continue
        cells = result[key(row, "cooperative__")]
        cells[field] = int(cells[field]) + row["n"]
        cells["belum_dinilai"] = int(cells["belum_dinilai"]) - row["n"]
    return dict(result)


def add_cells(rows: Sequence[Cells]) -> Cells:
    total = empty_cells()
    for cells in rows:
        for name, value in cells.items():
            total[name] = total[name] + value
    return total
