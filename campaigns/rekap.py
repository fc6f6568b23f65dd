"""The campaign's reports upward (R3, R4) and its map measure, registered into the
rekap from ``CampaignsConfig.ready`` (reports never imports campaigns: the arrow
runs from here to there).

R3 and R4 read the opened campaign whose year is the tahun buku. Each is a handful
of plain queries whatever the registry's size: the cooperatives, their items, and
one query each for visits, letters and objections, joined in Python by item id.
"""

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from cooperatives.models import CooperativeStatus, Kecamatan, Kelurahan
from reports.rekap.definitions import (
    Definition,
    Period,
    Progress,
    Scope,
    Table,
    percent,
    register_definition,
    scoped_cooperatives,
)
from reports.rekap.map import ExtraMeasure, MapLevel, register_measure

from .models import (
    Campaign,
    CampaignItem,
    CampaignLetter,
    CampaignStatus,
    Evidence,
    EvidenceKind,
    EvidenceState,
    EvidenceStatus,
    Objection,
    ObjectionStatus,
    ProposedClass,
    VisitChoice,
)
from .rules import LADDER, LetterKind
from .selectors import CLASSES

# R3 lists the cooperatives not Aktif in the registry, and those the campaign
# finds not active or proposes for dissolution.
NOT_ACTIVE_CLASSES = (
    ProposedClass.C,
    ProposedClass.D,
    ProposedClass.E,
    ProposedClass.F,
)
PROGRESS_MEASURE = "pemutakhiran"

# R3's table title as snapshots frozen before version 2 keep it, read in English.
FORMER_TITLES = (gettext_noop("Koperasi tidak aktif atau diusulkan dibubarkan"),)

# What R3's and R4's columns say, under their tables, on paper and in the
# workbook: a reader at the Wali Kota's office has no campaign page to ask.
CLASS_NOTES = (
    gettext_lazy(
        "Kelas pemutakhiran: diusulkan dari RAT terakhir di registri saat "
        "pemutakhiran dibuka dan dari bukti yang diterima Dinas sesudahnya."
    ),
    *ProposedClass.labels,
)
R3_NOTES = (
    gettext_lazy(
        "Daftar ini memuat koperasi yang di registri tidak berstatus Aktif, dan "
        "koperasi Aktif yang dalam pemutakhiran belum membuktikan kegiatannya "
        "(kelas C sampai F); Status adalah status registri pada hari rekap "
        "dibekukan."
    ),
    *CLASS_NOTES,
    gettext_lazy(
        "Surat: nomor dan tanggal surat pemutakhiran yang dikirim (yang dibatalkan "
        "tidak dicantumkan)."
    ),
)
R4_NOTES = (
    gettext_lazy(
        "Jumlah: koperasi dalam pemutakhiran, yaitu yang belum dibubarkan saat "
        "pemutakhiran dibuka, menurut wilayahnya di registri."
    ),
    *CLASS_NOTES,
    gettext_lazy(
        "Terverifikasi: koperasi yang buktinya (laporan RAT, konfirmasi pengurus, "
        "atau kunjungan lapangan) sudah diterima Dinas, tanpa bukti lain yang "
        "masih menunggu diperiksa. % terverifikasi: terverifikasi dibagi jumlah."
    ),
)

# Each letter's two columns in R3, whole words the catalogue knows, so that a
# frozen heading reads in English too ("Pemberitahuan: nomor" stayed as it was).
_LETTER_COLUMNS = {
    LetterKind.PEMBERITAHUAN: (
        gettext_lazy("Pemberitahuan: nomor"),
        gettext_lazy("Pemberitahuan: tanggal"),
    ),
    LetterKind.TEGURAN_1: (
        gettext_lazy("Teguran I: nomor"),
        gettext_lazy("Teguran I: tanggal"),
    ),
    LetterKind.TEGURAN_2: (
        gettext_lazy("Teguran II: nomor"),
        gettext_lazy("Teguran II: tanggal"),
    ),
    LetterKind.PERINGATAN: (
        gettext_lazy("Peringatan: nomor"),
        gettext_lazy("Peringatan: tanggal"),
    ),
}


def opened_campaign(tahun_buku: int) -> Campaign | None:
    """The campaign of that year once opened (Berjalan or Ditutup), or None."""
    return (
        Campaign.objects.filter(year=tahun_buku)
        .exclude(status=CampaignStatus.DRAF)
        .first()
    )


def campaign_refusal(tahun_buku: int) -> str | None:
    if opened_campaign(tahun_buku) is None:
        return _(
            "Belum ada pemutakhiran tahun %(year)s yang dibuka; R3 dan R4 membaca "
            "hasilnya."
        ) % {"year": tahun_buku}
    return None


def _campaign(period: Period) -> Campaign:
    campaign = opened_campaign(period.tahun_buku)
    if campaign is None:  # checked when the freeze was asked for
        raise LookupError(f"no opened campaign for {period.tahun_buku}")
    return campaign


def _column(key: str, label: Any, kind: str) -> dict[str, str]:
    return {"key": key, "label": str(label), "kind": kind}


def r3_columns() -> list[dict[str, str]]:
    columns = [
        _column("nama", _("Nama koperasi"), "text"),
        _column("nik", _("NIK"), "text"),
        _column("kecamatan", _("Kecamatan"), "text"),
        _column("kelurahan", _("Kelurahan"), "text"),
        _column("status", _("Status"), "text"),
        _column("rat_terakhir", _("RAT terakhir (tahun buku)"), "int"),
        _column("kelas", _("Kelas pemutakhiran"), "text"),
        _column("kunjungan_tanggal", _("Tanggal kunjungan"), "date"),
        _column("kunjungan_hasil", _("Hasil kunjungan"), "text"),
    ]
    for kind in LADDER:
        number, date = _LETTER_COLUMNS[kind]
        columns.append(_column(f"{kind}_nomor", number, "text"))
        columns.append(_column(f"{kind}_tanggal", date, "date"))
    columns.append(_column("keberatan", _("Keberatan"), "text"))
    return columns


def _evidence_by_item(campaign: Campaign) -> tuple[dict[int, Any], ...]:
    """Latest accepted visit, letters not cancelled, objections per status: each
    keyed by item id. Three queries."""
    # The latest first; the first seen per item wins (portable: no DISTINCT ON).
    visits: dict[int, Any] = {}
    for v in (
        Evidence.objects.filter(
            item__campaign=campaign,
            kind=EvidenceKind.KUNJUNGAN,
            status=EvidenceStatus.DITERIMA,
        )
        .order_by("item_id", "-on", "-id")
        .values("item_id", "on", "visit_result")
    ):
        visits.setdefault(v["item_id"], v)
    letters: dict[int, dict[str, Any]] = defaultdict(dict)
    for letter in CampaignLetter.objects.filter(
        item__campaign=campaign, cancelled_at__isnull=True
    ).values("item_id", "kind", "number", "issued_on"):
        letters[letter["item_id"]][letter["kind"]] = letter
    objections: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Objection.objects.filter(item__campaign=campaign)
        .values("item_id", "status")
        .order_by("item_id", "status")
        .annotate(n=Count("id"))
    ):
        objections[row["item_id"]][row["status"]] = row["n"]
    return visits, letters, objections


def objection_summary(by_status: dict[str, int]) -> str:
    if not by_status:
        return _("Tidak ada")
    return ", ".join(
        f"{by_status[status]} {ObjectionStatus(status).label}"
        for status in ObjectionStatus.values
        if status in by_status
    )


def build_r3(period: Period, scope: Scope, progress: Progress) -> list[Table]:
    """One row per cooperative of the scope that is not Aktif in the registry or
    is in class C-F of the campaign, with its evidence summary."""
    campaign = _campaign(period)
    progress(10)
    not_active_items = CampaignItem.objects.filter(
        campaign=campaign, proposed_class__in=NOT_ACTIVE_CLASSES
    ).values("cooperative_id")
    cooperatives = list(
        scoped_cooperatives(scope)
        .filter(~Q(status=CooperativeStatus.AKTIF) | Q(id__in=not_active_items))
        .order_by("kelurahan__kecamatan__name", "kelurahan__name", "name", "id")
        .values(
            "id",
            "name",
            "nik",
            "status",
            "last_rat_year",
            "kelurahan__name",
            "kelurahan__kecamatan__name",
        )
    )
    items = {
        item["cooperative_id"]: item
        for item in CampaignItem.objects.filter(
            campaign=campaign, cooperative_id__in=[c["id"] for c in cooperatives]
        ).values("id", "cooperative_id", "proposed_class", "rat_year")
    }
    progress(50)
    visits, letters, objections = _evidence_by_item(campaign)
    progress(80)
    visit_labels = dict(VisitChoice.choices)
    rows = []
    for coop in cooperatives:
        item = items.get(coop["id"])
        item_id: int = item["id"] if item else 0
        visit = visits.get(item_id)
        rat_year = item["rat_year"] if item else coop["last_rat_year"]
        row: list[Any] = [
            coop["name"],
            coop["nik"] or "",
            coop["kelurahan__kecamatan__name"],
            coop["kelurahan__name"],
            str(CooperativeStatus(coop["status"]).label),
            rat_year,
            item["proposed_class"] if item else "",
            visit["on"].isoformat() if visit else "",
            str(visit_labels.get(visit["visit_result"], "")) if visit else "",
        ]
        sent = letters.get(item_id, {})
        for kind in LADDER:
            letter = sent.get(kind)
            row += (
                [letter["number"], letter["issued_on"].isoformat()]
                if letter
                else ["", ""]
            )
        row.append(objection_summary(objections.get(item_id, {})) if item else "")
        rows.append(row)
    return [
        _r3_summary(cooperatives, items),
        {
            "key": "r3",
            "title": _(
                "Koperasi tidak aktif, tanpa bukti kegiatan (kelas C–F), atau "
                "diusulkan dibubarkan"
            ),
            "columns": r3_columns(),
            "row_keys": [str(coop["id"]) for coop in cooperatives],
            "rows": rows,
            "total": None,
        },
    ]


# R3's summary: its cooperatives by class (rows) and registry status (columns).
R3_STATUSES = (
    CooperativeStatus.AKTIF,
    CooperativeStatus.TIDAK_AKTIF,
    CooperativeStatus.DALAM_PEMBUBARAN,
)


def _r3_summary(cooperatives: list[dict[str, Any]], items: Mapping[int, Any]) -> Table:
    """How many of R3's cooperatives there are, by class and status: the list
    alone runs to dozens of pages."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for coop in cooperatives:
        item = items.get(coop["id"])
        counts[item["proposed_class"] if item else ""][coop["status"]] += 1
    keys = [c for c in CLASSES if c in counts] + ([""] if "" in counts else [])

    def line(label: str, by_status: dict[str, int]) -> list[Any]:
        cells = [by_status.get(status, 0) for status in R3_STATUSES]
        return [label, *cells, sum(cells)]

    columns = [_column("kelas", _("Kelas pemutakhiran"), "text")]
    columns += [
        _column(status, CooperativeStatus(status).label, "int")
        for status in R3_STATUSES
    ]
    columns.append(_column("jumlah", _("Jumlah"), "int"))
    totals: dict[str, int] = defaultdict(int)
    for by_status in counts.values():
        for status, n in by_status.items():
            totals[status] += n
    return {
        "key": "r3_ringkasan",
        "title": _("Ringkasan per kelas dan status"),
        "columns": columns,
        "row_keys": [key or "-" for key in keys],
        "rows": [
            line(key or _("Tidak ada dalam pemutakhiran"), counts[key]) for key in keys
        ],
        "total": line(_("Jumlah"), totals),
    }


R4_KEYS = [c.lower() for c in CLASSES] + ["jumlah", "terverifikasi"]


def _r4_regions(scope: Scope) -> tuple[Any, str, dict[str, str]]:
    """The regions of the rows, the item path to group by, and the scope filter."""
    regions: Any
    if scope.is_kecamatan:
        regions = Kelurahan.objects.filter(kecamatan__kemendagri_code=scope.code)
        filter_ = {"cooperative__kelurahan__kecamatan__kemendagri_code": scope.code}
        return regions, "cooperative__kelurahan_id", filter_
    regions = Kecamatan.objects.filter(kabkota__kemendagri_code=scope.code)
    filter_ = {
        "cooperative__kelurahan__kecamatan__kabkota__kemendagri_code": scope.code
    }
    return regions, "cooperative__kelurahan__kecamatan_id", filter_


def build_r4(period: Period, scope: Scope, progress: Progress) -> list[Table]:
    """The campaign's items per kecamatan (per kelurahan for a kecamatan) and
    class, with how many are verified; every region gets its row."""
    campaign = _campaign(period)
    progress(10)
    regions, group, scope_filter = _r4_regions(scope)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(R4_KEYS, 0))
    grouped = (
        CampaignItem.objects.filter(campaign=campaign, **scope_filter)
        .values(group, "proposed_class")
        .order_by()
        .annotate(
            n=Count("id"),
            verified=Count("id", filter=Q(evidence_state=EvidenceState.TERVERIFIKASI)),
        )
    )
    for row in grouped:
        cells = counts[row[group]]
        cells[row["proposed_class"].lower()] += row["n"]
        cells["jumlah"] += row["n"]
        cells["terverifikasi"] += row["verified"]
    progress(90)
    regions = list(regions.order_by("kemendagri_code"))
    region_cells = [counts.get(r.pk, dict.fromkeys(R4_KEYS, 0)) for r in regions]
    total = {key: sum(cells[key] for cells in region_cells) for key in R4_KEYS}
    level = _("Kelurahan") if scope.is_kecamatan else _("Kecamatan")

    def line(label: str, cells: dict[str, int]) -> list[Any]:
        share = percent(cells["terverifikasi"], cells["jumlah"])
        return [label, *(cells[key] for key in R4_KEYS), share]

    columns = [_column("label", level, "text")]
    columns += [_column(c.lower(), f"{_('Kelas')} {c}", "int") for c in CLASSES]
    columns += [
        _column("jumlah", _("Jumlah"), "int"),
        _column("terverifikasi", _("Terverifikasi"), "int"),
        _column("persen_terverifikasi", _("% terverifikasi"), "percent"),
    ]
    return [
        {
            "key": "r4",
            "title": _("Hasil pemutakhiran %(year)s per wilayah dan kelas")
            % {"year": campaign.year},
            "columns": columns,
            "row_keys": [r.kemendagri_code for r in regions],
            "rows": [
                line(r.name, cells)
                for r, cells in zip(regions, region_cells, strict=True)
            ],
            "total": line(_("Jumlah"), total),
        }
    ]


def progress_shares(level: str, tahun_buku: int) -> dict[int, tuple[int, int]]:
    """Region pk -> (verified, items) in the opened campaign of that year; empty
    when there is none. Two queries."""
    campaign = opened_campaign(tahun_buku)
    if campaign is None:
        return {}
    group = (
        "cooperative__kelurahan_id"
        if level == MapLevel.KELURAHAN
        else "cooperative__kelurahan__kecamatan_id"
    )
    grouped = (
        CampaignItem.objects.filter(campaign=campaign)
        .values(group)
        .order_by()
        .annotate(
            n=Count("id"),
            verified=Count("id", filter=Q(evidence_state=EvidenceState.TERVERIFIKASI)),
        )
    )
    return {row[group]: (row["verified"], row["n"]) for row in grouped}


def progress_list_url(tahun_buku: int) -> str | None:
    """The campaign's own list, which the progress counts, once it is opened."""
    if opened_campaign(tahun_buku) is None:
        return None
    return reverse("campaigns:detail", args=[tahun_buku])


def register() -> None:
    """Called once from ``CampaignsConfig.ready``."""
    register_definition(
        Definition(
            "R3",
            2,
            gettext_lazy(
                "R3 — Koperasi tidak aktif, tanpa bukti kegiatan (kelas C–F), atau "
                "diusulkan dibubarkan"
            ),
            build_r3,
            unavailable=campaign_refusal,
            notes=R3_NOTES,
        )
    )
    register_definition(
        Definition(
            "R4",
            1,
            gettext_lazy("R4 — Hasil pemutakhiran per kecamatan"),
            build_r4,
            kecamatan_title=gettext_lazy("R4 — Hasil pemutakhiran per kelurahan"),
            unavailable=campaign_refusal,
            map_columns=("terverifikasi", "jumlah", PROGRESS_MEASURE),
            notes=R4_NOTES,
        )
    )
    register_measure(
        ExtraMeasure(
            code=PROGRESS_MEASURE,
            label=gettext_lazy("Kemajuan pemutakhiran (% terverifikasi)"),
            column_labels=(gettext_lazy("Terverifikasi"), gettext_lazy("Semua")),
            shares=progress_shares,
            list_url=progress_list_url,
        )
    )
