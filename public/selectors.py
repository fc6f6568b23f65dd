"""What the public site reads. Every cooperative it shows comes from
``public_cooperatives()``, whose rows ``public.fields`` turns into public values."""

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from cooperatives.models import (
    Cooperative,
    CooperativeFigures,
    CooperativeStatus,
    Kecamatan,
    Kelurahan,
)
from cooperatives.selectors import statistics_rows, summed_by_statistics_row
from health_assessment.models import Assessment, Predikat
from notifications.models import IncomingMessage

from .fields import choice_label
from .models import Concern

FIGURE_EXTRAS = {"anggota", "aset", "volume_usaha"}


def public_cooperatives() -> QuerySet[Cooperative]:
    """Cooperatives with what their public page needs in the same query: region
    (without its boundary), the latest health result in force and, when published,
    the latest figures."""
    results = (
        Assessment.objects.current()
        .filter(cooperative=OuterRef("pk"))
        .order_by("-tahun_buku")
    )
    queryset = (
        Cooperative.objects.select_related("kelurahan__kecamatan")
        # The regions' map polygons (3 KB a kelurahan) are no public value: read
        # and decoded for every row, they were most of a search page's query.
        .defer("kelurahan__boundary", "kelurahan__kecamatan__boundary")
        .annotate(
            health_predikat=Subquery(results.values("predikat")[:1]),
            health_year=Subquery(results.values("tahun_buku")[:1]),
        )
    )
    if FIGURE_EXTRAS & set(settings.PUBLIC_EXTRA_FIELDS):
        latest = CooperativeFigures.objects.filter(cooperative=OuterRef("pk")).order_by(
            "-tahun_buku"
        )
        members = latest.annotate(
            total=Coalesce(F("members_male"), Value(0))
            + Coalesce(F("members_female"), Value(0))
        )
        queryset = queryset.annotate(
            public_members=Subquery(members.values("total")[:1]),
            public_aset=Subquery(latest.values("aset")[:1]),
            public_volume_usaha=Subquery(latest.values("volume_usaha")[:1]),
        )
    return queryset


def public_listed() -> QuerySet[Cooperative]:
    """Cooperatives with only the columns a search result shows (``fields.LISTED``):
    a page of results reads no health result, figures or address, and joins no
    region: ``with_places`` names the kelurahan and kecamatan from ``regions()``
    (PostgreSQL took a millisecond to plan the two joins, five times the rest of
    the query)."""
    return Cooperative.objects.only("nik", "name", "jenis", "status", "kelurahan")


def with_places(cooperatives: Iterable[Cooperative]) -> list[Cooperative]:
    """``cooperatives`` (from ``public_listed()``), each with its kelurahan and
    kecamatan as ``regions()`` names them, without a query."""
    places = regions()["places"]
    rows = list(cooperatives)
    if any(row.kelurahan_id not in places for row in rows):
        places = regions(fresh=True)["places"]  # a kelurahan added since
    for cooperative in rows:
        kelurahan = _place(cooperative.kelurahan_id, *places[cooperative.kelurahan_id])
        Cooperative.kelurahan.field.set_cached_value(cooperative, kelurahan)
    return rows


@lru_cache(maxsize=1024)
def _place(pk: int, name: str, kecamatan_id: int, kecamatan_name: str) -> Kelurahan:
    """A kelurahan with its kecamatan, made once for each set of names (a model
    instance with its kecamatan takes 8 microseconds to make); only read."""
    return Kelurahan(
        id=pk, name=name, kecamatan=Kecamatan(id=kecamatan_id, name=kecamatan_name)
    )


def regions(*, fresh: bool = False) -> dict[str, Any]:
    """The city's kecamatan (six of them, in name order, as filter choices), the
    kelurahan ids of each, and every kelurahan's name with its kecamatan's, kept
    for five minutes in each process (``CACHES["process"]``): every search page
    lists, filters by and names them. ``fresh`` reads them again, for a kelurahan
    added since."""
    cache = caches["process"]
    found = None if fresh else cache.get("public:regions")
    if found is None:
        kelurahan: dict[int, list[int]] = {}
        places: dict[int, tuple[str, int, str]] = {}
        for pk, name, kecamatan_id, kecamatan_name in Kelurahan.objects.values_list(
            "pk", "name", "kecamatan_id", "kecamatan__name"
        ):
            kelurahan.setdefault(kecamatan_id, []).append(pk)
            places[pk] = (name, kecamatan_id, kecamatan_name)
        found = {
            "choices": list(
                Kecamatan.objects.order_by("name").values_list("pk", "name")
            ),
            "kelurahan": kelurahan,
            "places": places,
        }
        cache.set("public:regions", found, 300)
    return found


def kecamatan_choices() -> list[tuple[int, str]]:
    return list(regions()["choices"])


def public_statistics() -> dict[str, Any]:
    """The city's headline figures, reused for PUBLIC_STATISTICS_SECONDS, per
    language (the jenis and predikat names are translated). Four queries when
    computed."""
    key = f"public:statistics:v3:{get_language()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    aktif = Q(status=CooperativeStatus.AKTIF)
    totals = Cooperative.objects.aggregate(
        terdaftar=Count("id"), aktif=Count("id", filter=aktif)
    )
    # The Dinas's rows: simpan pinjam konvensional and syariah apart, as the
    # dashboard and R2 count them (DECISIONS: the office reports them apart).
    per_row = summed_by_statistics_row(
        Cooperative.objects.values("jenis", "pola")
        .annotate(terdaftar=Count("id"), aktif=Count("id", filter=aktif))
        .order_by(),
        _counts,
    )
    by_jenis = [
        {"jenis": label, **_counts(per_row[key])}
        for key, label in statistics_rows()
        if key in per_row
    ]
    by_kecamatan = [
        {"kecamatan": row["name"], **_counts(row)}
        for row in Kecamatan.objects.values("name")
        .annotate(
            terdaftar=Count("kelurahan_set__cooperatives"),
            aktif=Count(
                "kelurahan_set__cooperatives",
                filter=Q(kelurahan_set__cooperatives__status=CooperativeStatus.AKTIF),
            ),
        )
        .order_by("name")
    ]
    # The latest tahun buku assessed, said with the counts: they are that year's,
    # not the registry's today.
    health_year = (
        Assessment.objects.current()
        .order_by("-tahun_buku")
        .values_list("tahun_buku", flat=True)
        .first()
    )
    results = (
        Assessment.objects.current().filter(tahun_buku=health_year)
        if health_year is not None
        else Assessment.objects.none()
    )
    health = [
        {"predikat": choice_label(Predikat, row["predikat"]), "jumlah": row["n"]}
        for row in results.values("predikat")
        .annotate(n=Count("id"))
        .order_by("predikat")
    ]
    data = {
        "terdaftar": totals["terdaftar"],
        "aktif": totals["aktif"],
        "per_jenis": by_jenis,
        "per_kecamatan": by_kecamatan,
        "kesehatan": health,
        "kesehatan_tahun_buku": health_year,
    }
    cache.set(key, data, settings.PUBLIC_STATISTICS_SECONDS)
    return data


def _counts(row: Mapping[str, Any]) -> dict[str, int]:
    return {"terdaftar": row["terdaftar"], "aktif": row["aktif"]}


def inbox_waiting() -> dict[str, int]:
    """What waits for staff under "Aduan": members' concerns and WhatsApp
    messages not yet handled, by tab. Two queries."""
    return {
        "concerns": Concern.objects.waiting().count(),
        "whatsapp": IncomingMessage.objects.waiting().count(),
    }
