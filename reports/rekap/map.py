"""The thematic map of the city: kecamatan or kelurahan coloured by a measure.

``region_map`` reads the regions (with their polygons) and the grouped cells, and
returns the rows for the table beside the map and the SVG markup (lib.svgmap). The
same object serves the rekap page, its PDF, the map page and the dashboard.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.models import Kecamatan, Kelurahan
from lib.numbers import format_count, format_decimal
from lib.svgmap import (
    SEQUENTIAL,
    LegendEntry,
    MapArea,
    classify,
    render_choropleth,
    share_legend,
)

from .aggregates import grouped_cells
from .definitions import percent

BREAKS = (0.2, 0.4, 0.6, 0.8)


class MapLevel(models.TextChoices):
    KECAMATAN = "kecamatan", gettext_lazy("Kecamatan")
    KELURAHAN = "kelurahan", gettext_lazy("Kelurahan")


class MapMeasure(models.TextChoices):
    AKTIF = "aktif", gettext_lazy("Koperasi aktif (% dari yang belum dibubarkan)")
    RAT = "rat", gettext_lazy("Koperasi aktif dengan RAT tahun buku (% dari aktif)")
    SEHAT = "sehat", gettext_lazy("Sehat atau cukup sehat (% dari yang dinilai)")


# measure -> (numerator cells, denominator cells)
_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    MapMeasure.AKTIF: (("aktif",), ("jumlah",)),
    MapMeasure.RAT: (("rat_aktif",), ("aktif",)),
    MapMeasure.SEHAT: (
        ("sehat", "cukup_sehat"),
        ("sehat", "cukup_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus"),
    ),
}


# measure -> (label of the numerator column, label of the denominator column)
_COLUMN_LABELS = {
    MapMeasure.AKTIF: (gettext_lazy("Aktif"), gettext_lazy("Belum dibubarkan")),
    MapMeasure.RAT: (gettext_lazy("Dengan RAT tahun buku"), gettext_lazy("Aktif")),
    MapMeasure.SEHAT: (gettext_lazy("Sehat/cukup sehat"), gettext_lazy("Dinilai")),
}


# (level, tahun buku) -> region pk -> (numerator, denominator)
RegionShares = Callable[[str, int], dict[int, tuple[int, int]]]


@dataclass(frozen=True)
class ExtraMeasure:
    """A measure another app counts (campaigns: the pemutakhiran's progress)."""

    code: str
    label: Any  # a lazy translation
    column_labels: tuple[Any, Any]
    shares: RegionShares
    # The list an area links to for a tahun buku (None: the registry's).
    list_url: Callable[[int], str | None] | None = None


EXTRA_MEASURES: dict[str, ExtraMeasure] = {}


def register_measure(measure: ExtraMeasure) -> None:
    """Called from the counting app's ``AppConfig.ready``; twice is a bug."""
    if measure.code in EXTRA_MEASURES or measure.code in MapMeasure.values:
        raise ImproperlyConfigured(f"Map measure {measure.code} registered twice")
    EXTRA_MEASURES[measure.code] = measure


def measure_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in MapMeasure.choices] + [
        (m.code, str(m.label)) for m in EXTRA_MEASURES.values()
    ]


def measure_label(measure: str) -> str:
    if measure in EXTRA_MEASURES:
        return str(EXTRA_MEASURES[measure].label)
    return str(MapMeasure(measure).label)


@dataclass(frozen=True)
class MapRow:
    code: str
    name: str
    numerator: int
    denominator: int
    share: float | None
    href: str
    has_boundary: bool

    @property
    def share_label(self) -> str:
        """Two decimals, half up, from the counts: as the rekap's tables say it
        (the map said 76,6% beside R1's 76,60%)."""
        if not self.denominator:
            return "–"
        return f"{format_decimal(Decimal(percent(self.numerator, self.denominator)))}%"


@dataclass(frozen=True)
class RegionMap:
    level: str
    measure: str
    tahun_buku: int
    title: str
    rows: list[MapRow]
    svg: str

    @property
    def column_labels(self) -> tuple[str, str]:
        if self.measure in EXTRA_MEASURES:
            numerator, denominator = EXTRA_MEASURES[self.measure].column_labels
        else:
            numerator, denominator = _COLUMN_LABELS[MapMeasure(self.measure)]
        return str(numerator), str(denominator)

    @property
    def empty(self) -> bool:
        """Nothing counted anywhere: every area 0 (a tahun buku without a
        pemutakhiran, one not over yet, or before the registry's data). Said
        above the map, which had shown "0,00%" everywhere as a finding."""
        return not any(row.numerator for row in self.rows)

    @property
    def numbered(self) -> bool:
        """The map marks its areas by their row's number (kelurahan), not by name."""
        return self.level == MapLevel.KELURAHAN

    @property
    def missing_boundaries(self) -> list[MapRow]:
        return [row for row in self.rows if not row.has_boundary]


def _share(cells: dict[str, Any] | None, measure: str) -> tuple[int, int]:
    if cells is None:
        return 0, 0
    top, bottom = _PARTS[measure]
    return sum(int(cells[n]) for n in top), sum(int(cells[n]) for n in bottom)


def region_map(
    *,
    level: str,
    measure: str,
    tahun_buku: int,
    element_id: str = "peta",
    list_url: str | None = None,
) -> RegionMap:
    """The live map. Five queries: the regions and the four grouped counts (for a
    registered measure, the regions and what its ``shares`` costs)."""
    kabkota = settings.OFFICE_KABKOTA_CODE
    regions: Any
    if level == MapLevel.KELURAHAN:
        regions = Kelurahan.objects.filter(kecamatan__kabkota__kemendagri_code=kabkota)
        group = "kelurahan_id"
    else:
        regions = Kecamatan.objects.filter(kabkota__kemendagri_code=kabkota)
        group = "kelurahan__kecamatan_id"
    regions = list(regions.order_by("name"))
    if measure in EXTRA_MEASURES:
        extra = EXTRA_MEASURES[measure]
        if list_url is None and extra.list_url is not None:
            list_url = extra.list_url(tahun_buku)
        counted = extra.shares(level, tahun_buku)
        shares = {
            region.kemendagri_code: counted.get(region.pk, (0, 0)) for region in regions
        }
    else:
        cells = grouped_cells(tahun_buku=tahun_buku, group=[group])
        shares = {
            region.kemendagri_code: _share(cells.get((region.pk,)), measure)
            for region in regions
        }
    return build_map(
        regions=regions,
        shares=shares,
        level=level,
        measure=measure,
        tahun_buku=tahun_buku,
        element_id=element_id,
        list_url=list_url,
        # The status is today's whatever the year: "tahun buku 2023" over it
        # read as 2023's share of aktif cooperatives.
        as_of=timezone.localdate() if measure == MapMeasure.AKTIF else None,
    )


def snapshot_map(
    *,
    shares: dict[str, tuple[int, int]],
    measure: str,
    tahun_buku: int,
    names: dict[str, str] | None = None,
) -> RegionMap:
    """The map of frozen figures (region code -> numerator, denominator), e.g. a
    snapshot's R1 rows, listed in the order given: the polygons are today's, the
    numbers and the ``names`` (region code -> name) the snapshot's: a region
    renamed after a rekap was sent had changed its map, beside its own rows."""
    level = MapLevel.KELURAHAN
    if all(code.count(".") == 2 for code in shares):
        level = MapLevel.KECAMATAN
    model: Any = Kelurahan if level == MapLevel.KELURAHAN else Kecamatan
    # In the snapshot's own order: its map table beside its rows, charts and PDF
    # had listed the same kecamatan alphabetically and by code.
    order = {code: index for index, code in enumerate(shares)}
    regions = sorted(
        model.objects.filter(kemendagri_code__in=shares),
        key=lambda region: order[region.kemendagri_code],
    )
    return build_map(
        regions=regions,
        shares=shares,
        level=level,
        measure=measure,
        tahun_buku=tahun_buku,
        element_id="peta-rekap",
        names=names,
    )


def build_map(
    *,
    regions: list[Any],
    shares: dict[str, tuple[int, int]],
    level: str,
    measure: str,
    tahun_buku: int,
    element_id: str,
    list_url: str | None = None,
    as_of: datetime.date | None = None,
    names: dict[str, str] | None = None,
) -> RegionMap:
    """``list_url`` is the list each area links to, filtered to it (``?kecamatan=``
    or ``?kelurahan=``); the registry's list by default. ``as_of``: the measure
    is the registry's state on that day, not the tahun buku's (the title says
    which); ``names`` (region code -> name) in place of the regions' own."""
    list_url = list_url or reverse("cooperatives:list")
    names = names or {}
    # The aktif ones, where the registry's list can say it: what the RAT share
    # counts from (the area's whole list, inactive ones too, stood beside
    # "Aktif 1"), and what the aktif share counts (its whole list, dissolved
    # ones too, stood beside "36 aktif / 47").
    narrowed = "&status=aktif" if measure in (MapMeasure.RAT, MapMeasure.AKTIF) else ""
    rows = []
    for region in regions:
        numerator, denominator = shares.get(region.kemendagri_code, (0, 0))
        rows.append(
            MapRow(
                code=region.kemendagri_code,
                name=names.get(region.kemendagri_code) or region.name,
                numerator=numerator,
                denominator=denominator,
                share=numerator / denominator if denominator else None,
                href=f"{list_url}?{level}={region.pk}{narrowed}",
                has_boundary=bool(region.boundary),
            )
        )
    polygons = {region.kemendagri_code: region.boundary for region in regions}
    words = {
        "measure": measure_label(measure),
        "level": MapLevel(level).label.lower(),
        "year": tahun_buku,
    }
    if as_of is not None:
        words["date"] = date_format(as_of, "j F Y")
        title = _("%(measure)s per %(level)s, keadaan %(date)s") % words
    else:
        title = _("%(measure)s per %(level)s, tahun buku %(year)s") % words
    legend = [
        LegendEntry(colour, label)
        for colour, label in zip(SEQUENTIAL, share_legend(BREAKS), strict=True)
    ]
    areas = [
        MapArea(
            code=row.code,
            name=row.name,
            polygons=polygons.get(row.code),
            class_index=classify(row.share, BREAKS),
            value_label=(
                f"{row.share_label} ({format_count(row.numerator)}/"
                f"{format_count(row.denominator)})"
            ),
            href=row.href,
        )
        for row in rows
    ]
    svg = render_choropleth(
        areas,
        legend=legend,
        title=title,
        no_data_label=_("Tidak ada data"),
        element_id=element_id,
        # Each area marked on the map: all in one colour band, the shapes alone
        # did not tell which was which. The kecamatan by name; the kelurahan,
        # too many and too small for names, by their number in the table beside.
        labels="names" if level == MapLevel.KECAMATAN else "numbers",
    )
    return RegionMap(level, measure, tahun_buku, title, rows, svg)
