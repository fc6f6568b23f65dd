"""Reading a CSV upload: its encoding (UTF-8, the Windows code page of an older
Excel, or UTF-16 "Unicode text"), its separator, and its rows, refused with the
line where a quote left open would swallow the rows after it."""

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from lib.excel import as_before_safe_cell

from .columns import find_header
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
    separators (one fewer than the row has cells, at least twelve): a quote
    opened and not closed on its line, closed by a stray one lines later. The
    rest of that line and the rows after it had become one address, neither
    imported nor said to be refused. An address written over two lines inside
    its quotes holds a few commas, not a row's worth ("Blok A, No. 5, RT 01,
    RW 02, Kel. …, Kec. …, Kota …" has eight). The ministry's files have some
    twenty columns; in a narrow file only a quote that swallows more than a
    line is caught."""
    spread = sum(cell.count(delimiter) for cell in cells if "\n" in cell)
    return spread >= max(12, len(cells) - 1)


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


def csv_table(path: Path, limits: Limits) -> Table:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated.
        content = data.decode("utf-16", errors="replace")
    elif (unmarked := _utf16_without_mark(data)) is not None:
        content = unmarked
    elif _looks_binary(data):
        raise FileRejected(not_spreadsheet_message())
    else:
        content = _decoded(data)
    del data
    if "\r" in content and "\n" not in content:
        # Lines ended by CR alone (Excel for the old Mac): the csv module read the
        # whole file as one line and refused it as a quote never closed.
        content = content.replace("\r", "\n")
    lines = content.splitlines()
    sample = "\n".join(lines[:HEADER_SEARCH_ROWS])
    delimiter = max(_DELIMITERS, key=sample.count)
    top = [cells for _number, cells in _csv_rows(sample, delimiter)]
    header = find_header(top)
    if header is None:
        if not re.search(r"[,;\t]", sample):
            raise FileRejected(not_spreadsheet_message())
        raise FileRejected(no_header_message())

    if len(lines) - header.row_index - 1 > limits.max_rows:
        raise FileRejected(too_many_rows_message(limits.max_rows))

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
        title_text=title_text(top[: header_top(header)]),
        row_count=max(len(lines) - header.row_index - 1, 0),
        rows=rows,
        rows_among=rows_among,
    )
