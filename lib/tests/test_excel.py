import datetime
from decimal import Decimal

import openpyxl
import python_calamine

from lib.excel import safe_cell, write_xlsx


def test_cells_keep_their_type_and_text_is_never_a_formula(tmp_path):
    path = tmp_path / "a.xlsx"
    rows = [
        ['=HYPERLINK("http://x","klik")', 12, Decimal("1250000.50"), None],
        ["http://contoh.id", "", datetime.date(2025, 12, 31), "+62 812"],
    ]
    count = write_xlsx(path, sheet_name="Uji", headers=["a", "b", "c", "d"], rows=rows)
    assert count == 2
    sheet = openpyxl.load_workbook(path).active
    first, second = sheet[2], sheet[3]
    assert first[0].data_type == "s"
    assert first[0].value == '=HYPERLINK("http://x","klik")'
    assert (first[1].value, first[2].value, first[3].value) == (12, 1250000.5, None)
    assert second[0].value == "http://contoh.id" and second[0].hyperlink is None
    assert second[1].value is None
    assert second[2].value == datetime.datetime(2025, 12, 31)
    assert second[2].number_format == "dd/mm/yyyy"
    assert second[3].value == "+62 812" and second[3].data_type == "s"


def test_inert_text_defuses_formula_starts_only():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\tx") == "'\tx"
    assert safe_cell("Koperasi -1") == "Koperasi -1"


def test_the_sheet_reads_back_as_written_in_excel_s_shape(tmp_path):
    # write_xlsx writes SpreadsheetML itself: what Excel (here openpyxl and
    # python-calamine, the import's reader) must find in it.
    path = tmp_path / "a.xlsx"
    rows = [
        [1, True, datetime.datetime(2025, 12, 31, 13, 30), "  spasi depan"],
        [2.5, False, datetime.date(1900, 2, 28), 'baris\nbaru & <tag> "kutip"'],
        [10**17, "nul\x00dan\x1fkendali", datetime.date(1900, 3, 1), "x" * 40000],
    ]
    headers = ["Baris", "=Rumus", "Tanggal", "Teks"]
    assert (
        write_xlsx(path, sheet_name="Baris 'ditolak'", headers=headers, rows=rows) == 3
    )
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet.title == "Baris 'ditolak'"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D4"
    widths = sheet.column_dimensions["A"]  # one range for every column
    assert (widths.min, widths.max, widths.width) == (1, 4, 18.7109375)
    header = sheet[1]
    assert [c.value for c in header] == headers
    assert header[0].font.b and header[0].fill.fgColor.rgb == "FFE9ECEF"
    assert header[1].quotePrefix and not header[0].quotePrefix
    first, second, third = sheet[2], sheet[3], sheet[4]
    assert [c.value for c in first] == [
        1,
        True,
        datetime.datetime(2025, 12, 31, 13, 30),
        "  spasi depan",
    ]
    assert first[2].number_format == "dd/mm/yyyy hh:mm"
    assert [c.value for c in second] == [
        2.5,
        False,
        datetime.datetime(1900, 2, 28),
        'baris\nbaru & <tag> "kutip"',
    ]
    assert second[2].number_format == "dd/mm/yyyy"
    assert third[0].value == 10**17
    assert third[1].value == "nul_x0000_dan_x001F_kendali"  # as Excel escapes them
    assert third[2].value == datetime.datetime(1900, 3, 1)  # past Excel's 29 Feb 1900
    assert third[3].value == "x" * 32767  # Excel's longest text
    read = python_calamine.CalamineWorkbook.from_path(str(path))
    cells = read.get_sheet_by_name("Baris 'ditolak'").to_python()
    assert cells[0] == headers
    assert cells[1][:2] == [1.0, True] and cells[1][3] == "  spasi depan"
    assert cells[2][3] == 'baris\nbaru & <tag> "kutip"'


def test_an_empty_table_still_has_its_header_and_filter(tmp_path):
    path = tmp_path / "a.xlsx"
    assert write_xlsx(path, sheet_name="Kosong", headers=["a", "b"], rows=[]) == 0
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[1]] == ["a", "b"]
    assert sheet.max_row == 1 and sheet.auto_filter.ref == "A1:B2"
