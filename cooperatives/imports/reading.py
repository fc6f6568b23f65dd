"""Reading an uploaded file into clean records, in a child process.

The spreadsheet is parsed by native code (python-calamine). A file can make it ask
for more memory than the machine has, or crash it; in the worker's own process that
would kill the worker (and the redelivered task the next one). So the file is read
in a forked child (``lib.sandbox``) with a memory ceiling and a time limit: whatever
the file does, the worker lives on and the job ends with a message.

The child needs no database: the regions, kelompok and the registry it compares
with are loaded before the fork, and it inherits them. It does everything that
follows from the rows (``cooperatives.imports.preview``) and sends back only what
the preview stores; the rejected rows, cells and reasons, go to files as they are
met, one JSON line each, so that a file with many of them costs no more memory
than a clean one.
"""

import datetime
import heapq
import operator
import re
import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import orjson
from django.conf import settings
from django.utils.translation import gettext as _

from lib.numbers import format_count
from lib.sandbox import ChildFailed, run_in_child

from ..ods import values as v
from ..ods.cleaning import (
    Record,
    Reference,
    RowCleaner,
    is_blank_cell,
    kabkota_key,
    year_from_title,
)
from ..ods.columns import BY_CODE
from ..ods.files import FileRejected, Limits, Table, open_table
from ..ods.planning import repeated_rows

PROGRESS_STEP = 2_000
T = TypeVar("T")


def import_limits() -> Limits:
    return Limits(
        max_bytes=settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024,
        max_uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_MB * 1024 * 1024,
        max_rows=settings.IMPORT_MAX_ROWS,
    )


@dataclass
class ReadResult:
    """What reading a file found. The rejected rows are in the problems file."""

    kind: str
    sheet_name: str
    header_row: int
    header_cells: list[Any]
    columns: dict[str, int]
    unknown_columns: list[str]
    default_year: int
    row_count: int  # data rows of this install's region
    problem_count: int
    # rows of kabupaten/kota this install does not serve: (as written, rows)
    skipped: list[tuple[str, int]] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    # rows rejected for a NIK that other rows have too, by row number: the record
    # and the message (counted in problem_count; ``write_repeated`` writes them)
    repeated: dict[int, tuple[Record, str]] = field(default_factory=dict)
    # how the file was read, for the person: [code, params] (``notices``)
    notices: list[list[Any]] = field(default_factory=list)

    @property
    def skipped_count(self) -> int:
        return sum(rows for _name, rows in self.skipped)


def write_problem(
    out: IO[bytes],
    row_number: int,
    nik: str,
    name: str,
    problems: list[tuple[str, str, str]],
    cells: list[Any],
) -> None:
    """One rejected row as a line of the problems file: number, NIK, name, the
    problems as (column, value, message) and the row's cells as they were."""
    out.write(
        orjson.dumps(
            [row_number, nik[:64], name[:255], problems, cells],
            default=str,
            option=orjson.OPT_APPEND_NEWLINE,
        )
    )


def read_problems(paths: Iterable[Path]) -> Iterator[list[Any]]:
    """The rows of problems files (each in the order of the sheet), merged into the
    order of the sheet, one at a time."""
    yield from heapq.merge(
        *(_lines(path) for path in paths), key=operator.itemgetter(0)
    )


def _lines(path: Path) -> Iterator[list[Any]]:
    if not path.exists():
        return
    with open(path, "rb") as handle:
        for line in handle:
            yield orjson.loads(line)


def read_in_child(
    work: Callable[[Callable[[Any], None]], T], *, on_progress: Callable[[int], None]
) -> T:
    """``work(send)`` (reading a file, and what follows from it) in a child process
    with the import's memory ceiling and time limit (see the module docstring);
    ``send(percent)`` there calls ``on_progress(percent)`` here.

    Raises FileRejected with a message for the user when the file cannot be
    imported, the parser crashes or is killed, or it runs out of memory or time."""
    try:
        return run_in_child(
            work,
            memory_bytes=settings.IMPORT_READ_MEMORY_MB * 1024 * 1024,
            timeout=settings.IMPORT_READ_TIMEOUT_SECONDS,
            on_message=on_progress,
        )
    except MemoryError:
        raise FileRejected(_memory_message()) from None
    except ChildFailed as failed:
        if failed.signal_number == signal.SIGKILL:
            # Killed from outside (the OOM killer, kill -9): not the file's doing.
            # Left to the preview's "kesalahan sistem" (and the log).
            raise
        if failed.signal_number is None and "timed out" in failed.reason:
            raise FileRejected(
                _(
                    "Membaca berkas memakan waktu lebih dari %(n)s detik dan "
                    "dihentikan. Bagi berkas menjadi beberapa bagian lalu unggah "
                    "lagi."
                )
                % {"n": settings.IMPORT_READ_TIMEOUT_SECONDS}
            ) from None
        raise FileRejected(_memory_message()) from None


def _memory_message() -> str:
    return _(
        "Berkas tidak dapat dibaca: pembacanya berhenti karena berkas meminta memori "
        "jauh melebihi batas (biasanya sel terisi jauh di bawah atau di kanan data) "
        "atau karena berkas rusak. Buka di Excel, hapus baris dan kolom di luar data, "
        "simpan sebagai .xlsx, lalu unggah lagi."
    )


def read_rows(
    path: Path,
    *,
    reference: Reference,
    today: datetime.date,
    tahun_buku: int | None,
    problems: IO[bytes],
    on_progress: Callable[[int], None],
) -> tuple[ReadResult, Table]:
    """Read and clean ``path``: the clean records (and what the file is) and the
    table, for a second pass over its rows. The rejected rows go to ``problems`` as
    they are met (``write_problem``), in the order of the sheet, except those of a
    NIK repeated in the file, which ``write_repeated`` writes from the result's
    ``repeated``. Meant to run in the child (``read_in_child``): the parser is
    native code."""
    table = open_table(path, limits=import_limits())
    missing = table.header.missing
    if missing:
        raise FileRejected(
            _(
                "Kolom wajib tidak ditemukan: %(missing)s. Periksa baris judul kolom "
                "(baris %(row)s di lembar '%(sheet)s')."
            )
            % {
                "missing": ", ".join(missing),
                "row": table.header_row_number,
                "sheet": table.sheet_name or "CSV",
            }
        )
    title_year = None if tahun_buku else year_from_title(table.title_text)
    if title_year is not None and not 1900 <= title_year <= today.year:
        # Checked as a typed year or a Tahun Buku column is: 1850 failed every
        # apply on the database's rule ("coba lagi", again and again), and 2030
        # stored figures for a year to come.
        raise FileRejected(
            _(
                "Judul di atas tabel menyebut tahun buku %(year)s, yang tidak "
                "mungkin (sebelum 1900 atau di masa depan). Isi tahun buku yang "
                "benar pada formulir unggah, atau perbaiki judulnya, lalu unggah "
                "lagi."
            )
            % {"year": title_year}
        )
    default_year = tahun_buku or title_year or today.year - 1
    columns = table.header.columns
    clean_row = RowCleaner(
        columns=columns,
        reference=reference,
        today=today,
        tahun_buku=tahun_buku,
        default_year=default_year,
    )
    outside = _Outside(columns.get("kabkota"), reference.kabkota_keys)
    nik_at, name_at = columns.get("nik"), columns.get("name")
    records: list[Record] = []
    layout_rows: list[int] = []
    row_count = problem_count = seen = 0
    is_blank = is_blank_cell
    for number, cells in table.rows():
        seen += 1
        if seen % PROGRESS_STEP == 0:
            on_progress(int(100 * seen / max(table.row_count, 1)))
        # The first cell settles it for nearly every row.
        if (not cells or is_blank(cells[0])) and all(map(is_blank, cells)):
            continue
        if outside(cells):
            continue
        row_count += 1
        result = clean_row(number, cells)
        if result.record is not None:
            records.append(result.record)
            continue
        if _layout_row(cells, name_at, first=number == table.header_row_number + 1):
            # The ministry's layout, not a cooperative: a total, column numbers.
            row_count -= 1
            layout_rows.append(number)
            continue
        problem_count += 1
        write_problem(
            problems,
            number,
            _cell(cells, nik_at),
            _cell(cells, name_at),
            [(p.column, p.value, p.message) for p in result.problems],
            list(cells),
        )
    if row_count == 0:
        if outside.skipped:
            raise FileRejected(
                _(
                    "Tidak ada baris untuk wilayah aplikasi ini: %(n)s baris dari "
                    "%(k)s kabupaten/kota lain dilewati (%(names)s)."
                )
                % {
                    "n": format_count(outside.skipped_rows),
                    "k": len(outside.skipped),
                    "names": ", ".join(n for n, _rows in outside.summary()[:10]),
                }
            )
        raise FileRejected(_("Berkas tidak berisi baris data di bawah judul kolom."))
    records, repeated = _without_repeated_niks(records)
    problem_count += len(repeated)
    notices = list(table.notices)
    if table.header.repeated:
        notices.append(["repeated_columns", {"columns": table.header.repeated}])
    if layout_rows:
        notices.append(
            ["layout_rows", {"count": len(layout_rows), "rows": layout_rows[:10]}]
        )
    read = ReadResult(
        kind=table.kind,
        sheet_name=table.sheet_name[:100],
        header_row=table.header_row_number,
        header_cells=list(table.header_cells),
        columns=dict(columns),
        unknown_columns=table.header.unknown_summary(),
        default_year=default_year,
        row_count=row_count,
        problem_count=problem_count,
        skipped=outside.summary(),
        records=records,
        repeated=repeated,
        notices=notices,
    )
    return read, table


_TOTAL_WORDS = frozenset(("jumlah", "total", "jumlahtotal", "grandtotal", "subtotal"))
_COLUMN_NUMBER = re.compile(r"\(?\d{1,3}\)?")


def _layout_row(cells: list[Any], name_at: int | None, *, first: bool) -> bool:
    """A row of the sheet's layout, not a cooperative: the row of column numbers
    ("(1)", "(2)", …) right under the header, or a total ("JUMLAH") without a
    name. Asked only of a row that was refused, so it costs a clean file nothing."""
    filled = [v.text(cell) for cell in cells if not v.is_blank(cell)]
    if first and len(filled) >= 3 and all(map(_COLUMN_NUMBER.fullmatch, filled)):
        return True
    if name_at is not None and name_at < len(cells) and not v.is_blank(cells[name_at]):
        return False
    return any(v.word_key(text) in _TOTAL_WORDS for text in filled)


def _cell(cells: list[Any], index: int | None) -> str:
    return v.text(cells[index]) if index is not None and index < len(cells) else ""


class _Outside:
    """Whether a row belongs to a kabupaten/kota this install does not serve (a
    national export holds every kab/kota); counts them. A blank kab/kota is ours
    when its kecamatan and kelurahan are. Cost: a dict lookup per row."""

    def __init__(self, index: int | None, keys: set[str]) -> None:
        self.index = index
        self.keys = keys
        self.by_cell: dict[Any, str | None] = {}  # cell -> key when outside, or None
        self.skipped: dict[str, list[Any]] = {}  # key -> [name as written, rows]

    def __call__(self, cells: list[Any]) -> bool:
        if self.index is None or self.index >= len(cells):
            return False
        raw = cells[self.index]
        try:
            key = self.by_cell[raw]
        except KeyError:
            key = None
            if not v.is_blank(raw):
                found = kabkota_key(v.text(raw))
                key = None if found in self.keys else found
            self.by_cell[raw] = key
        if key is None:
            return False
        entry = self.skipped.get(key)
        if entry is None:
            self.skipped[key] = [v.text(raw)[:100], 1]
        else:
            entry[1] += 1
        return True

    @property
    def skipped_rows(self) -> int:
        return sum(rows for _name, rows in self.skipped.values())

    def summary(self) -> list[tuple[str, int]]:
        """(kab/kota as first written, rows), most rows first."""
        return sorted(
            ((name, rows) for name, rows in self.skipped.values()),
            key=lambda item: (-item[1], item[0]),
        )


def _without_repeated_niks(
    records: list[Record],
) -> tuple[list[Record], dict[int, tuple[Record, str]]]:
    """Records whose cooperative no other row names (``repeated_rows``), and the
    others by row number with the message that names the other rows."""
    repeated = repeated_rows(records)
    if not repeated:
        return records, {}
    kept: list[Record] = []
    rejected: dict[int, tuple[Record, str]] = {}
    for record in records:
        found = repeated.get(record.row_number)
        if found is None:
            kept.append(record)
            continue
        kind, rows = found
        rejected[record.row_number] = (
            record,
            _REPEATED[kind]() % {"rows": ", ".join(str(n) for n in rows)},
        )
    return kept, rejected


# What a repeated row shares with the others (``repeated_rows``), said.
_REPEATED = {
    "nik": lambda: _("NIK yang sama juga ada di baris %(rows)s."),
    "badan_hukum": lambda: _(
        "Nomor badan hukum yang sama juga ada di baris %(rows)s, dan baris tanpa "
        "NIK dicocokkan dengan nomor badan hukumnya: koperasi yang sama tertulis "
        "lebih dari sekali."
    ),
    "name": lambda: _(
        "Koperasi tanpa NIK dan nomor badan hukum dengan nama yang sama di "
        "kelurahan yang sama juga ada di baris %(rows)s."
    ),
}


def cells_of(table: Table, numbers: Iterable[int]) -> dict[int, list[Any]]:
    """The cells of some rows, from one more pass over the rows that hold them
    (``Table.rows_among``: no second read of the file)."""
    return {n: list(cells) for n, cells in table.rows_among(set(numbers))}


def write_repeated(
    problems: IO[bytes], table: Table, repeated: dict[int, tuple[Record, str]]
) -> None:
    """The rows rejected for a repeated NIK (``ReadResult.repeated``) as lines of
    a problems file, in the order of the sheet, with their cells from one more
    pass over the rows that hold them (``Table.rows_among``). Cost: the pieces of
    a worksheet read in pieces that hold such a row are parsed again, in native
    code that lets other threads run."""
    header = BY_CODE["nik"].header
    for number, cells in table.rows_among(set(repeated)):
        record, message = repeated[number]
        write_problem(
            problems,
            number,
            record.nik,
            record.name,
            [(header, record.nik, message)],
            list(cells),
        )
