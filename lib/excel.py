"""Writing tables to .xlsx and .csv files, row by row, in constant memory.

The one way to write a cell from user data (OWASP's CSV-injection guidance):

- ``safe_cell(value)`` for a CSV value (or any place that only holds text): a text
  that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading ``'`` so that a spreadsheet shows it as text instead of running it as a
  formula. ``None`` becomes ``""``; numbers, dates and booleans are returned as they
  are (typed). Anything else is turned into its ``str`` first.
- ``write_row(sheet, row, values, formats)`` for an xlsxwriter worksheet: numbers,
  dates and booleans are written typed, every text with ``write_string`` (never a
  formula, never a link), and a text with a dangerous lead carries Excel's own
  "quote prefix" (what typing a leading ``'`` does), so the cell reads exactly as the
  value but stays text even when someone edits it. ``formats = CellFormats(workbook)``.

``write_csv`` below uses them, and ``write_xlsx`` writes its cells by the same
rules as SpreadsheetML of its own (far fewer calls a cell); so must every other
export.
"""

import csv
import datetime
import io
import re
import zipfile
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
# carriage return, that move what follows into a formula position).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

_TYPED = (int, float, Decimal, Fraction, datetime.date, datetime.time)
_LEAD_CHARS = frozenset("".join(FORMULA_LEADS))


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula."""
    return text.startswith(FORMULA_LEADS)


def safe_cell(value: Any) -> Any:
    """A value ready for a CSV cell: typed values as they are, text made inert."""
    if value is None:
        return ""
    if isinstance(value, (bool, *_TYPED)):
        return value
    text = str(value)
    return "'" + text if is_formula_like(text) else text


class CellFormats:
    """The formats ``write_row`` needs, created once per workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self.text_inert: Format = workbook.add_format({"quote_prefix": True})
        self.date: Format = workbook.add_format({"num_format": "dd/mm/yyyy"})
        self.datetime: Format = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})


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
) -> int:
    """Write ``rows`` under a bold, frozen header row with a filter; returns the
    number of rows.

    Streamed (constant memory: 150,000 rows cost no more than ten), and written as
    SpreadsheetML directly, one string per cell: xlsxwriter's calls took about
    10 µs a cell, a second for an import's 4,500 rejected rows of 31 cells. The
    cells follow ``write_cell``'s rules: numbers and booleans typed, dates as
    Excel dates, every text an inline string (never a formula, never a link), with
    the quote prefix when it starts with a formula lead; ``None`` and ``""`` leave
    the cell empty.
    """
    width = max(len(headers), 1)
    letters = [_column_letters(col) for col in range(width)]
    name = _xml_text(sheet_name[:31])
    count = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in _XLSX_PARTS.items():
            archive.writestr(part, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            sheet = io.TextIOWrapper(out, encoding="utf-8", write_through=False)
            sheet.write(_SHEET_HEAD.format(width=width))
            sheet.write(_row_xml(1, headers, letters, header=True))
            for count, row in enumerate(rows, start=1):
                sheet.write(_row_xml(count + 1, row, letters))
                if on_progress and count % PROGRESS_EVERY == 0:
                    on_progress(count)
            last = f"{letters[-1]}{max(count, 1) + 1}"
            sheet.write(_SHEET_TAIL.format(ref=f"A1:{last}"))
            sheet.flush()
            sheet.detach()
        archive.writestr(
            "xl/workbook.xml",
            _WORKBOOK.format(
                sheet=name,
                quoted=name.replace("'", "''"),
                ref=f"$A$1:${letters[-1]}${max(count, 1) + 1}",
            ),
        )
    return count


# --- SpreadsheetML for write_xlsx --------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"

# Cell styles (cellXfs below): the header, the header with the quote prefix, a
# text with the quote prefix, a date, a date with time.
_HEADER, _HEADER_INERT, _INERT, _DATE, _DATETIME = 1, 2, 3, 4, 5

_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{_OOXML}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_OOXML}.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_PACKAGE_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_PACKAGE_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<styleSheet xmlns="{_MAIN}">'
        '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
        '<numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/></numFmts>'
        '<fonts count="2">'
        '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        "</fonts>"
        '<fills count="3"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        '<fill><patternFill patternType="solid"><fgColor rgb="FFE9ECEF"/>'
        '<bgColor indexed="64"/></patternFill></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
        "</border></borders>"
        '<cellStyleXfs count="1">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="6">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" '
        'applyFont="1" applyFill="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" '
        'applyFont="1" applyFill="1" quotePrefix="1"/>'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" '
        'quotePrefix="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles>"
        '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
    ),
}
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
    "<bookViews><workbookView/></bookViews>"
    '<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets>'
    '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" '
    "hidden=\"1\">'{quoted}'!{ref}</definedName></definedNames>"
    "</workbook>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
    '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft"/></sheetView></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/>'
    '<cols><col min="1" max="{width}" width="18.7109375" customWidth="1"/>'
    "</cols><sheetData>"
)
_SHEET_TAIL = (
    '</sheetData><autoFilter ref="{ref}"/>'
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
    'footer="0.3"/></worksheet>'
)
# XML 1.0 has no place for these; Excel writes them as _xHHHH_.
_XML_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAX_TEXT = 32767  # Excel's limit, in UTF-16 code units


def _column_letters(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xml_text(text: str) -> str:
    if not text.isprintable():  # rare: a tab, a line break, a control character
        text = _XML_CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


def _row_xml(
    number: int, values: Iterable[Any], letters: list[str], *, header: bool = False
) -> str:
    cells = [f'<row r="{number}">']
    for col, value in enumerate(values):
        if col >= len(letters):
            letters.append(_column_letters(col))
        ref = f"{letters[col]}{number}"
        kind = type(value)
        if header:
            value = str(value)
            kind = str
        if kind is str:
            if value:
                cells.append(_text_cell(ref, value, header=header))
        elif kind is int or kind is float or kind is Decimal:
            cells.append(_number_cell(ref, value))
        elif value is None:
            continue
        elif isinstance(value, bool):
            cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, (int, float, Decimal, Fraction)):
            cells.append(_number_cell(ref, value))
        elif isinstance(value, datetime.datetime):
            # Excel has no time zones: the office's wall-clock time.
            if timezone.is_aware(value):
                value = timezone.make_naive(value)
            serial = _excel_serial(value)
            cells.append(f'<c r="{ref}" s="{_DATETIME}"><v>{serial!r}</v></c>')
        elif isinstance(value, datetime.date):
            serial = _excel_serial(value)
            cells.append(f'<c r="{ref}" s="{_DATE}"><v>{serial!r}</v></c>')
        else:
            text = str(value)
            if text:
                cells.append(_text_cell(ref, text, header=False))
    cells.append("</row>")
    return "".join(cells)


def _text_cell(ref: str, text: str, *, header: bool) -> str:
    if len(text) > _MAX_TEXT // 2 and len(text.encode("utf-16-le")) > 2 * _MAX_TEXT:
        text = text.encode("utf-16-le")[: 2 * _MAX_TEXT].decode("utf-16-le", "ignore")
    inert = text[0] in _LEAD_CHARS
    style = (
        (_HEADER_INERT if inert else _HEADER) if header else (_INERT if inert else 0)
    )
    styled = f' s="{style}"' if style else ""
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    text = _xml_text(text)
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _number_cell(ref: str, value: Any) -> str:
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return _text_cell(ref, str(value), header=False)  # Excel has no such number
    shown = str(value) if type(value) is int and abs(value) < 2**53 else repr(number)
    return f'<c r="{ref}"><v>{shown}</v></c>'


def _excel_serial(value: datetime.date) -> float | int:
    if isinstance(value, datetime.datetime):
        delta = value - datetime.datetime(1899, 12, 31)
        serial: float | int = (
            delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
        )
    else:
        serial = (value - datetime.date(1899, 12, 31)).days
    # Excel counts a 29 February 1900, which never was.
    return serial + 1 if serial >= 60 else serial


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
