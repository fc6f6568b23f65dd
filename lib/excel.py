"""Writing tables to .xlsx and .csv files, row by row, in constant memory.

The one way to write a cell from user data (OWASP's CSV-injection guidance):

- ``safe_cell(value)`` for a CSV value (or any place that only holds text): a text
  that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading ``'`` so that a spreadsheet shows it as text instead of running it as a
  formula; so does each part after a semicolon, since Excel in a locale whose list
  separator is ";" (Indonesian among them) splits a .csv there too. ``None``
  becomes ``""``; numbers, dates and booleans are returned as they
  are (typed). Anything else is turned into its ``str`` first.
- ``write_row(sheet, row, values, formats)`` for an xlsxwriter worksheet: numbers,
  dates and booleans are written typed, every text with ``write_string`` (never a
  formula, never a link), and a text with a dangerous lead carries Excel's own
  "quote prefix" (what typing a leading ``'`` does), so the cell reads exactly as the
  value but stays text even when someone edits it. ``formats = CellFormats(workbook)``.

``write_xlsx`` and ``write_csv`` below use them; so must every other export.
"""

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import xlsxwriter
from django.utils import timezone
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

ProgressCallback = Callable[[int], None]
PROGRESS_EVERY = 2000

# The characters a spreadsheet reads as the start of a formula (or, for tab and
# carriage return, that move what follows into a formula position), and their
# full-width forms, which a spreadsheet set for East Asian input turns into them
# when the cell is edited.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

_TYPED = (int, float, Decimal, Fraction, datetime.date, datetime.time)
_LEAD_CHARS = frozenset("".join(FORMULA_LEADS))
# A semicolon, then (past any spaces) what would start a formula in the cell a
# semicolon-separated reading makes of the rest.
_PART_LEAD = re.compile(r";([ ]*)(?=[=+\-@\t\r\uff1d\uff0b\uff0d\uff20])")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula."""
    return text.startswith(FORMULA_LEADS)


def safe_cell(value: Any) -> Any:
    """A value ready for a CSV cell: typed values as they are, text made inert."""
    if value is None:
        return ""
    if isinstance(value, (bool, *_TYPED)):
        return value
    text = _PART_LEAD.sub(";\\1'", str(value))
    return "'" + text if is_formula_like(text) else text


_MADE_INERT = re.compile(r"^'(?=[=+\-@\t\r\uff1d\uff0b\uff0d\uff20])")
_PART_MADE_INERT = re.compile(r";([ ]*)'(?=[=+\-@\t\r\uff1d\uff0b\uff0d\uff20])")


def as_before_safe_cell(text: str) -> str:
    """A CSV cell read back as it was before ``safe_cell`` made it inert: the
    apostrophe it put before a formula's first character taken away (importing
    the registry's own CSV export changed "-" to "'-" and "+62…" to "'+62…")."""
    if "'" not in text:
        return text
    text = _MADE_INERT.sub("", text)
    return _PART_MADE_INERT.sub(";\\1", text) if ";" in text else text


# How every workbook the registry writes shows a date: 07/12/2026, the office's
# way (the rekap wrote 07-12-2026 beside the registry export's 07/12/2026).
DATE_FORMAT = "dd/mm/yyyy"


class CellFormats:
    """The formats ``write_row`` needs, created once per workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self.text_inert: Format = workbook.add_format({"quote_prefix": True})
        self.date: Format = workbook.add_format({"num_format": DATE_FORMAT})
        self.datetime: Format = workbook.add_format(
            {"num_format": f"{DATE_FORMAT} hh:mm"}
        )


def write_cell(
    sheet: Worksheet, row: int, col: int, value: Any, f: CellFormats
) -> None:
    """Write one value typed (see the module docstring); ``None`` and ``""`` leave
    the cell empty."""
    kind = type(value)
    # The common types first, by identity: this runs for every cell of 150,000 rows.
    if kind is str:
        if value:
            if value[0] in _LEAD_CHARS:
                sheet.write_string(row, col, value, f.text_inert)
            else:
                sheet.write_string(row, col, value)
    elif kind is int or kind is Decimal or kind is float:
        sheet.write_number(row, col, float(value))
    elif value is None:
        return
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float, Decimal, Fraction)):
        sheet.write_number(row, col, float(value))
    elif isinstance(value, datetime.datetime):
        # Excel has no time zones: the office's wall-clock time.
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        sheet.write_datetime(row, col, value, f.datetime)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, col, value, f.date)
    else:
        write_cell(sheet, row, col, str(value), f)


def write_row(
    sheet: Worksheet, row: int, values: Iterable[Any], formats: CellFormats
) -> None:
    """Write ``values`` from column 0 of ``row``, each through ``write_cell``."""
    for col, value in enumerate(values):
        write_cell(sheet, row, col, value, formats)


def workbook_streaming(path: Path) -> Workbook:
    """An xlsxwriter workbook for a file of several sheets laid out by hand (the
    rekap's), in constant-memory mode, written to ``path``: each row is flushed
    once the next begins, so rows must be written in order. Its text cells go
    through ``safe_cell`` or ``write_cell`` like every other."""
    return xlsxwriter.Workbook(str(path), {"constant_memory": True})


def write_xlsx(
    path: Path,
    *,
    sheet_name: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    on_progress: ProgressCallback | None = None,
    title: Sequence[str] = (),
) -> int:
    """Write ``rows`` under a bold, frozen header row; returns the number of rows.
    ``title``: lines above the header (what the sheet is, whose, as of when), the
    first in bold, then a blank line.

    Uses xlsxwriter's constant-memory mode, so 150,000 rows cost no more memory than
    ten. Dates are written as real Excel dates; text never becomes a formula.
    """
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "default_date_format": DATE_FORMAT}
    )
    try:
        sheet = workbook.add_worksheet(sheet_name[:31])
        formats = CellFormats(workbook)
        bold = workbook.add_format({"bold": True, "bg_color": "#E9ECEF"})
        bold_inert = workbook.add_format(
            {"bold": True, "bg_color": "#E9ECEF", "quote_prefix": True}
        )
        heading = workbook.add_format({"bold": True, "font_size": 13})
        for line_number, line in enumerate(title):
            style = heading if line_number == 0 else formats.text_inert
            sheet.write_string(line_number, 0, str(line), style)
        top = len(title) + 1 if title else 0
        for col, header in enumerate(headers):
            # A header may come from an uploaded file (the rejected rows keep the
            # file's own columns): one that looks like a formula stays text when
            # the cell is edited, as the data cells do.
            text = str(header)
            sheet.write_string(
                top, col, text, bold_inert if is_formula_like(text) else bold
            )
        sheet.freeze_panes(top + 1, 0)
        for i, _header in enumerate(headers):
            sheet.set_column(i, i, 18)
        count = 0
        for count, row in enumerate(rows, start=1):
            write_row(sheet, top + count, row, formats)
            if on_progress and count % PROGRESS_EVERY == 0:
                on_progress(count)
        sheet.autofilter(top, 0, top + max(count, 1), len(headers) - 1)
    finally:
        workbook.close()
    return count


def write_csv(
    path: Path,
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    on_progress: ProgressCallback | None = None,
) -> int:
    """UTF-8 with a byte-order mark, so that Excel shows Indonesian names correctly.
    Every cell goes through ``safe_cell``."""
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([safe_cell(h) for h in headers])
        for count, row in enumerate(rows, start=1):
            writer.writerow([safe_cell(v) for v in row])
            if on_progress and count % PROGRESS_EVERY == 0:
                on_progress(count)
    return count


def csv_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """A small CSV file in memory, as ``write_csv`` writes one (UTF-8 with a
    byte-order mark, every cell through ``safe_cell``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")
