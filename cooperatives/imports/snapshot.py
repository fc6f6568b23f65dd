"""What an import compares against: the regions and kelompok as plain dicts, and
the registry's importable values as tuples (cooperatives.ods.planning)."""

from collections.abc import Iterable
from typing import Any

from ..models import (
    FIGURE_FIELDS,
    LAST_RAT_TAHUN_BUKU,
    Cooperative,
    CooperativeFigures,
    KabupatenKota,
    Kecamatan,
    Kelurahan,
    Officer,
    Position,
    RecordSource,
)
from ..ods.cleaning import (
    Reference,
    kabkota_key,
)
from ..ods.planning import (
    IMPORTED_FIELDS,
    Registry,
)
from .kelompok import (
    kelompok_reference,
)
from .plan_file import FK_FIELDS


def import_reference() -> Reference:
    """Regions and kelompok as plain dicts. Cost: three small queries."""
    kecamatan: dict[str, tuple[str, dict[str, int]]] = {}
    homes: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    names = {k.pk: k for k in Kecamatan.objects.all()}
    for kecamatan_obj in names.values():
        kecamatan[kecamatan_obj.name_key] = (kecamatan_obj.name, {})
        shown[kecamatan_obj.name_key] = kecamatan_obj.name
    for kelurahan in Kelurahan.objects.all():
        home = names[kelurahan.kecamatan_id]
        kecamatan[home.name_key][1][kelurahan.name_key] = kelurahan.pk
        homes.setdefault(kelurahan.name_key, []).append(home.name)
        shown.setdefault(kelurahan.name_key, kelurahan.name)
    kabkota_keys = {kabkota_key(k.name) for k in KabupatenKota.objects.all()}
    return Reference(kecamatan, homes, kelompok_reference(), kabkota_keys, names=shown)


def registry_snapshot(*, years: Iterable[int] | None) -> Registry:
    """Every cooperative's importable fields, the figures of ``years`` (of every
    year when None) and the active ketua without a login. Cost: three queries over
    the whole registry (about a second for 150,000 cooperatives and a year of
    figures on PostgreSQL)."""
    columns: list[Any] = [FK_FIELDS.get(name, name) for name in IMPORTED_FIELDS]
    # A file that gives the same year for a cooperative whose registry holds only
    # the date of its last RAT changes nothing: both are read as its tahun buku.
    columns[IMPORTED_FIELDS.index("last_rat_year")] = LAST_RAT_TAHUN_BUKU
    cooperatives = {
        row[0]: row[1:] for row in Cooperative.objects.values_list("pk", *columns)
    }
    figure_rows = CooperativeFigures.objects.all()
    if years is not None:
        figure_rows = figure_rows.filter(tahun_buku__in=set(years))
    rows = figure_rows.values_list(
        "cooperative_id", "tahun_buku", *FIGURE_FIELDS, "source"
    )
    figures: dict[tuple[int, int], tuple[Any, ...]] = {}
    reported: set[tuple[int, int]] = set()
    for row in rows:
        figures[row[0], row[1]] = row[2:-1]
        if row[-1] == RecordSource.RAT_REPORT:
            reported.add((row[0], row[1]))
    ketua: dict[int, str] = {}
    officers = Officer.objects.filter(
        position=Position.KETUA, is_active=True
    ).values_list("cooperative_id", "name", "user_id")
    with_login: set[int] = set()
    for cooperative_id, name, user_id in officers:
        if user_id is not None:
            with_login.add(cooperative_id)
        ketua.setdefault(cooperative_id, name)
    return Registry(
        cooperatives, figures, ketua, ketua_locked=with_login, reported=reported
    )
