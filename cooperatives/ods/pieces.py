"""A large .xlsx worksheet read in pieces: each piece is parsed while the rows of the
one before are cleaned.

python-calamine parses a worksheet without holding the GIL, so a thread can parse
while Python works; but it parses a worksheet whole, and for a 150,000-row export
that took 2.5 s during which the cleaning waited. ``split_workbook`` writes a copy
of the workbook in which a large worksheet keeps only its first rows and the rest
follows in extra worksheets of about ``PIECE_BYTES`` each, cut between rows. Shared
strings and styles stay one copy, so calamine reads them once. Every piece keeps
its rows' numbers (the ``r`` attributes), so each row and cell sits where it sat.

Only a worksheet in the plain shape that Excel, LibreOffice and the ministry's
export write is cut; anything else (namespace prefixes, rows without numbers) is
left whole and read as before.
"""

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

# About 18,000 rows of a 29-column export per piece.
PIECE_BYTES = 16 * 1024 * 1024
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_WORKSHEET_TYPE = _RELATIONSHIPS + "/worksheet"
_WORKSHEET_CONTENT = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
)
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_DIMENSION = re.compile(rb"<dimension\s[^>]*/>")


@dataclass
class Pieces:
    """What ``split_workbook`` made of one worksheet."""

    names: list[str]  # the extra worksheets holding its rows after the first piece
    last_row: int  # the number of its last row (1-based), as the spreadsheet has it
    # the number of the first row of each of ``names``: piece k holds the rows from
    # first_rows[k] up to first_rows[k + 1] (not included)
    first_rows: list[int]


def split_workbook(source: Path, target: Path) -> dict[str, Pieces]:
    """Write to ``target`` a copy of the .xlsx ``source`` in which each worksheet
    larger than two pieces is cut (see the module). Returns the cut worksheets by
    name; when there is none, ``target`` is not written and the result is empty.
    Cost: reading the worksheet's XML once and writing it back uncompressed."""
    with zipfile.ZipFile(source) as archive:
        sheets = _worksheet_parts(archive)
        large = {
            name: part
            for name, part in sheets.items()
            if archive.getinfo(part).file_size >= 2 * PIECE_BYTES
        }
        if not large:
            return {}
        workbook = archive.read("xl/workbook.xml")
        prefix = _relationships_prefix(workbook)
        if prefix is None or b"</sheets>" not in workbook:
            return {}
        cut: dict[str, _Cut] = {}
        for name, part in large.items():
            found = _cut(archive.read(part))
            if found is not None:
                cut[name] = found
        if not cut:
            return {}
        result: dict[str, Pieces] = {}
        new_sheets: list[tuple[str, str, str]] = []  # (name, relationship id, part)
        for index, (name, found) in enumerate(cut.items()):
            names = []
            for number in range(1, len(found.bounds) - 1):
                piece_name = f"_potongan_{index}_{number}"
                names.append(piece_name)
                new_sheets.append(
                    (
                        piece_name,
                        f"rIdPotongan{index}x{number}",
                        f"xl/worksheets/{piece_name}.xml",
                    )
                )
            result[name] = Pieces(names, found.last_row, found.first_rows[1:])
        # Names the workbook already uses are never reused: it is then read whole.
        relationships = archive.read("xl/_rels/workbook.xml.rels")
        parts = set(archive.namelist())
        if any(
            name in sheets or part in parts or rid.encode() in relationships
            for name, rid, part in new_sheets
        ):
            return {}
        # What the workbook's index files get for the new worksheets, each just
        # before its closing tag.
        added = {
            "xl/workbook.xml": (
                b"</sheets>",
                [
                    f'<sheet name="{name}" sheetId="{9000 + i}" {prefix}:id="{rid}"/>'
                    for i, (name, rid, _part) in enumerate(new_sheets)
                ],
            ),
            "xl/_rels/workbook.xml.rels": (
                b"</Relationships>",
                [
                    f'<Relationship Id="{rid}" Type="{_WORKSHEET_TYPE}" '
                    f'Target="/{part}"/>'
                    for _name, rid, part in new_sheets
                ],
            ),
            "[Content_Types].xml": (
                b"</Types>",
                [
                    f'<Override PartName="/{part}" ContentType="{_WORKSHEET_CONTENT}"/>'
                    for _name, _rid, part in new_sheets
                ],
            ),
        }
        parts_of_cut = {large[name]: name for name in cut}
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
            for info in archive.infolist():
                if info.filename in parts_of_cut:
                    cut[parts_of_cut[info.filename]].write(out, info.filename, 0)
                    continue
                data = archive.read(info.filename)
                if info.filename in added:
                    closing, elements = added[info.filename]
                    data = data.replace(
                        closing, "".join(elements).encode() + closing, 1
                    )
                out.writestr(info.filename, data)
            pieces_in_order = (
                (found, number)
                for found in cut.values()
                for number in range(1, len(found.bounds) - 1)
            )
            for (_name, _rid, part), (found, number) in zip(
                new_sheets, pieces_in_order, strict=True
            ):
                found.write(out, part, number)
    return result


def _worksheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> its part in the archive (``xl/worksheets/sheet2.xml``)."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relationships = ElementTree.fromstring(
            archive.read("xl/_rels/workbook.xml.rels")
        )
    except (KeyError, ElementTree.ParseError):
        return {}
    targets: dict[str | None, str] = {}
    for relationship in relationships.iter(f"{{{_PACKAGE_RELATIONSHIPS}}}Relationship"):
        if relationship.get("Type") != _WORKSHEET_TYPE:
            continue
        target = relationship.get("Target", "")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = str(PurePosixPath("xl") / target)
        targets[relationship.get("Id")] = part
    names = set(archive.namelist())
    parts = {}
    for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
        found = targets.get(sheet.get(f"{{{_RELATIONSHIPS}}}id"))
        if found is not None and found in names:
            parts[sheet.get("name", "")] = found
    return parts


def _relationships_prefix(workbook: bytes) -> str | None:
    match = re.search(rb'xmlns:(\w+)="' + _RELATIONSHIPS.encode() + rb'"', workbook)
    return match.group(1).decode() if match else None


@dataclass
class _Cut:
    xml: bytes
    head: bytes  # the worksheet up to and with <sheetData>, for every piece
    tail: bytes  # from </sheetData> on
    bounds: list[int]  # piece k is xml[bounds[k]:bounds[k + 1]]
    last_row: int
    first_rows: list[int]  # the number of the first row of piece k, from piece 1

    def write(self, archive: zipfile.ZipFile, part: str, number: int) -> None:
        """Piece ``number`` as a whole worksheet, without copying the rows."""
        rows = memoryview(self.xml)[self.bounds[number] : self.bounds[number + 1]]
        with archive.open(part, "w", force_zip64=True) as handle:
            handle.write(self.head)
            handle.write(rows)
            handle.write(self.tail)


def _cut(xml: bytes) -> _Cut | None:
    """Where to cut the worksheet ``xml``; None when it is not in the plain shape
    that can be cut safely, or too small to be worth it."""
    start = xml.find(b"<sheetData>")
    end = xml.rfind(b"</sheetData>")
    if start < 0 or end < start:
        return None
    start += len(b"<sheetData>")
    # A piece gives calamine the size of the whole sheet no longer.
    head = _DIMENSION.sub(b"", xml[:start])
    # The last row with a cell: rows after it that only carry formatting are
    # not data (calamine does not count them either).
    last_cell = xml.rfind(b"<c ", start, end)
    last_cell = max(last_cell, xml.rfind(b"<c>", max(last_cell, start), end))
    last_row = _number_of_row_at(xml, xml.rfind(b"<row ", start, max(last_cell, start)))
    if last_row is None:
        return None
    bounds = [start]
    first_rows = [0]  # piece 0 is the worksheet itself
    count = max((end - start) // PIECE_BYTES, 1)
    for k in range(1, count):
        at = xml.find(b"<row ", start + (end - start) * k // count, end)
        if at < 0 or at <= bounds[-1]:
            break
        # A row without its number would be numbered from the piece's start.
        number = _number_of_row_at(xml, at)
        if number is None:
            return None
        bounds.append(at)
        first_rows.append(number)
    bounds.append(end)
    if len(bounds) < 3:
        return None
    return _Cut(xml, head, xml[end:], bounds, last_row, first_rows)


def _number_of_row_at(xml: bytes, at: int) -> int | None:
    if at < 0:
        return None
    tag_end = xml.find(b">", at)
    match = _ROW_NUMBER.search(xml, at, tag_end)
    return int(match.group(1)) if match else None


# A cell with a formula: its reference and what it holds up to its end.
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]+)"[^>]*?(?<!/)>(.*?)</c>', re.S)
_CACHED_VALUE = re.compile(rb"<v>[^<]")
_SCAN_BYTES = 4 * 1024 * 1024
# How much of a worksheet is looked at: a column of formulas shows in its first
# rows, and the whole of a 150,000-row sheet took 1.4 s to unpack.
_SCAN_LIMIT = 8 * 1024 * 1024


def formulas_without_values(source: Path, sheet: str) -> tuple[int, str]:
    """How many formula cells among the first rows (``_SCAN_LIMIT`` bytes of XML)
    of worksheet ``sheet`` hold no value saved with them (a file a program wrote
    without computing it), and the first one's reference. Such a cell reads as
    blank. Cost: unpacking those bytes, a regular expression only over the
    stretches that hold a formula."""
    count, first = 0, ""
    with zipfile.ZipFile(source) as archive:
        part = _worksheet_parts(archive).get(sheet)
        if part is None:
            return 0, ""
        with archive.open(part) as stream:
            carry = b""
            read = 0
            while read < _SCAN_LIMIT and (chunk := stream.read(_SCAN_BYTES)):
                read += len(chunk)
                data = carry + chunk
                cut = data.rfind(b"</c>") + 4  # whole cells only; the rest waits
                if cut < 4:
                    carry = data
                    continue
                whole, carry = data[:cut], data[cut:]
                if b"<f" not in whole:
                    continue
                for match in _FORMULA_CELL.finditer(whole):
                    inside = match.group(2)
                    if b"<f" in inside and not _CACHED_VALUE.search(inside):
                        count += 1
                        first = first or match.group(1).decode()
    return count, first
