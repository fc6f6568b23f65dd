"""Opening an uploaded file safely and reading its rows.

The kind of file is decided by its content, never by its name. Before a spreadsheet
is parsed, its container is checked: size, compression ratio (decompression bombs),
encryption (password protection) and macros. Spreadsheets are read with
python-calamine; CSV with the standard library (UTF-8 or Windows-1252, comma or
semicolon).
"""

import csv
import io
import itertools
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine
from django.utils.translation import gettext as _

from lib.excel import as_before_safe_cell
from lib.numbers import format_count

from .columns import HeaderMatch, find_header
from .pieces import Pieces, formulas_without_values, split_workbook

# How far down title rows may push the header.
HEADER_SEARCH_ROWS = 30
# A compressed entry that inflates more than this many times is treated as a bomb;
# real worksheets compress about 5 to 20 times.
MAX_COMPRESSION_RATIO = 100
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# A worksheet may declare at most (the row limit x this many) cells.
MAX_DECLARED_COLUMNS = 100


class FileKind:
    XLSX = "xlsx"
    XLS = "xls"
    ODS = "ods"
    CSV = "csv"


class FileRejected(Exception):
    """The file cannot be imported at all; ``str(error)`` is for the user."""


@dataclass
class Limits:
    max_bytes: int
    max_uncompressed_bytes: int
    max_rows: int


@dataclass
class Table:
    kind: str
    sheet_name: str
    header: HeaderMatch
    header_cells: list[Any]
    header_row_number: int  # as the spreadsheet numbers it (1-based)
    title_text: str  # text of the rows above the header, e.g. "Data Tahun 2024"
    row_count: int  # rows below the header, blank ones included
    # A fresh pass over the data rows: (spreadsheet row number, cells). The sheet
    # stays in memory, so a second pass costs no second read of the file; but the
    # later pieces of a worksheet read in pieces (``pieces``) are parsed again.
    rows: Callable[[], Iterator[tuple[int, list[Any]]]]
    # The rows among some row numbers, in order: of a worksheet read in pieces,
    # only the pieces that hold one of them are parsed again.
    rows_among: Callable[[set[int]], Iterator[tuple[int, list[Any]]]]
    # What the person should know of how the file was read: [code, params], said
    # on the preview (``cooperatives.imports.notices``).
    notices: list[list[Any]] = field(default_factory=list)


def open_table(path: Path, *, limits: Limits) -> Table:
    """Check the file and find the sheet and row that hold the header.

    Raises FileRejected with a message in Bahasa Indonesia for anything that is not
    an importable spreadsheet. Cost: a spreadsheet's chosen sheet is held in memory
    (compactly, by calamine), except that a large .xlsx worksheet is read in pieces,
    each parsed while the rows before it are used (``pieces``), with an uncompressed
    copy of the workbook in the temporary folder; CSV text is held whole (it is at
    most ``max_bytes``).
    """
    size = path.stat().st_size
    if size == 0:
        raise FileRejected(_("Berkas kosong."))
    if size > limits.max_bytes:
        raise FileRejected(
            _("Berkas terlalu besar (%(size)s MB); batasnya %(limit)s MB.")
            % {"size": _mb(size), "limit": _mb(limits.max_bytes)}
        )
    with open(path, "rb") as handle:
        head = handle.read(8)
        start = (head + handle.read(2040)).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table")) or (
        start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office" in start
    ):
        # What many web applications save as ".xls": a web page, or Excel 2003's
        # XML, that Excel opens but no spreadsheet reader here does.
        raise FileRejected(
            _(
                "Berkas ini halaman web atau XML Spreadsheet 2003 yang diberi nama "
                ".xls, bukan berkas Excel sebenarnya. Buka di Excel, pilih Simpan "
                "Sebagai, jenis “Excel Workbook (.xlsx)”, lalu unggah berkas barunya."
            )
        )
    if head.startswith(b"PK\x03\x04"):
        kind = _check_zip(path, limits)
    elif head == _CFB_MAGIC:
        kind = _check_cfb(path)
    else:
        kind = FileKind.CSV
    if kind == FileKind.CSV:
        return _csv_table(path, limits)
    return _spreadsheet_table(path, kind, limits)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",").replace(",0", "")


def _check_zip(path: Path, limits: Limits) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > MAX_COMPRESSION_RATIO and info.file_size > 1024 * 1024:
                    raise FileRejected(_bomb_message())
            if total > limits.max_uncompressed_bytes:
                raise FileRejected(_bomb_message())
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise FileRejected(_macro_message())
            if "mimetype" in names:
                if archive.read("mimetype").strip() != _ODS_MIMETYPE:
                    raise FileRejected(_not_spreadsheet_message())
                if any(n.startswith(("Basic/", "Scripts/")) for n in names):
                    raise FileRejected(_macro_message())
                return FileKind.ODS
            if "xl/workbook.xml" in names:
                _check_declared_sizes(archive, names, limits)
                return FileKind.XLSX
    except zipfile.BadZipFile:
        raise FileRejected(_not_spreadsheet_message()) from None
    raise FileRejected(_not_spreadsheet_message())


def _check_cfb(path: Path) -> str:
    """An OLE compound file: an old .xls, or an encrypted .xlsx in an envelope."""
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise FileRejected(_password_message())
    if "_VBA_PROJECT".encode("utf-16-le") in data:
        raise FileRejected(_macro_message())
    return FileKind.XLS


_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"'
)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_declared_sizes(
    archive: zipfile.ZipFile, names: set[str], limits: Limits
) -> None:
    """Refuse a worksheet whose declared size no parser can hold, before any parser
    sees it: a stray cell at XFD1048576 declares 17 billion cells, and the reader
    would ask for hundreds of gigabytes. Reads the first bytes of each worksheet."""
    most = limits.max_rows * MAX_DECLARED_COLUMNS
    for name in names:
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        with archive.open(name) as part:
            found = _DIMENSION.search(part.read(4096))
        if found is None or found.group(3) is None:
            continue
        rows = int(found.group(4)) - int(found.group(2)) + 1
        columns = _column_number(found.group(3)) - _column_number(found.group(1)) + 1
        if rows * columns > most:
            raise FileRejected(
                _(
                    "Sebuah lembar kerja menyatakan ukuran %(ref)s (%(rows)s baris × "
                    "%(columns)s kolom), jauh melebihi data ODS mana pun; biasanya "
                    "ada sel terisi jauh di bawah atau di kanan data. Hapus baris dan "
                    "kolom di luar data, simpan, lalu unggah lagi."
                )
                % {
                    "ref": (found.group(1) + found.group(2) + b":").decode()
                    + (found.group(3) + found.group(4)).decode(),
                    "rows": format_count(rows),
                    "columns": format_count(columns),
                }
            )


def _bomb_message() -> str:
    return _(
        "Isi berkas mengembang jauh melebihi ukurannya (kemungkinan bom dekompresi); "
        "berkas ditolak."
    )


def _macro_message() -> str:
    return _(
        "Berkas berisi makro. Simpan ulang sebagai .xlsx biasa (tanpa makro) lalu "
        "unggah lagi."
    )


def _password_message() -> str:
    return _(
        "Berkas dilindungi kata sandi. Buka di Excel, hapus kata sandinya, simpan, "
        "lalu unggah lagi."
    )


def _not_spreadsheet_message() -> str:
    return _(
        "Berkas ini bukan spreadsheet yang dapat dibaca. Unggah berkas .xlsx, .xls, "
        ".ods atau .csv hasil ekspor ODS."
    )


def _spreadsheet_table(path: Path, kind: str, limits: Limits) -> Table:
    try:
        workbook, pieces = _open_workbook(path, kind)
        piece_names = {name for found in pieces.values() for name in found.names}
        visible = {
            meta.name: meta.visible == python_calamine.SheetVisibleEnum.Visible
            for meta in workbook.sheets_metadata
        }
        # A visible sheet before a hidden one (an old archive kept out of sight),
        # then the header that names most columns; the first sheet on a tie.
        best: tuple[tuple[bool, int], HeaderMatch, Any, list[list[Any]]] | None = None
        with_header: list[str] = []
        for sheet_name in workbook.sheet_names:
            if sheet_name in piece_names:
                continue
            candidate = workbook.get_sheet_by_name(sheet_name)
            top = [
                row
                for _i, row in zip(
                    range(HEADER_SEARCH_ROWS), candidate.iter_rows(), strict=False
                )
            ]
            header = find_header(top)
            if header is not None:
                with_header.append(sheet_name)
                rank = (visible.get(sheet_name, True), header.score)
                if best is None or rank > best[0]:
                    best = (rank, header, candidate, top)
            del candidate
        if best is None:
            raise FileRejected(_no_header_message())
        (shown, _score), header, sheet, top = best
        name = sheet.name
        notices: list[list[Any]] = []
        others = [other for other in with_header if other != name]
        if others:
            notices.append(["other_sheets", {"sheet": name, "others": others[:5]}])
        if not shown:
            notices.append(["hidden_sheet", {"sheet": name}])
        if kind == FileKind.XLSX:
            count, first = formulas_without_values(path, name)
            if count:
                notices.append(["formulas", {"count": count, "cell": first}])
    except python_calamine.PasswordError:
        raise FileRejected(_password_message()) from None
    except _CALAMINE_ERRORS:
        raise FileRejected(_not_spreadsheet_message()) from None
    # calamine's rows start at the sheet's row 1 even when its first cell is lower
    # down (its columns start at the leftmost cell): a row's index is its number
    # in the spreadsheet less one.
    header_row_number = header.row_index + 1
    later = pieces.get(name)
    if later is not None:
        last_row = later.last_row
    else:
        last_row = sheet.end[0] + 1 if sheet.end else header_row_number
    row_count = max(last_row - header_row_number, 0)
    if row_count > limits.max_rows:
        raise FileRejected(_too_many_rows_message(limits.max_rows))
    first_column = sheet.start[1] if sheet.start else 0
    merged = _merged_down(sheet, header, header_row_number, first_column)
    if merged:
        notices.append(["merged", {"count": len(merged), "rows": sorted(merged)[:5]}])

    def rows(
        names: list[str] | None = None, wanted: set[int] | None = None
    ) -> Iterator[tuple[int, list[Any]]]:
        """The worksheet's rows, then those of its later pieces (of ``names``
        only, when given); only the rows ``wanted``, when given."""
        if later is not None and names is None:
            names = later.names
        # The next piece is parsed (without the GIL) while these rows are used.
        reader = _PieceReader(workbook, names) if names else None
        try:
            data = itertools.islice(sheet.iter_rows(), header_row_number, None)
            numbered: Iterator[tuple[int, list[Any]]] = enumerate(
                data, start=header_row_number + 1
            )
            if merged:
                numbered = _filled(numbered, merged)
            if wanted is None:
                yield from numbered
            else:
                yield from ((n, cells) for n, cells in numbered if n in wanted)
            if reader is not None:
                yield from reader.rows(first_column, wanted)
        finally:
            if reader is not None:
                reader.close()

    def rows_among(wanted: set[int]) -> Iterator[tuple[int, list[Any]]]:
        if not wanted:
            return
        names = None
        if later is not None:
            ends = [*later.first_rows[1:], last_row + 1]
            names = [
                name
                for name, first, end in zip(
                    later.names, later.first_rows, ends, strict=True
                )
                if any(first <= number < end for number in wanted)
            ]
        yield from rows(names, wanted)

    return Table(
        kind=kind,
        sheet_name=name,
        header=header,
        header_cells=header_labels(header, top),
        header_row_number=header_row_number,
        title_text=_title_text(top[: header_top(header)]),
        row_count=row_count,
        rows=rows,
        rows_among=rows_among,
        notices=notices,
    )


def _merged_down(
    sheet: Any, header: HeaderMatch, header_row_number: int, first_column: int
) -> dict[int, dict[int, Any]]:
    """Cells of data rows under a cell merged down over them (Kecamatan merged
    over the rows of its cooperatives): row number -> {cell index: the merged
    cell's value}. A spreadsheet keeps the value in the top cell only; the rows
    below, which show it, had been refused as "Kecamatan kosong". Only down a
    column the import reads, and only as far as the sheet's data goes (a merge
    over a whole column reaches row 1,048,576). Cost: nothing for a sheet
    without merged cells; else one pass down to the last merge's top."""
    read = set(header.columns.values())
    last = sheet.end[0] if sheet.end else header_row_number  # 0-based
    ranges = [
        (top, column - first_column, min(bottom, last))
        for (top, column), (bottom, _right) in sheet.merged_cell_ranges or []
        # 0-based rows: data rows are those from header_row_number on.
        if bottom > top
        and top >= header_row_number
        and column - first_column in read
        and top < last
    ]
    if not ranges:
        return {}
    tops = {top for top, _at, _bottom in ranges}
    lowest = max(tops)
    values: dict[int, list[Any]] = {}
    for index, cells in enumerate(sheet.iter_rows()):
        if index in tops:
            values[index] = cells
        if index >= lowest:
            break
    fill: dict[int, dict[int, Any]] = {}
    for top, at, bottom in ranges:
        cells = values.get(top, [])
        value = cells[at] if 0 <= at < len(cells) else None
        if value is None or value == "":
            continue
        for index in range(top + 1, bottom + 1):
            fill.setdefault(index + 1, {})[at] = value  # rows are numbered from 1
    return fill


def _filled(
    numbered: Iterator[tuple[int, list[Any]]], merged: dict[int, dict[int, Any]]
) -> Iterator[tuple[int, list[Any]]]:
    """The rows with the cells under a merged cell given its value; a row with
    nothing else in it stays blank (a merge does not make a cooperative)."""
    for number, cells in numbered:
        below = merged.get(number)
        if below and any(cell is not None and cell != "" for cell in cells):
            cells = list(cells)
            for at, value in below.items():
                if at >= len(cells):
                    cells.extend([""] * (at + 1 - len(cells)))
                if cells[at] is None or cells[at] == "":
                    cells[at] = value
        yield number, cells


_CALAMINE_ERRORS = (
    python_calamine.CalamineError,
    python_calamine.ZipError,
    python_calamine.XmlError,
    ValueError,
)


def _open_workbook(
    path: Path, kind: str
) -> tuple[python_calamine.CalamineWorkbook, dict[str, Pieces]]:
    """The workbook, with its large worksheets cut into pieces (``pieces``) when it
    is an .xlsx in the plain shape; the pieces found, by worksheet."""
    if kind != FileKind.XLSX:
        return python_calamine.CalamineWorkbook.from_path(str(path)), {}
    try:
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as copy:
            pieces = split_workbook(path, Path(copy.name))
            if pieces:
                # calamine keeps the file open: the copy may go when this ends.
                return python_calamine.CalamineWorkbook.from_path(copy.name), pieces
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError):
        pass  # calamine reads the file as it is, or says what is wrong with it
    return python_calamine.CalamineWorkbook.from_path(str(path)), {}


class _PieceReader:
    """The rows of a worksheet's later pieces (``pieces``), each piece parsed in a
    thread while the rows of the one before are used."""

    def __init__(self, workbook: python_calamine.CalamineWorkbook, names: list[str]):
        self._workbook = workbook
        self._names = names
        self._executor = ThreadPoolExecutor(max_workers=1)
        self._next = self._executor.submit(workbook.get_sheet_by_name, names[0])

    def rows(
        self, first_column: int, wanted: set[int] | None = None
    ) -> Iterator[tuple[int, list[Any]]]:
        """Rows numbered as in the spreadsheet, their cells aligned with the first
        piece's: a piece's columns start at its own leftmost cell. Only the rows
        ``wanted``, when given, each taken by its place in its piece."""
        for index in range(len(self._names)):
            try:
                piece = self._next.result()
            except _CALAMINE_ERRORS:
                raise FileRejected(_not_spreadsheet_message()) from None
            if index + 1 < len(self._names):
                self._next = self._executor.submit(
                    self._workbook.get_sheet_by_name, self._names[index + 1]
                )
            if piece.start is None:
                continue  # a piece of blank rows
            first_row, column = piece.start
            shift = column - first_column
            found = piece.to_python()
            numbers = range(first_row + 1, first_row + 1 + len(found))
            if wanted is None:
                numbered: Iterable[tuple[int, list[Any]]] = zip(
                    numbers, found, strict=True
                )
            else:
                numbered = (
                    (n, found[n - numbers.start])
                    for n in sorted(wanted)
                    if n in numbers
                )
            for number, cells in numbered:
                if shift > 0:
                    cells = [""] * shift + cells
                elif shift < 0:
                    cells = cells[-shift:]  # left of the header: no column there
                yield number, cells
            del piece, found

    def close(self) -> None:
        self._executor.shutdown(cancel_futures=True)


def _no_header_message() -> str:
    return _(
        "Baris judul kolom tidak ditemukan. Pastikan berkas memuat kolom seperti NIK, "
        "Nama Koperasi, Kecamatan dan Kelurahan."
    )


def _too_many_rows_message(limit: int) -> str:
    return _(
        "Berkas berisi lebih dari %(limit)s baris; bagi menjadi beberapa berkas."
    ) % {"limit": format_count(limit)}


def header_labels(header: HeaderMatch, top: Sequence[Sequence[Any]]) -> list[Any]:
    """The header's labels as the file has them: its row, or for a header on two
    rows the group and part joined ("Jumlah Anggota Pria")."""
    return list(header.labels or top[header.row_index])


def header_top(header: HeaderMatch) -> int:
    """The index of the header's first row: the title rows end above it."""
    return header.row_index - (1 if header.labels else 0)


def _title_text(rows: list[list[Any]]) -> str:
    return " ".join(str(cell) for row in rows for cell in row if cell not in ("", None))


# Tried in this order; the one the first rows hold most often wins.
_DELIMITERS = (",", ";", "\t")


def _utf16_without_mark(data: bytes) -> str | None:
    """UTF-16 text saved without its byte-order mark (some tools write it so),
    decoded; None for anything else. Latin text in UTF-16 has a NUL in every
    other byte, on the odd ones (little-endian) or the even ones (big-endian),
    which no binary format or 8-bit text has."""
    head = data[:4096]
    if len(head) < 8 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 8:
        return None
    odd, even = head[1::2], head[0::2]
    for nuls, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls.count(0) > len(nuls) * 0.9 and other.count(0) < len(other) * 0.1:
            return data[: len(data) - len(data) % 2].decode(encoding, errors="replace")
    return None


def _looks_binary(data: bytes) -> bool:
    """A PDF, an image or another binary file, not text with a stray NUL in a cell."""
    if data.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8")):
        return True
    head = data[:65536]
    return head.count(b"\x00") > max(len(head) // 100, 8)


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV text, numbered from 1. A cell over the csv module's 128
    KiB, or a quote never closed, refuses the file with the row it stopped after:
    no retry reads it ("kesalahan sistem, coba lagi" was all it said)."""
    number = line = 0
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            first_line, line = line + 1, reader.line_num
            if line > first_line and _rows_swallowed(cells, delimiter):
                raise FileRejected(_unclosed_quote_message(first_line))
            yield number, cells
    except csv.Error:
        raise FileRejected(
            _(
                "Berkas CSV tidak dapat dibaca pada baris %(row)s: ada sel yang "
                "terlalu panjang atau tanda petik yang tidak ditutup. Periksa baris "
                "itu, simpan ulang, lalu unggah lagi."
            )
            % {"row": number + 1}  # the row read last was fine; the next failed
        ) from None


def _rows_swallowed(cells: list[str], delimiter: str) -> bool:
    """Cells running over several lines that hold a whole row's worth of
    separators (one fewer than the row has cells, at least eight): a quote
    opened and not closed on its line, closed by a stray one lines later. The
    rest of that line and the rows after it had become one address, neither
    imported nor said to be refused. An address written over two lines inside
    its quotes holds a few commas, not a row's worth ("RT 01, RW 02, Kel. …,
    Kec. …, Kota …" has five)."""
    spread = sum(cell.count(delimiter) for cell in cells if "\n" in cell)
    return spread >= max(8, len(cells) - 1)


def _unclosed_quote_message(line: int) -> str:
    return _(
        'Berkas CSV: tanda petik (") yang dibuka pada baris %(line)s tidak ditutup '
        "di baris itu, sehingga baris-baris sesudahnya terbaca sebagai satu sel. "
        "Tutup atau hapus tanda petik itu, simpan ulang, lalu unggah lagi."
    ) % {"line": line}


def _decoded(data: bytes) -> str:
    """The text of a CSV that is not UTF-16: UTF-8, or the Windows code page of
    an older Excel. A file of UTF-8 with a byte or two that are not (a row pasted
    from elsewhere) is refused with the line: read as the code page, every "é"
    and curly quote of the file had become "Ã©" and "â€œ" without a word."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad = error.start
    try:
        data.decode("utf-8", errors="surrogatepass")
        utf8_elsewhere = True  # only surrogates, which UTF-8 text never holds
    except UnicodeDecodeError:
        utf8_elsewhere = _UTF8_MULTIBYTE.search(data) is not None
    if utf8_elsewhere:
        raise FileRejected(
            _(
                "Berkas CSV ini ditulis sebagai UTF-8, tetapi baris %(line)s berisi "
                "huruf yang bukan UTF-8 (mungkin tempelan dari berkas lain). "
                'Perbaiki huruf di baris itu, atau simpan ulang sebagai "CSV '
                'UTF-8", lalu unggah lagi.'
            )
            % {"line": data.count(b"\n", 0, bad) + 1}
        )
    return data.decode("cp1252", errors="replace")


# A well-formed UTF-8 sequence of two to four bytes: text written as UTF-8.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _csv_table(path: Path, limits: Limits) -> Table:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated.
        content = data.decode("utf-16", errors="replace")
    elif (unmarked := _utf16_without_mark(data)) is not None:
        content = unmarked
    elif _looks_binary(data):
        raise FileRejected(_not_spreadsheet_message())
    else:
        content = _decoded(data)
    del data
    lines = content.splitlines()
    sample = "\n".join(lines[:HEADER_SEARCH_ROWS])
    delimiter = max(_DELIMITERS, key=sample.count)
    top = [cells for _number, cells in _csv_rows(sample, delimiter)]
    header = find_header(top)
    if header is None:
        if not re.search(r"[,;\t]", sample):
            raise FileRejected(_not_spreadsheet_message())
        raise FileRejected(_no_header_message())

    if len(lines) - header.row_index - 1 > limits.max_rows:
        raise FileRejected(_too_many_rows_message(limits.max_rows))

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in _csv_rows(content, delimiter):
            if number > header.row_index + 1:
                # A CSV (the registry's own export among them) writes text that
                # would start a formula after an apostrophe: read as it was.
                yield number, [as_before_safe_cell(cell) for cell in cells]

    def rows_among(wanted: set[int]) -> Iterator[tuple[int, list[Any]]]:
        return ((number, cells) for number, cells in rows() if number in wanted)

    return Table(
        kind=FileKind.CSV,
        sheet_name="",
        header=header,
        header_cells=header_labels(header, top),
        header_row_number=header.row_index + 1,
        title_text=_title_text(top[: header_top(header)]),
        row_count=max(len(lines) - header.row_index - 1, 0),
        rows=rows,
        rows_among=rows_among,
    )
