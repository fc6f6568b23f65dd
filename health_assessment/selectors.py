"""Reads for assessment pages: a cooperative's history, the chart, statistics."""

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, QuerySet

from cooperatives.models import Cooperative
from cooperatives.selectors import statistics_rows, summed_by_statistics_row

from .models import Assessment, Predikat


def assessments_of_cooperative(
    cooperative: Cooperative, user: Any
) -> QuerySet[Assessment]:
    return (
        Assessment.objects.visible_to(user)
        .filter(cooperative=cooperative)
        .select_related("ruleset", "finalised_by")
        .order_by("-tahun_buku", "-revision")
    )


def revisions_of_year(assessment: Assessment, user: Any) -> QuerySet[Assessment]:
    """Every revision the user may see of the assessment's cooperative and year."""
    return (
        Assessment.objects.visible_to(user)
        .filter(cooperative=assessment.cooperative_id, tahun_buku=assessment.tahun_buku)
        .order_by("-revision")
    )


def chart_data(assessments: QuerySet[Assessment]) -> dict[str, list[Any]]:
    """The results in force, oldest year first, for the cooperative's chart
    (from the rows already loaded for the page's table: no query)."""
    rows = sorted(
        (a for a in assessments if a.is_in_force),
        key=lambda a: a.tahun_buku,
    )
    return {
        "years": [a.tahun_buku for a in rows],
        "scores": [float(a.final_score or 0) for a in rows],
        "labels": [str(Predikat(a.predikat).label) for a in rows],
    }


def predikat_statistics(*, year: int | None) -> dict[str, Any]:
    """Counts of results in force per predikat: by year, and for one year by jenis
    and by kecamatan (three grouped queries)."""
    current = Assessment.objects.current()
    by_year: dict[int, dict[str, int]] = defaultdict(dict)
    for year_row in current.values("tahun_buku", "predikat").annotate(n=Count("id")):
        by_year[year_row["tahun_buku"]][year_row["predikat"]] = year_row["n"]
    years = sorted(by_year, reverse=True)
    if year is None and years:
        year = years[0]
    of_year = current.filter(tahun_buku=year or 0)
    # Simpan pinjam konvensional and syariah apart, as the office reports them.
    by_jenis = summed_by_statistics_row(
        of_year.values("cooperative__jenis", "cooperative__pola", "predikat").annotate(
            n=Count("id")
        ),
        lambda row: {row["predikat"]: row["n"]},
        prefix="cooperative__",
    )
    by_kecamatan: dict[str, dict[str, int]] = defaultdict(dict)
    for row in of_year.values(
        "cooperative__kelurahan__kecamatan__name", "predikat"
    ).annotate(n=Count("id")):
        name = row["cooperative__kelurahan__kecamatan__name"]
        by_kecamatan[name][row["predikat"]] = row["n"]

    def table(
        groups: Mapping[Any, Mapping[str, int]],
        labels: dict[Any, str],
        order: list[Any] | None = None,
    ) -> list[Any]:
        keys = (
            [k for k in order if k in groups]
            if order is not None
            else sorted(groups, key=lambda k: str(labels.get(k, k)))
        )
        return [
            {
                "label": labels.get(key, key),
                "counts": [groups[key].get(p, 0) for p in Predikat.values],
                "total": sum(groups[key].values()),
            }
            for key in keys
        ]

    rows = statistics_rows()
    return {
        "year": year,
        "years": years,
        "predikat": Predikat.labels,
        "by_year": table(by_year, {y: str(y) for y in years}),
        "by_jenis": table(by_jenis, dict(rows), [key for key, _label in rows]),
        "by_kecamatan": table(by_kecamatan, {}),
    }
