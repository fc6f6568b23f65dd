"""One spreadsheet row -> one clean record, or the row's errors. Pure: the regions
and kelompok it matches against come in as a ``Reference`` built from the database
by the caller.

A blank cell means "the export says nothing": for a cooperative already in the
registry that field is left as it is; a new cooperative gets the field's default.
"""

# Annotations stay unevaluated: those of the helpers inside clean_row would otherwise
# be built again for every row.
from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ..models import (
    FIGURE_FIELDS,
    NON_NEGATIVE_FIGURES,
    Bentuk,
    CooperativeStatus,
    Jenis,
    Pola,
    region_key,
)
from . import values as v
from .columns import BY_CODE

# The cooperative fields of a record, in a fixed order (the plan file relies on it).
RECORD_FIELDS = (
    "name",
    "nomor_badan_hukum",
    "tanggal_badan_hukum",
    "address",
    "sektor_usaha",
    "kelurahan",
    "kelompok",
    "jenis",
    "pola",
    "bentuk",
    "status",
    "last_rat_year",
    "phone",
    "email",
)
COUNT_FIGURES = ("members_male", "members_female", "managers", "employees")
# Losses make these negative; every other figure must not be.
SIGNED_MONEY = set(FIGURE_FIELDS) - NON_NEGATIVE_FIGURES

_JENIS_WORDS: dict[str, tuple[str, str | None]] = {
    "konsumen": (Jenis.KONSUMEN, None),
    "produsen": (Jenis.PRODUSEN, None),
    "pemasaran": (Jenis.PEMASARAN, None),
    "jasa": (Jenis.JASA, None),
    "simpanpinjam": (Jenis.SIMPAN_PINJAM, None),
    "ksp": (Jenis.SIMPAN_PINJAM, Pola.KONVENSIONAL),
    "usp": (Jenis.SIMPAN_PINJAM, None),
    "simpanpinjamkonvensional": (Jenis.SIMPAN_PINJAM, Pola.KONVENSIONAL),
    "simpanpinjamsyariah": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
    "simpanpinjamdanpembiayaansyariah": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
    "simpanpinjampembiayaansyariah": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
    "pembiayaansyariah": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
    "kspps": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
    "ksps": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
    "kjks": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
    "jasakeuangansyariah": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
}
_POLA_WORDS = {
    "konvensional": Pola.KONVENSIONAL,
    "umum": Pola.KONVENSIONAL,
    "syariah": Pola.SYARIAH,
    "syariat": Pola.SYARIAH,
}
_STATUS_WORDS = {
    "aktif": CooperativeStatus.AKTIF,
    "tidakaktif": CooperativeStatus.TIDAK_AKTIF,
    "nonaktif": CooperativeStatus.TIDAK_AKTIF,
    "pasif": CooperativeStatus.TIDAK_AKTIF,
    "dalamprosespembubaran": CooperativeStatus.DALAM_PEMBUBARAN,
    "prosespembubaran": CooperativeStatus.DALAM_PEMBUBARAN,
    "dalampembubaran": CooperativeStatus.DALAM_PEMBUBARAN,
    "dibubarkan": CooperativeStatus.DIBUBARKAN,
    "bubar": CooperativeStatus.DIBUBARKAN,
    "sudahdibubarkan": CooperativeStatus.DIBUBARKAN,
}
# Columns with few distinct values; their parse results are memoised per file.
_REPEATING = {
    "jenis",
    "pola",
    "kelompok",
    "bentuk",
    "status",
    "last_rat_year",
    "tahun_buku",
    "tanggal_badan_hukum",
    *COUNT_FIGURES,
}
_MISSING = object()
_KABKOTA_PREFIX = re.compile(r"^(kabupaten|kab|kota|pemerintahkota|pemkot)")


@dataclass
class Reference:
    """The regions and kelompok rows an import matches names against."""

    # kecamatan key -> (kecamatan name, {kelurahan key: kelurahan id})
    kecamatan: dict[str, tuple[str, dict[str, int]]]
    # kelurahan key -> names of the kecamatan that have a kelurahan of that name
    kelurahan_homes: dict[str, list[str]]
    # kelompok key (code or name) -> (kelompok id, default jenis or "")
    kelompok: dict[str, tuple[int, str]]
    kabkota_keys: set[str]
    # Parsed values of columns whose few distinct values repeat on every row (jenis,
    # status, ...), filled while cleaning: most rows then cost a dict lookup.
    memo: dict[str, dict[Any, tuple[Any, str | None]]] = field(default_factory=dict)
    # (kabupaten/kota, kecamatan, kelurahan) as written -> (kelurahan id, problems
    # as (column, value, message)): a city has a few dozen of them.
    regions: dict[
        tuple[Any, Any, Any], tuple[int | None, list[tuple[str, str, str]]]
    ] = field(default_factory=dict)


@dataclass(slots=True)
class Record:
    """A clean row. ``None`` (or "" for text) means the export left it blank."""

    row_number: int
    nik: str
    name: str
    fields: dict[str, Any]  # cooperative fields that the row gives
    figures: dict[str, Any]  # figure fields that the row gives
    tahun_buku: int
    ketua: str


@dataclass(slots=True)
class CellProblem:
    row_number: int
    column: str
    value: str
    message: str


@dataclass
class RowResult:
    record: Record | None
    problems: list[CellProblem] = field(default_factory=list)


def kabkota_key(name: str) -> str:
    return _KABKOTA_PREFIX.sub("", v.word_key(name))


def _jenis_key(raw: Any) -> str:
    key = v.word_key(raw)
    for prefix in ("koperasi", "kop"):
        if key.startswith(prefix) and key[len(prefix) :] in _JENIS_WORDS:
            return key[len(prefix) :]
    return key


def clean_row(
    row_number: int,
    cells: Sequence[Any],
    *,
    columns: dict[str, int],
    reference: Reference,
    today: datetime.date,
    tahun_buku: int | None,
    default_year: int,
) -> RowResult:
    """Parse one row. ``tahun_buku`` (chosen on the command line or the upload form)
    wins over a Tahun Buku column, which wins over ``default_year``. Returns a record
    only when the row has no problem at all."""
    problems: list[CellProblem] = []
    width = len(cells)
    index_of = columns.get
    memos = reference.memo

    def cell(code: str) -> Any:
        index = index_of(code)
        return cells[index] if index is not None and index < width else None

    def read(code: str, parser: Callable[[Any], Any]) -> Any:
        index = index_of(code)
        raw = cells[index] if index is not None and index < width else None
        # Not for booleans: True == 1 would read a TRUE cell as the number 1.
        if code in _REPEATING and type(raw) is not bool:
            memo = memos.get(code)
            if memo is None:
                memo = memos[code] = {}
            found: Any = memo.get(raw, _MISSING)
            if found is _MISSING:
                try:
                    found = (parser(raw), None)
                except v.CellError as error:
                    found = (None, str(error))
                memo[raw] = found
            value: Any = found[0]
            message: str | None = found[1]
            if message is None:
                return value
        else:
            try:
                return parser(raw)
            except v.CellError as error:
                message = str(error)
        problems.append(
            CellProblem(row_number, BY_CODE[code].header, v.text(raw), message)
        )
        return None

    nik = read("nik", v.parse_nik)
    name = v.text(cell("name"))
    if not name:
        problems.append(
            CellProblem(
                row_number, BY_CODE["name"].header, "", _("Nama koperasi kosong.")
            )
        )
    elif len(name) > 255:
        problems.append(
            CellProblem(
                row_number,
                BY_CODE["name"].header,
                name[:50] + "…",
                _("Nama koperasi terlalu panjang (maksimal 255 huruf)."),
            )
        )
    fields: dict[str, Any] = {"name": name}
    badan_hukum = v.text(cell("nomor_badan_hukum"))
    if len(badan_hukum) > 100:
        problems.append(
            CellProblem(
                row_number,
                BY_CODE["nomor_badan_hukum"].header,
                badan_hukum[:50],
                _("Nomor badan hukum terlalu panjang."),
            )
        )
    fields["nomor_badan_hukum"] = badan_hukum
    fields["tanggal_badan_hukum"] = read(
        "tanggal_badan_hukum", lambda raw: v.parse_date(raw, today=today)
    )
    fields["address"] = v.text(cell("address"))
    fields["sektor_usaha"] = v.text(cell("sektor_usaha"))[:150]
    written = (cell("kabkota"), cell("kecamatan"), cell("kelurahan"))
    region = reference.regions.get(written)
    if region is None:
        found: list[CellProblem] = []
        kelurahan_id = _region(row_number, cell, reference, found)
        region = reference.regions[written] = (
            kelurahan_id,
            [(p.column, p.value, p.message) for p in found],
        )
    fields["kelurahan"] = region[0]
    if region[1]:
        problems.extend(CellProblem(row_number, *problem) for problem in region[1])
    kelompok = read("kelompok", lambda raw: _kelompok(raw, reference))
    fields["kelompok"] = kelompok[0] if kelompok else None
    jenis, pola_hint = read("jenis", _jenis) or (None, None)
    if jenis is None and not problems_in(problems, "jenis"):
        if kelompok and kelompok[1]:
            jenis = kelompok[1]
        else:
            problems.append(
                CellProblem(
                    row_number,
                    BY_CODE["jenis"].header,
                    v.text(cell("jenis")),
                    _(
                        "Jenis koperasi kosong dan tidak dapat diturunkan dari "
                        "kelompoknya."
                    ),
                )
            )
    fields["jenis"] = jenis
    fields["pola"] = read("pola", _pola) or pola_hint
    fields["bentuk"] = read("bentuk", _bentuk)
    fields["status"] = read("status", _status)
    fields["last_rat_year"] = read(
        "last_rat_year", lambda raw: v.parse_year(raw, today=today)
    )
    fields["phone"] = read("phone", v.parse_phone) or ""
    fields["email"] = read("email", v.parse_email) or ""
    year = tahun_buku or read("tahun_buku", lambda raw: v.parse_year(raw, today=today))
    figures = {code: read(code, parser) for code, parser in _FIGURE_PARSERS}
    ketua = v.text(cell("ketua"))[:150]
    if problems:
        return RowResult(None, problems)
    return RowResult(
        Record(
            row_number=row_number,
            nik=nik,
            name=name,
            fields=fields,
            figures=figures,
            tahun_buku=year or default_year,
            ketua=ketua,
        )
    )


def problems_in(problems: list[CellProblem], code: str) -> bool:
    header = BY_CODE[code].header
    return any(problem.column == header for problem in problems)


def _region(
    row_number: int,
    cell: Callable[[str], Any],
    reference: Reference,
    problems: list[CellProblem],
) -> int | None:
    kabkota = v.text(cell("kabkota"))
    if kabkota and kabkota_key(kabkota) not in reference.kabkota_keys:
        problems.append(
            CellProblem(
                row_number,
                BY_CODE["kabkota"].header,
                kabkota,
                _("Kabupaten/kota ini bukan wilayah yang dimuat di aplikasi."),
            )
        )
        return None
    kecamatan_text = v.text(cell("kecamatan"))
    kelurahan_text = v.text(cell("kelurahan"))
    kecamatan = reference.kecamatan.get(region_key(kecamatan_text))
    if kecamatan is None:
        message = (
            _("Kecamatan kosong.")
            if not kecamatan_text
            else _("Kecamatan tidak dikenal.")
        )
        problems.append(
            CellProblem(
                row_number, BY_CODE["kecamatan"].header, kecamatan_text, message
            )
        )
        return None
    kecamatan_name, kelurahan_ids = kecamatan
    key = region_key(kelurahan_text)
    kelurahan_id = kelurahan_ids.get(key)
    if kelurahan_id is not None:
        return kelurahan_id
    if not kelurahan_text:
        message = _("Kelurahan kosong.")
    elif key in reference.kelurahan_homes:
        message = _(
            "Kelurahan ini tidak berada di Kecamatan %(kecamatan)s (tercatat di "
            "Kecamatan %(home)s)."
        ) % {
            "kecamatan": kecamatan_name,
            "home": ", ".join(reference.kelurahan_homes[key]),
        }
    else:
        message = _("Kelurahan tidak dikenal di Kecamatan %(kecamatan)s.") % {
            "kecamatan": kecamatan_name
        }
    problems.append(
        CellProblem(row_number, BY_CODE["kelurahan"].header, kelurahan_text, message)
    )
    return None


def _signed_money(raw: Any) -> Any:
    return v.parse_money(raw, allow_negative=True)


def _money(raw: Any) -> Any:
    return v.parse_money(raw, allow_negative=False)


_FIGURE_PARSERS: tuple[tuple[str, Callable[[Any], Any]], ...] = tuple(
    (
        code,
        v.parse_count
        if code in COUNT_FIGURES
        else _signed_money
        if code in SIGNED_MONEY
        else _money,
    )
    for code in FIGURE_FIELDS
)


def _jenis(raw: Any) -> tuple[str, str | None] | None:
    if v.is_blank(raw):
        return None
    found = _JENIS_WORDS.get(_jenis_key(raw))
    if found is None:
        raise v.CellError(
            _(
                "Jenis koperasi tidak dikenal. Pakai Konsumen, Produsen, Pemasaran, "
                "Jasa atau Simpan Pinjam."
            )
        )
    return found


def _kelompok(raw: Any, reference: Reference) -> tuple[int, str] | None:
    if v.is_blank(raw):
        return None
    key = v.word_key(raw)
    found = reference.kelompok.get(key)
    if found is None and key.startswith("koperasi"):
        found = reference.kelompok.get(key[len("koperasi") :])
    if found is None:
        raise v.CellError(
            _(
                "Kelompok koperasi tidak dikenal (daftar kelompok dapat ditambah "
                "di admin)."
            )
        )
    return found


def _pola(raw: Any) -> str | None:
    if v.is_blank(raw):
        return None
    key = v.word_key(raw)
    for word, pola in _POLA_WORDS.items():
        if word in key:
            return pola
    raise v.CellError(_("Pola tidak dikenal. Pakai Konvensional atau Syariah."))


def _bentuk(raw: Any) -> str | None:
    if v.is_blank(raw):
        return None
    key = v.word_key(raw)
    if key.startswith("primer"):
        return Bentuk.PRIMER
    if key.startswith(("sekunder", "pusat", "gabungan", "induk")):
        return Bentuk.SEKUNDER
    raise v.CellError(_("Bentuk koperasi tidak dikenal. Pakai Primer atau Sekunder."))


def _status(raw: Any) -> str | None:
    if v.is_blank(raw):
        return None
    status = _STATUS_WORDS.get(v.word_key(raw))
    if status is None:
        raise v.CellError(
            _(
                "Status tidak dikenal. Pakai Aktif, Tidak Aktif, Dalam Proses "
                "Pembubaran atau Dibubarkan."
            )
        )
    return status


def year_from_title(title: str) -> int | None:
    """ "Data Keragaan Koperasi Tahun Buku 2024" -> 2024."""
    match = re.search(r"(?i)tahun(?:\s+buku)?\s*:?\s*(\d{4})", title)
    return int(match.group(1)) if match else None
