"""The columns of the registry export. Headers follow the ODS export's names, so
that an exported file can be corrected and imported again."""

from collections.abc import Callable, Iterator
from typing import Any

from cooperatives.models import Cooperative

Column = tuple[str, Callable[[Cooperative], Any]]

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


# The aktif cooperatives that have not reported their RAT, with who to call
# (rows from reports.selectors.rat_missing, officers prefetched).
MISSING_RAT_COLUMNS: list[Column] = [
    ("NIK", lambda c: c.nik or ""),
    ("Nama Koperasi", lambda c: c.name),
    ("Jenis", lambda c: c.jenis_label),
    ("Kecamatan", lambda c: c.kelurahan.kecamatan.name),
    ("Kelurahan", lambda c: c.kelurahan.name),
    ("Alamat", lambda c: c.address),
    ("Telepon", lambda c: c.phone),
    ("Email", lambda c: c.email),
    (
        "Pengurus",
        lambda c: "; ".join(
            f"{o.name} ({o.get_position_display()}) {o.phone} {o.email}".strip()
            for o in c.officers.all()
        ),
    ),
    ("Tanggal RAT Terakhir", lambda c: c.last_rat_date),
]


def registry_rows(
    cooperatives: Any, columns: list[Column] = REGISTRY_COLUMNS
) -> Iterator[list[Any]]:
    """One list per cooperative; streams the queryset in chunks of 2,000."""
    for cooperative in cooperatives.iterator(chunk_size=2000):
        yield [getter(cooperative) for _, getter in columns]
