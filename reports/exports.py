"""The columns of the registry export. Headers follow the ODS export's names, so
that an exported file can be corrected and imported again."""

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeAlias

from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperatives.models import (
    Bentuk,
    Cooperative,
    CooperativeStatus,
    Jenis,
    Pola,
)

if TYPE_CHECKING:
    # A development tool (django-stubs): never imported when the app runs.
    from django_stubs_ext import StrOrPromise

Column: TypeAlias = "tuple[StrOrPromise, Callable[[Cooperative], Any]]"

REGISTRY_COLUMNS: list[Column] = [
    ("NIK", lambda c: c.nik or ""),
    ("Nama Koperasi", lambda c: c.name),
    ("No Badan Hukum", lambda c: c.nomor_badan_hukum),
    ("Tanggal Badan Hukum", lambda c: c.tanggal_badan_hukum),
    ("Alamat", lambda c: c.address),
    ("Kelurahan", lambda c: c.kelurahan.name),
    ("Kecamatan", lambda c: c.kelurahan.kecamatan.name),
    ("Jenis Koperasi", lambda c: c.get_jenis_display()),
    ("Pola", lambda c: c.get_pola_display()),
    ("Bentuk", lambda c: c.get_bentuk_display()),
    ("Kelompok Koperasi", lambda c: c.kelompok.code if c.kelompok else ""),
    ("Sektor Usaha", lambda c: c.sektor_usaha),
    ("Status", lambda c: c.get_status_display()),
    ("Tanggal RAT Terakhir", lambda c: c.last_rat_date),
    ("Masa Berlaku NIK", lambda c: c.nik_expiry_date),
    ("No HP", lambda c: c.phone),
    ("Email", lambda c: c.email),
]


# The same columns read as plain values (no model instances, no per-row label
# lookups): header, field path, choices whose label is shown (or None). 150,000 rows
# stream in a few seconds; ``REGISTRY_COLUMNS`` above says what each one means.
REGISTRY_FIELDS: list[tuple[str, str, type[models.TextChoices] | None]] = [
    ("NIK", "nik", None),
    ("Nama Koperasi", "name", None),
    ("No Badan Hukum", "nomor_badan_hukum", None),
    ("Tanggal Badan Hukum", "tanggal_badan_hukum", None),
    ("Alamat", "address", None),
    ("Kelurahan", "kelurahan__name", None),
    ("Kecamatan", "kelurahan__kecamatan__name", None),
    ("Jenis Koperasi", "jenis", Jenis),
    ("Pola", "pola", Pola),
    ("Bentuk", "bentuk", Bentuk),
    ("Kelompok Koperasi", "kelompok__code", None),
    ("Sektor Usaha", "sektor_usaha", None),
    ("Status", "status", CooperativeStatus),
    ("Tanggal RAT Terakhir", "last_rat_date", None),
    ("Masa Berlaku NIK", "nik_expiry_date", None),
    ("No HP", "phone", None),
    ("Email", "email", None),
]
assert [h for h, _f, _c in REGISTRY_FIELDS] == [h for h, _g in REGISTRY_COLUMNS]


def registry_export_rows(cooperatives: Any) -> Iterator[list[Any]]:
    """The registry export's rows as plain values, in ``cooperatives``' order;
    choice codes become their labels (translated once). A server-side cursor
    streams the rows in chunks of 2,000."""
    labels = {
        i: {value: str(label) for value, label in choices.choices}
        for i, (_h, _f, choices) in enumerate(REGISTRY_FIELDS)
        if choices is not None
    }
    paths = [path for _header, path, _choices in REGISTRY_FIELDS]
    for values in cooperatives.values_list(*paths).iterator(chunk_size=2000):
        row = list(values)
        for i, mapping in labels.items():
            row[i] = mapping.get(row[i], row[i])
        yield row


# The aktif cooperatives that have not reported their RAT, with who to call
# (rows from reports.selectors.rat_missing, officers prefetched). A call list,
# never imported again: its headings are in the reader's language.
MISSING_RAT_COLUMNS: list[Column] = [
    ("NIK", lambda c: c.nik or ""),
    (_("Nama Koperasi"), lambda c: c.name),
    (_("Jenis"), lambda c: c.jenis_label),
    (_("Kecamatan"), lambda c: c.kelurahan.kecamatan.name),
    (_("Kelurahan"), lambda c: c.kelurahan.name),
    (_("Alamat"), lambda c: c.address),
    (_("Telepon"), lambda c: c.phone),
    (_("Email"), lambda c: c.email),
    (
        _("Pengurus"),
        lambda c: "; ".join(
            f"{o.name} ({o.get_position_display()}) {o.phone} {o.email}".strip()
            for o in c.officers.all()
        ),
    ),
    (_("Tanggal RAT Terakhir"), lambda c: c.last_rat_date_shown),
]


def registry_rows(
    cooperatives: Any, columns: list[Column] = REGISTRY_COLUMNS
) -> Iterator[list[Any]]:
    """One list per cooperative; streams the queryset in chunks of 2,000."""
    for cooperative in cooperatives.iterator(chunk_size=2000):
        yield [getter(cooperative) for _, getter in columns]
