import datetime
from decimal import Decimal

import openpyxl

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


def test_a_header_from_an_uploaded_file_stays_text_when_edited(tmp_path):
    # The rejected rows keep the uploaded file's columns, a header among them.
    path = tmp_path / "ditolak.xlsx"
    headers = ["nama", '=HYPERLINK("http://evil","hdr")', "@SUM(A1)"]
    write_xlsx(path, sheet_name="Uji", headers=headers, rows=[["a", "b", "c"]])
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].quotePrefix is False
    assert sheet["B1"].value == '=HYPERLINK("http://evil","hdr")'
    assert sheet["B1"].data_type == "s" and sheet["B1"].quotePrefix is True
    assert sheet["C1"].quotePrefix is True and sheet["C1"].font.b


def test_inert_text_defuses_formula_starts_only():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\tx") == "'\tx"
    assert safe_cell("Koperasi -1") == "Koperasi -1"
    # Excel with ";" as its list separator (the Indonesian locale) splits a .csv
    # at semicolons too: each part that would start a formula is made inert.
    assert safe_cell("Koperasi Uji;=1+1;x") == "Koperasi Uji;'=1+1;x"
    assert safe_cell("a;  @SUM(1);-2") == "a;  '@SUM(1);'-2"
    assert safe_cell("Jl. A; No. 5") == "Jl. A; No. 5"


def test_title_lines_stand_above_a_frozen_filtered_header(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx(
        path,
        sheet_name="Data",
        headers=["Nama", "Jumlah"],
        rows=[["KSP A", 3]],
        title=["Pemutakhiran 2025 — Hasil", "=Dinas", "Keadaan per 6 Desember 2026"],
    )
    sheet = openpyxl.load_workbook(path).active
    assert [sheet.cell(row=r, column=1).value for r in (1, 2, 3, 4, 5, 6)] == [
        "Pemutakhiran 2025 — Hasil",
        "=Dinas",
        "Keadaan per 6 Desember 2026",
        None,
        "Nama",
        "KSP A",
    ]
    assert sheet.cell(row=2, column=1).data_type != "f"
    assert sheet.freeze_panes == "A6"
    assert sheet.auto_filter.ref == "A5:B6"
