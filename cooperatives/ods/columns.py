"""The columns of the ODS export, their synonyms, and finding the header row.

Header cells are compared by a key: lower case, letters and digits only, a trailing
"(Rp)" ignored. ``"No. Badan Hukum"``, ``"NOMOR BADAN HUKUM"`` and ``"no_bh"`` all
find the same column.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lib.numbers import format_count

# Unrecognised header cells listed by name; the rest are counted.
UNKNOWN_LISTED = 50


@dataclass(frozen=True)
class Column:
    code: str
    header: str  # the canonical header of the ODS export
    synonyms: tuple[str, ...] = ()
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "nik", "NIK", ("nomorindukkoperasi", "noindukkoperasi", "nikkoperasi"), True
    ),
    Column("name", "Nama Koperasi", ("nama", "namakop", "koperasi"), True),
    Column(
        "nomor_badan_hukum",
        "No Badan Hukum",
        (
            "nomorbadanhukum",
            "nobh",
            "nomorbh",
            "badanhukum",
            "nobadanhukumpendirian",
            "nomorbadanhukumpendirian",
            "nosk",
            "noskbadanhukum",
        ),
    ),
    Column(
        "tanggal_badan_hukum",
        "Tanggal Badan Hukum",
        (
            "tglbadanhukum",
            "tglbh",
            "tanggalbh",
            "tanggalbadanhukumpendirian",
            "tglbadanhukumpendirian",
        ),
    ),
    Column("address", "Alamat", ("alamatkoperasi", "alamatlengkap", "alamatkantor")),
    Column(
        "kelurahan",
        "Kelurahan",
        ("kelurahandesa", "desakelurahan", "desa", "kel"),
        True,
    ),
    Column("kecamatan", "Kecamatan", ("kec",), True),
    Column(
        "kabkota", "Kabupaten/Kota", ("kabkota", "kabupaten", "kota", "kabupatenkota")
    ),
    Column("provinsi", "Provinsi", ("prov", "propinsi")),
    Column("jenis", "Jenis Koperasi", ("jenis", "jeniskop")),
    Column("pola", "Pola", ("polapengelolaan", "polausaha", "polakoperasi")),
    Column(
        "kelompok",
        "Kelompok Koperasi",
        ("kelompok", "klasifikasi", "klasifikasikoperasi", "kelompokkop"),
    ),
    Column("bentuk", "Bentuk Koperasi", ("bentuk",)),
    Column("sektor_usaha", "Sektor Usaha", ("sektor", "bidangusaha")),
    Column("status", "Status", ("statuskoperasi", "statusaktif", "keaktifan")),
    Column(
        "last_rat_year",
        "Tahun RAT Terakhir",
        ("ratterakhir", "tahunrat", "tanggalratterakhir", "tglratterakhir"),
    ),
    Column("tahun_buku", "Tahun Buku", ("tahun", "tahundata", "periode")),
    Column(
        "members_male",
        "Jumlah Anggota Pria",
        (
            "anggotapria",
            "anggotalakilaki",
            "jumlahanggotalakilaki",
            "anggotal",
            "jmlanggotapria",
            "jumlahanggotal",
        ),
    ),
    Column(
        "members_female",
        "Jumlah Anggota Wanita",
        (
            "anggotawanita",
            "anggotaperempuan",
            "jumlahanggotaperempuan",
            "anggotap",
            "jmlanggotawanita",
            "jumlahanggotap",
        ),
    ),
    Column(
        "managers",
        "Jumlah Manajer",
        ("manajer", "jumlahmanager", "manager", "jmlmanajer"),
    ),
    Column(
        "employees", "Jumlah Karyawan", ("karyawan", "jmlkaryawan", "jumlahpegawai")
    ),
    Column("modal_sendiri", "Modal Sendiri", ("modalsendirirp",)),
    Column("modal_luar", "Modal Luar", ("modalluarrp",)),
    Column("volume_usaha", "Volume Usaha", ("volume", "omzet", "omset")),
    Column("aset", "Aset", ("asset", "jumlahaset", "totalaset", "asset")),
    Column("shu", "SHU", ("sisahasilusaha", "shutahunberjalan")),
    Column("ketua", "Nama Ketua", ("ketua", "namaketuapengurus", "ketuapengurus")),
    Column(
        "phone",
        "No HP",
        (
            "nomorhp",
            "hp",
            "telepon",
            "notelp",
            "notelepon",
            "nomortelepon",
            "telp",
            "nohandphone",
            "kontak",
        ),
    ),
    Column("email", "Email", ("alamatemail", "surel", "email")),
)
BY_CODE = {column.code: column for column in COLUMNS}
# Columns at least one of which must be present to know the jenis.
JENIS_SOURCES = ("jenis", "kelompok")


def header_key(cell: Any) -> str:
    value = re.sub(r"[^0-9a-z]", "", str(cell or "").lower())
    value = re.sub(r"rp$", "", value) if len(value) > 3 else value
    return value


_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, _column.code, *_column.synonyms):
        _LOOKUP.setdefault(header_key(_name), _column.code)


@dataclass
class HeaderMatch:
    """Where the header is and what each column means."""

    row_index: int  # 0-based within the rows given
    columns: dict[str, int]  # column code -> 0-based cell index
    # header cells not recognised: the first UNKNOWN_LISTED, and how many in all
    unknown: list[str] = field(default_factory=list)
    unknown_count: int = 0
    # header cells naming a column an earlier cell already named (not read)
    repeated: list[str] = field(default_factory=list)
    # A header on two rows (``two_row_labels``): each column's label, the group
    # above joined to its part; None for a header on one row.
    labels: list[Any] | None = None

    def unknown_summary(self) -> list[str]:
        """The ignored columns to show: at most UNKNOWN_LISTED, then "dan N lainnya"."""
        rest = self.unknown_count - len(self.unknown)
        if rest <= 0:
            return list(self.unknown)
        return [*self.unknown, _("dan %(n)s lainnya") % {"n": format_count(rest)}]

    @property
    def missing(self) -> list[str]:
        missing = [
            c.header for c in COLUMNS if c.required and c.code not in self.columns
        ]
        if not any(code in self.columns for code in JENIS_SOURCES):
            missing.append(f"{BY_CODE['jenis'].header} / {BY_CODE['kelompok'].header}")
        return missing

    @property
    def score(self) -> int:
        return len(self.columns)


def match_header(
    cells: Sequence[Any], parts: Sequence[Any] | None = None
) -> HeaderMatch:
    """Map one candidate header row; the first cell for a column wins. With
    ``parts`` (the lower row of a two-row header), a label not known as a whole
    is tried as its part alone."""
    columns: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    unknown_count = 0
    for index, cell in enumerate(cells):
        if cell is None or cell == "":
            continue
        key = header_key(cell)
        if not key:
            continue
        code = _LOOKUP.get(key)
        if code is None and parts is not None and index < len(parts):
            code = _LOOKUP.get(header_key(parts[index]))
        if code in columns:
            if len(repeated) < UNKNOWN_LISTED:
                repeated.append(str(cell).strip()[:100])
            continue
        if code is None:
            unknown_count += 1
            if unknown_count <= UNKNOWN_LISTED:
                unknown.append(str(cell).strip()[:100])
            continue
        columns[code] = index
    return HeaderMatch(
        row_index=-1,
        columns=columns,
        unknown=unknown,
        unknown_count=unknown_count,
        repeated=repeated,
    )


def two_row_labels(above: Sequence[Any], cells: Sequence[Any]) -> list[Any]:
    """The column labels of a header written on two rows: a group merged over its
    parts ("Jumlah Anggota" over "Pria" and "Wanita", "Modal" over "Sendiri" and
    "Luar") reads "Jumlah Anggota Pria"; a label merged down over both rows
    ("NIK") reads as it is. A merged cell's value sits in its first cell only."""
    labels: list[Any] = []
    group = ""
    for index in range(max(len(above), len(cells))):
        upper = _text(above[index]) if index < len(above) else ""
        lower = _text(cells[index]) if index < len(cells) else ""
        if upper and lower:
            group = upper
        elif upper or not lower:
            group = ""
        if lower:
            labels.append(f"{group} {lower}" if group else lower)
        else:
            labels.append(upper or None)
    return labels


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def find_header(rows: Sequence[Sequence[Any]]) -> HeaderMatch | None:
    """The best header among the first rows (title rows may sit above it), on one
    row or on two (``two_row_labels``), whichever finds more columns."""
    best: HeaderMatch | None = None
    for index, cells in enumerate(rows):
        candidate = match_header(cells)
        if index > 0:
            labels = two_row_labels(rows[index - 1], cells)
            on_two = match_header(labels, parts=cells)
            if on_two.score > candidate.score:
                candidate, candidate.labels = on_two, labels
        candidate.row_index = index
        if candidate.score >= 2 and (best is None or candidate.score > best.score):
            best = candidate
    return best
