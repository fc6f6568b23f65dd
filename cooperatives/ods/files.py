"""Opening an uploaded file safely and reading its rows.

The kind of file is decided by its content, never by its name. Before a spreadsheet
is parsed, its container is checked: size, compression ratio (decompression bombs),
encryption (password protection) and macros. Spreadsheets are read with
python-calamine; CSV by ``csvfile``. What reading gives, and how a file is
refused, is in ``table``.
"""

import itertools
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import python_calamine
from django.utils.translation import gettext as _

from lib.numbers import format_count

from .columns import HeaderMatch, find_header
from .csvfile import csv_table
from .pieces import Pieces, formulas_without_values, split_workbook
from .table import (
    HEADER_SEARCH_ROWS,
    FileKind,
    FileRejected,
    Limits,
    Table,
    header_labels,
    header_top,
    no_header_message,
    not_spreadsheet_message,
    title_text,
    too_many_rows_message,
)

# A compressed entry that inflates more than this many times is treated as a bomb;
# real worksheets compress about 5 to 20 times.
MAX_COMPRESSION_RATIO = 100
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# A worksheet may declare at most (the row limit x this many) cells.
MAX_DECLARED_COLUMNS = 100


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
        return csv_table(path, limits)
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
                    raise FileRejected(not_spreadsheet_message())
                if any(n.startswith(("Basic/", "Scripts/")) for n in names):
                    raise FileRejected(_macro_message())
                return FileKind.ODS
            if "xl/workbook.xml" in names:
                _check_declared_sizes(archive, names, limits)
                return FileKind.XLSX
    except zipfile.BadZipFile:
        raise FileRejected(not_spreadsheet_message()) from None
    raise FileRejected(not_spreadsheet_message())


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
            raise FileRejected(no_header_message())
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
        raise FileRejected(not_spreadsheet_message()) from None
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
        raise FileRejected(too_many_rows_message(limits.max_rows))
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
        title_text=title_text(top[: header_top(header)]),
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
                raise FileRejected(not_spreadsheet_message()) from None
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
