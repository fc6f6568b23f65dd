"""Writing tables to .xlsx and .csv files, row by row, in constant memory."""

import csv
import datetime
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

ProgressCallback = Callable[[int], None]
PROGRESS_EVERY = 2000


def write_xlsx(
    path: Path,
    *,
    sheet_name: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    on_progress: ProgressCallback | None = None,
) -> int:
    """Write ``rows`` under a bold, frozen header row; returns the number of rows.

    Uses xlsxwriter's constant-memory mode, so 150,000 rows cost no more memory than
    ten. Numbers and dates are written as real numbers and dates; text always as
    text (inert: never a formula).
    """
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "default_date_format": "dd/mm/yyyy"}
    )
    try:
        sheet = workbook.add_worksheet(sheet_name[:31])
        bold = workbook.add_format({"bold": True, "bg_color": "#E9ECEF"})
        sheet.write_row(0, 0, headers, bold)
        sheet.freeze_panes(1, 0)
        for i, _header in enumerate(headers):
            sheet.set_column(i, i, 18)
        count = 0
        for count, row in enumerate(rows, start=1):
            _write_typed_row(sheet, count, row)
            if on_progress and count % PROGRESS_EVERY == 0:
                on_progress(count)
        sheet.autofilter(0, 0, max(count, 1), len(headers) - 1)
    finally:
        workbook.close()
    return count


def _write_typed_row(sheet: Any, row_number: int, values: Sequence[Any]) -> None:
    """Each value through the writer of its type. Text goes through
    ``write_string``: a text cell, never a formula or a link, whatever it starts
    with (``write``/``write_row`` would turn ``=...`` into a formula), and without
    the per-cell type sniffing that makes ``write_row`` slow. Empty cells are
    skipped. (Exact type checks first: this runs for every cell of 150,000 rows.)"""
    write_string = sheet.write_string
    for column, value in enumerate(values):
        kind = type(value)
        if kind is str:
            if value:
                write_string(row_number, column, value)
        elif value is None:
            continue
        elif kind is datetime.date or kind is datetime.datetime:
            sheet.write_datetime(row_number, column, value)
        elif kind is bool:
            sheet.write_boolean(row_number, column, value)
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(row_number, column, value)
        elif isinstance(value, datetime.date):
            sheet.write_datetime(row_number, column, value)
        else:
            write_string(row_number, column, str(value))


def write_csv(
    path: Path,
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    on_progress: ProgressCallback | None = None,
) -> int:
    """UTF-8 with a byte-order mark, so that Excel shows Indonesian names correctly."""
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for count, row in enumerate(rows, start=1):
            writer.writerow(["" if v is None else v for v in row])
            if on_progress and count % PROGRESS_EVERY == 0:
                on_progress(count)
    return count


# Characters that make a spreadsheet read a cell as a formula (or DDE command).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def inert_text(value: str) -> str:
    """Text that no spreadsheet will run: a leading formula character gets a ``'``
    in front (numbers are written as numbers, never through this)."""
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value
