"""One spreadsheet row -> one clean record, or the row's errors. Pure: the regions
and kelompok it matches against come in as a ``Reference`` built from the database
by the caller.

A blank cell means "the export says nothing": for a cooperative already in the
registry that field is left as it is; a new cooperative gets the field's default.
"""

# Annotations stay unevaluated: those of the helpers inside RowCleaner would otherwise
# be built again for every row.
from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

from lib.numbers import format_count
from lib.text import shows_something

from ..models import (
    ADDRESS_MAX,
    FIGURE_FIELDS,
    NON_NEGATIVE_FIGURES,
    region_key,
)
from . import values as v
from .columns import BY_CODE
from .kinds import (
    match_kelompok,
    parse_bentuk,
    parse_jenis,
    parse_pola,
    parse_status,
)
from .regions import kelurahan_named, suggestion

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
# What ODS exports write for "nothing here": read as a blank cell. Kelompok "-" was
# a new kelompok label, a NIK or a date "-" refused the whole row.
# With the spaces, case and look-alikes a sheet writes them with (" - ", "- -",
# "#n/a ", a full-width "－"): these had been stored as an address, a phone number
# and a ketua named "?". Spelt out in advance, so that a row is tested with one
# set operation in C (150,000 rows times 30 cells tested one by one in Python
# would cost seconds of the import).
_PLACEHOLDER_WORDS = (
    "-", "--", "---", "- -", "\u2013", "\u2014", "\uff0d", "?", "??", "???",
    "\uff1f", "#N/A", "N/A",
)  # fmt: skip
_PADDING = ("", " ", "  ", "\u00a0", "\u200b", "\ufeff", "\t")


def _placeholders() -> frozenset[str]:
    words: set[str] = set()
    for word in _PLACEHOLDER_WORDS:
        cased = {word, word.lower(), word.title(), word.capitalize()}
        if "/" in word:
            head, tail = word.split("/")
            cased |= {
                f"{a}/{b}" for a in (head, head.lower()) for b in (tail, tail.lower())
            }
        words |= cased
    return frozenset(
        f"{before}{word}{after}"
        for word in words
        for before in _PADDING
        for after in _PADDING
    )


_PLACEHOLDERS = _placeholders()


def is_placeholder(raw: Any) -> bool:
    """Only what an export writes for nothing ("-", "?", "#N/A")."""
    return raw.__class__ is str and raw in _PLACEHOLDERS


def is_blank_cell(raw: Any) -> bool:
    """Nothing in it, or only what an export writes for nothing: a row of such
    cells is a blank row, not a cooperative without a name."""
    return v.is_blank(raw) or is_placeholder(raw)


COUNT_FIGURES = ("members_male", "members_female", "managers", "employees")
# Losses make these negative; every other figure must not be.
SIGNED_MONEY = set(FIGURE_FIELDS) - NON_NEGATIVE_FIGURES

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
_KABKOTA_PREFIX = re.compile(r"^(kabupaten|kab|kota|pemerintahkota|pemkot)")


@dataclass
class Reference:
    """The regions and kelompok rows an import matches names against."""

    # kecamatan key -> (kecamatan name, {kelurahan key: kelurahan id})
    kecamatan: dict[str, tuple[str, dict[str, int]]]
    # kelurahan key -> names of the kecamatan that have a kelurahan of that name
    kelurahan_homes: dict[str, list[str]]
    # kelompok key (code, name or alias) -> (kelompok id, default jenis or "",
    # default pola or "")
    kelompok: dict[str, tuple[int, str, str]]
    kabkota_keys: set[str]
    # region key (a kecamatan's or a kelurahan's) -> its name, for suggestions
    names: dict[str, str] = field(default_factory=dict)
    # Parsed values of columns whose few distinct values repeat on every row (jenis,
    # status, ...), filled while cleaning: most rows then cost a dict lookup.
    memo: dict[str, dict[Any, tuple[Any, str | None]]] = field(default_factory=dict)
    # (kelompok, jenis, pola, bentuk, status) as written -> what RowCleaner._kind
    # makes of them: a file has few such combinations.
    kinds: dict[tuple[Any, ...], Any] = field(default_factory=dict)
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
    # The NIK came from a number cell and may have lost its last digit
    # (``values.nik_may_be_rounded``); checked when it matches a cooperative.
    nik_may_be_rounded: bool = False


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


# The cells a row is read from, in the order RowCleaner unpacks them: the record's
# fields with the kelurahan's kabupaten/kota and kecamatan before it, then the rest.
_PICKED = (
    "nik",
    *RECORD_FIELDS[:5],
    "kabkota",
    "kecamatan",
    *RECORD_FIELDS[5:],
    "tahun_buku",
    "ketua",
    *FIGURE_FIELDS,
)
_REGION_CELLS = slice(_PICKED.index("kabkota"), _PICKED.index("kelurahan") + 1)
_KIND_CELLS = slice(_PICKED.index("kelompok"), _PICKED.index("status") + 1)
_FIGURE_CELLS = slice(_PICKED.index(FIGURE_FIELDS[0]), None)
# A parse result: (value, None), or (None, message for the user).
_Parsed = tuple[Any, str | None]
# A kind result: kelompok id, jenis, pola, bentuk, status, and the problems as
# (column, value, message).
_Kind = tuple[Any, Any, Any, Any, Any, tuple[tuple[str, str, str], ...]]


def _too_long(limit: int = 150) -> str:
    return _("Terlalu panjang (maksimal %(n)s huruf).") % {"n": format_count(limit)}


class RowCleaner:
    """Parses the rows of one file. ``tahun_buku`` (chosen on the command line or
    the upload form) wins over a Tahun Buku column, which wins over
    ``default_year``. A row gives a record only when it has no problem at all.

    What does not depend on the row is settled once, here: where each cell is, its
    parser, the memo of a column whose few values repeat. A row's cells are picked
    in one call, and its kelompok, jenis, pola, bentuk and status, whose few
    combinations repeat, are read together with one lookup.
    """

    def __init__(
        self,
        *,
        columns: dict[str, int],
        reference: Reference,
        today: datetime.date,
        tahun_buku: int | None,
        default_year: int,
    ) -> None:
        self.reference = reference
        self.tahun_buku = tahun_buku
        self.default_year = default_year
        self.headers = {code: column.header for code, column in BY_CODE.items()}
        # Every row gets blank cells after its own, so that a short row reads as
        # blank where it ends and a column the file lacks (index -1) reads blank.
        self.blank = [None] * (max(columns.values(), default=0) + 1)
        self.pick = operator.itemgetter(*(columns.get(code, -1) for code in _PICKED))

        def date(raw: Any) -> Any:
            return v.parse_date(raw, today=today)

        def year(raw: Any) -> Any:
            return v.parse_year(raw, today=today)

        def rat_year(raw: Any) -> Any:
            return v.parse_rat_year(raw, today=today)

        def kelompok(raw: Any) -> Any:
            return match_kelompok(raw, reference.kelompok)

        # The parsers _parse calls; NIK, phone and email are parsed in __call__.
        self.parsers: dict[str, Callable[[Any], Any]] = {
            "tanggal_badan_hukum": date,
            "kelompok": kelompok,
            "jenis": parse_jenis,
            "pola": parse_pola,
            "bentuk": parse_bentuk,
            "status": parse_status,
            "last_rat_year": rat_year,
            "tahun_buku": year,
            **_FIGURE_PARSERS,
        }
        memo = reference.memo
        self.memos = {code: memo.setdefault(code, {}) for code in _REPEATING}
        self.kinds: dict[tuple[Any, ...], _Kind] = reference.kinds
        # (figure, its header, its parser, whether its few values repeat)
        self.figure_steps = tuple(
            (code, self.headers[code], self.parsers[code], code in _REPEATING)
            for code in FIGURE_FIELDS
        )

    def _parse(self, code: str, raw: Any) -> _Parsed:
        """(value, None) or (None, message); remembered for a repeating column."""
        # Not for booleans: True == 1 would give a TRUE cell the number 1's result.
        memo = self.memos.get(code) if type(raw) is not bool else None
        if memo is not None:
            found = memo.get(raw)
            if found is not None:
                return found
        try:
            found = (self.parsers[code](raw), None)
        except v.CellError as error:
            found = (None, str(error))
        if memo is not None:
            memo[raw] = found
        return found

    def __call__(self, row_number: int, cells: Sequence[Any]) -> RowResult:
        picked = self.pick([*cells, *self.blank])
        if not _PLACEHOLDERS.isdisjoint(picked):
            picked = tuple(None if is_placeholder(c) else c for c in picked)
        (
            nik_raw,
            name_raw,
            badan_hukum_raw,
            date_raw,
            address_raw,
            sektor_raw,
            _kabkota,
            _kecamatan,
            _kelurahan,
            _kelompok,
            _jenis,
            _pola,
            _bentuk,
            _status,
            rat_raw,
            phone_raw,
            email_raw,
            year_raw,
            ketua_raw,
            *_figures,
        ) = picked
        problems: list[CellProblem] = []
        headers = self.headers
        parse = self._parse
        text = v.text

        def problem(code: str, value: str, message: str) -> None:
            problems.append(CellProblem(row_number, headers[code], value, message))

        try:
            nik = v.parse_nik(nik_raw)
        except v.CellError as error:
            nik = None
            problem("nik", text(nik_raw), str(error))
        name = text(name_raw)
        if not name or (not name.isascii() and not shows_something(name)):
            problem("name", "", _("Nama koperasi kosong."))
        elif len(name) > 255:
            problem(
                "name",
                name[:50] + "…",
                _("Nama koperasi terlalu panjang (maksimal 255 huruf)."),
            )
        badan_hukum = text(badan_hukum_raw)
        if len(badan_hukum) > 100:
            problem(
                "nomor_badan_hukum",
                badan_hukum[:50],
                _("Nomor badan hukum terlalu panjang."),
            )
        # Longer than the registry keeps: refused, not cut without a word.
        sektor, ketua = text(sektor_raw), text(ketua_raw)
        address = text(address_raw)
        if len(address) > ADDRESS_MAX:
            # A spreadsheet cell holds 32,767: the registry's own export cut it.
            problem("address", address[:50] + "…", _too_long(ADDRESS_MAX))
        if len(sektor) > 150:
            problem("sektor_usaha", sektor[:50] + "…", _too_long())
        if len(ketua) > 150:
            problem("ketua", ketua[:50] + "…", _too_long())
        tanggal, message = parse("tanggal_badan_hukum", date_raw)
        if message is not None:
            problem("tanggal_badan_hukum", text(date_raw), message)
        kelurahan = self._kelurahan(row_number, picked[_REGION_CELLS], problems)
        kind_cells = picked[_KIND_CELLS]
        kind = self.kinds.get(kind_cells)
        if kind is None or bool in map(type, kind_cells):
            kind = self._kind(kind_cells)
        kelompok_id, jenis, pola, bentuk, status, kind_problems = kind
        if kind_problems:
            problems.extend(CellProblem(row_number, *p) for p in kind_problems)
        last_rat_year, message = parse("last_rat_year", rat_raw)
        if message is not None:
            problem("last_rat_year", text(rat_raw), message)
        try:
            phone = v.parse_phone(phone_raw)
        except v.CellError as error:
            phone = ""
            problem("phone", text(phone_raw), str(error))
        try:
            email = v.parse_email(email_raw)
        except v.CellError as error:
            email = ""
            problem("email", text(email_raw), str(error))
        year = self.tahun_buku
        if not year:
            year, message = parse("tahun_buku", year_raw)
            if message is not None:
                problem("tahun_buku", text(year_raw), message)
        figures: dict[str, Any] = {}
        for (code, header, parser, repeats), raw in zip(
            self.figure_steps, picked[_FIGURE_CELLS], strict=True
        ):
            if repeats:
                value, message = parse(code, raw)
            else:
                try:
                    figures[code] = parser(raw)
                    continue
                except v.CellError as error:
                    value, message = None, str(error)
            figures[code] = value
            if message is not None:
                problems.append(CellProblem(row_number, header, text(raw), message))
        if problems:
            return RowResult(None, problems)
        return RowResult(
            Record(
                row_number=row_number,
                nik=nik,  # type: ignore[arg-type]
                nik_may_be_rounded=v.nik_may_be_rounded(nik_raw, nik),  # type: ignore[arg-type]
                name=name,
                fields={
                    "name": name,
                    "nomor_badan_hukum": badan_hukum,
                    "tanggal_badan_hukum": tanggal,
                    "address": address,
                    "sektor_usaha": sektor,
                    "kelurahan": kelurahan,
                    "kelompok": kelompok_id,
                    "jenis": jenis,
                    "pola": pola,
                    "bentuk": bentuk,
                    "status": status,
                    "last_rat_year": last_rat_year,
                    "phone": phone or "",
                    "email": email or "",
                },
                figures=figures,
                tahun_buku=year or self.default_year,
                ketua=ketua,
            )
        )

    def _kind(self, cells: tuple[Any, ...]) -> _Kind:
        """Kelompok, jenis (given, or the kelompok's), pola (given, or implied by
        the jenis word), bentuk and status, with their problems."""
        problems: list[CellProblem] = []

        def read(code: str, raw: Any) -> Any:
            value, message = self._parse(code, raw)
            if message is not None:
                problems.append(
                    CellProblem(0, self.headers[code], v.text(raw), message)
                )
            return value

        kelompok_raw, jenis_raw, pola_raw, bentuk_raw, status_raw = cells
        # (id, jenis, pola) of a known kelompok; (label as written, "", "") of a
        # label that no kelompok row knows yet.
        kelompok = read("kelompok", kelompok_raw)
        jenis, pola_hint = read("jenis", jenis_raw) or (None, None)
        if jenis is None and kelompok and kelompok[1]:
            jenis = kelompok[1]
        # Still none: a cooperative of the registry keeps its own (a blank cell
        # leaves the registry's value alone); a new one is refused by the plan
        # (``ods.planning``), unless its kelompok is a new label that staff may
        # map to a jenis before applying.
        kind = (
            kelompok[0] if kelompok else None,
            jenis,
            read("pola", pola_raw)
            or pola_hint
            or (kelompok[2] if kelompok else None)
            or None,
            read("bentuk", bentuk_raw),
            read("status", status_raw),
            tuple((p.column, p.value, p.message) for p in problems),
        )
        if bool not in map(type, cells):
            self.kinds[cells] = kind
        return kind

    def _kelurahan(
        self, row_number: int, written: tuple[Any, ...], problems: list[CellProblem]
    ) -> int | None:
        regions = self.reference.regions
        region = regions.get(written)
        if region is None:
            found: list[CellProblem] = []
            cells = dict(
                zip(("kabkota", "kecamatan", "kelurahan"), written, strict=True)
            )
            kelurahan_id = _region(row_number, cells.get, self.reference, found)
            region = regions[written] = (
                kelurahan_id,
                [(p.column, p.value, p.message) for p in found],
            )
        if region[1]:
            problems.extend(CellProblem(row_number, *problem) for problem in region[1])
        return region[0]


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
            + (
                kelurahan_named(kecamatan_text, reference.kelurahan_homes)
                or suggestion(kecamatan_text, reference.kecamatan, reference.names)
            )
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
        } + suggestion(kelurahan_text, kelurahan_ids, reference.names)
    problems.append(
        CellProblem(row_number, BY_CODE["kelurahan"].header, kelurahan_text, message)
    )
    return None


_FIGURE_PARSERS: dict[str, Callable[[Any], Any]] = {
    code: v.parse_count
    if code in COUNT_FIGURES
    else partial(v.parse_money, allow_negative=code in SIGNED_MONEY)
    for code in FIGURE_FIELDS
}


def year_from_title(title: str) -> int | None:
    """ "Data Keragaan Koperasi Tahun Buku 2024" -> 2024. The year of a law or
    regulation the title cites ("sesuai UU No. 25 Tahun 1992", "PP 7 Tahun
    2021") is no tahun buku: it had been taken as one without a word."""
    for match in _TITLE_YEAR.finditer(title):
        if not _CITATION.search(title[: match.start()]):
            return int(match.group(1))
    return None


_TITLE_YEAR = re.compile(r"(?i)tahun(?:\s+buku)?\s*:?\s*(\d{4})")
# What stands just before a cited law's "Tahun": its number ("No. 25", "Nomor
# 9/Per/M.KUKM/IX", "PP 7").
_CITATION = re.compile(r"(?i)(?:\bno\.?|\bnomor)\s*[\w./-]*\s*$|\d+\s*$")
