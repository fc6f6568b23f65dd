"""What reading an uploaded file gives (``Table``), how it is refused
(``FileRejected`` with a message for the user), and the header helpers and
messages the spreadsheet and CSV readers share."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lib.numbers import format_count

from .columns import HeaderMatch

# How far down title rows may push the header.
HEADER_SEARCH_ROWS = 30


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


def not_spreadsheet_message() -> str:
    return _(
        "Berkas ini bukan spreadsheet yang dapat dibaca. Unggah berkas .xlsx, .xls, "
        ".ods atau .csv hasil ekspor ODS."
    )


def no_header_message() -> str:
    return _(
        "Baris judul kolom tidak ditemukan. Pastikan berkas memuat kolom seperti NIK, "
        "Nama Koperasi, Kecamatan dan Kelurahan."
    )


def too_many_rows_message(limit: int) -> str:
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


def title_text(rows: list[list[Any]]) -> str:
    return " ".join(str(cell) for row in rows for cell in row if cell not in ("", None))


# Tried in this order; the one the first rows hold most often wins.
