"""Files that are not importable get one clear message; DB-free."""

import io
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from bench import ods_files
from cooperatives.ods.files import FileRejected, Limits, open_table

from .ods_testing import HEADERS, row, write_csv, write_xlsx

LIMITS = Limits(
    max_bytes=5 * 1024 * 1024, max_uncompressed_bytes=50 * 1024 * 1024, max_rows=10_000
)


def test_the_header_sheet_is_found_among_several_sheets(tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [row("6471000000000001", "KSP A")],
        title="Data Koperasi Tahun Buku 2024",
    )
    table = open_table(path, limits=LIMITS)
    assert table.sheet_name == "Data Koperasi"
    assert table.header_row_number == 3
    assert "2024" in table.title_text
    numbers = [number for number, _cells in table.rows()]
    assert numbers == [4]


@pytest.mark.parametrize(("delimiter", "encoding"), [(";", "utf-8"), (",", "cp1252")])
def test_csv_with_either_separator_and_encoding(tmp_path, delimiter, encoding):
    path = write_csv(
        tmp_path / "a.csv",
        [row("6471000000000001", "Koperasi Café")],
        delimiter=delimiter,
        encoding=encoding,
    )
    table = open_table(path, limits=LIMITS)
    cells = next(table.rows())[1]
    assert cells[1] == "Koperasi Café"


def test_the_generated_messy_file_reads(tmp_path):
    path = ods_files.write(tmp_path / "messy.xlsx", 50, error_percent=10)
    table = open_table(path, limits=LIMITS)
    assert table.header.missing == []
    assert len(list(table.rows())) == 50


def _rejected(path: Path, limits: Limits = LIMITS) -> str:
    with pytest.raises(FileRejected) as caught:
        open_table(path, limits=limits)
    return str(caught.value)


def test_an_empty_file(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"")
    assert "kosong" in _rejected(tmp_path / "a.xlsx")


def test_a_file_over_the_size_limit(tmp_path):
    path = write_csv(tmp_path / "a.csv", [row("6471000000000001", "KSP A")] * 50)
    small = Limits(max_bytes=1024, max_uncompressed_bytes=1, max_rows=10)
    assert "terlalu besar" in _rejected(path, small)


def test_a_pdf_or_image_renamed_to_xlsx(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"%PDF-1.7\n" + b"\x00" * 100)
    assert "bukan spreadsheet" in _rejected(tmp_path / "a.xlsx")


def test_a_word_document(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    (tmp_path / "a.xlsx").write_bytes(buffer.getvalue())
    assert "bukan spreadsheet" in _rejected(tmp_path / "a.xlsx")


def test_a_corrupt_zip(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"PK\x03\x04" + b"rusak" * 100)
    assert "bukan spreadsheet" in _rejected(tmp_path / "a.xlsx")


def test_a_macro_enabled_workbook(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [row("6471000000000001", "KSP A")])
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 10)
    assert "makro" in _rejected(path)


def test_a_password_protected_workbook(tmp_path):
    # Excel wraps an encrypted workbook in an OLE file with an EncryptedPackage.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    body = "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
    (tmp_path / "a.xlsx").write_bytes(header + body + b"\x00" * 1024)
    assert "kata sandi" in _rejected(tmp_path / "a.xlsx")


def test_a_decompression_bomb(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    assert "bom dekompresi" in _rejected(path)


def test_a_sheet_without_the_required_header(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["x", "y"]], headers=["Warna", "Rasa"])
    assert "judul kolom tidak ditemukan" in _rejected(path)


def test_too_many_rows(tmp_path):
    path = write_csv(tmp_path / "a.csv", [row("6471000000000001", "KSP A")] * 30)
    few = Limits(max_bytes=LIMITS.max_bytes, max_uncompressed_bytes=1, max_rows=5)
    assert "lebih dari 5 baris" in _rejected(path, few)


def test_row_numbers_are_the_spreadsheets_when_the_first_rows_are_blank(tmp_path):
    # calamine starts a sheet's rows at row 1 even when its first cell is lower
    # down; the numbers in messages must still be the ones Excel shows.
    path = tmp_path / "a.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    sheet.write(1, 0, "Data Koperasi Tahun Buku 2024")  # row 2; row 1 is blank
    sheet.write_row(3, 0, HEADERS)  # row 4
    sheet.write_row(4, 0, row("6471000000000001", "KSP A"))  # row 5
    sheet.write_row(6, 0, row("6471000000000002", "KSP B"))  # row 7; row 6 blank
    workbook.close()
    table = open_table(path, limits=LIMITS)
    assert table.header_row_number == 4
    assert "2024" in table.title_text
    assert table.row_count == 3
    read = [(number, cells[1]) for number, cells in table.rows() if any(cells)]
    assert read == [(5, "KSP A"), (7, "KSP B")]
