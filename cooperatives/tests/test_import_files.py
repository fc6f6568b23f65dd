"""Files that are not importable get one clear message; DB-free."""

import io
import zipfile
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
import python_calamine
import xlsxwriter

from bench import ods_files
from cooperatives.ods import pieces
from cooperatives.ods.files import FileRejected, Limits, open_table

from .ods_testing import HEADERS, read_in_pieces, row, write_csv, write_xlsx

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


def _csv_lines(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes("\n".join([",".join(HEADERS), *lines]).encode(encoding))
    return path


def test_a_quote_left_open_refuses_the_file_with_its_line(tmp_path):
    # The next row became part of this one's address, then a stray quote
    # closed it: "2 koperasi baru, 0 bermasalah" for a file of three.
    cells = [
        ",".join(map(str, row(f"647199990000091{i}", f"Kop {i}"))) for i in (0, 1, 2)
    ]
    cells[0] = cells[0].replace("Jl. Jenderal Sudirman", '"Jl. Merdeka No. 5')
    cells[1] = cells[1].replace("Jl. Jenderal Sudirman", 'Jl. Sudirman"')
    with pytest.raises(FileRejected) as caught:
        list(open_table(_csv_lines(tmp_path / "a.csv", cells), limits=LIMITS).rows())
    message = str(caught.value)
    assert "tanda petik" in message and "baris 2" in message, message
    # An address written on two lines inside its quotes still reads.
    two_lines = [",".join(map(str, row("6471999900000920", "Kop Dua Baris")))]
    # with as many commas as Indonesian addresses have (the probe's had six).
    address = (
        "Jl. Mulawarman No. 5, Blok A,\nRT 01, RW 02, Kel. Gunung Samarinda, "
        "Kec. Balikpapan Utara, Kota Balikpapan, Kaltim"
    )
    two_lines[0] = two_lines[0].replace("Jl. Jenderal Sudirman", f'"{address}"')
    table = open_table(_csv_lines(tmp_path / "b.csv", two_lines), limits=LIMITS)
    cells = next(table.rows())[1]
    assert cells[4] == address


def test_a_narrow_csv_keeps_an_address_of_many_commas_over_two_lines(tmp_path):
    # Five columns, eight commas in the address: refused as an open quote.
    address = (
        "Komplek Ruko Bandar, Blok A, No. 5,\nRT 01, RW 02, Kel. Klandasan Ulu, "
        "Kec. Balikpapan Kota, Kota Balikpapan, Kaltim 76111"
    )
    path = tmp_path / "a.csv"
    path.write_text(
        "NIK,Nama Koperasi,Alamat,Kelurahan,Kecamatan\n"
        f'6471000000000301,KSP Lima,"{address}",Klandasan Ulu,Balikpapan Kota\n'
    )
    table = open_table(path, limits=LIMITS)
    assert [cells[2] for _n, cells in table.rows()] == [address]


def test_a_csv_with_lines_ended_by_cr_alone_reads(tmp_path):
    # Excel for the old Mac: refused as "tanda petik yang tidak ditutup".
    path = tmp_path / "a.csv"
    lines = [",".join(HEADERS), ",".join(map(str, row("6471000000000401", "KSP CR")))]
    path.write_bytes("\r".join(lines).encode())
    table = open_table(path, limits=LIMITS)
    assert [cells[1] for _n, cells in table.rows()] == ["KSP CR"]


def test_utf8_with_one_stray_byte_is_refused_not_read_as_the_code_page(tmp_path):
    # One byte that was not UTF-8 made the whole file read as cp1252:
    # "Koperasi KafÃ© Ã–lÃ§Ã¼" stored without a word.
    good = ",".join(map(str, row("6471999900000930", "Koperasi Kafé Ölçü")))
    bad = ",".join(map(str, row("6471999900000931", "Koperasi X")))
    path = tmp_path / "a.csv"
    path.write_bytes(
        "\n".join([",".join(HEADERS), good]).encode()
        + b"\n"
        + bad.encode()[:-3]
        + b"\xe9"
        + bad.encode()[-3:]
    )
    message = _rejected(path)
    assert "bukan UTF-8" in message and "baris 3" in message, message
    # An encoded lone surrogate too.
    path.write_bytes(
        ",".join(HEADERS).encode() + b"\n" + bad.encode() + b"\xed\xa0\x80"
    )
    assert "baris 2" in _rejected(path)
    # A file of the code page alone still reads as one.
    old = _csv_lines(tmp_path / "b.csv", [good.replace("Ölçü", "Jaya")], "cp1252")
    assert next(open_table(old, limits=LIMITS).rows())[1][1] == "Koperasi Kafé Jaya"


def test_a_cell_merged_down_gives_its_value_to_the_rows_it_covers(tmp_path):
    # Kecamatan merged over three cooperatives: the two lower rows had been
    # refused as "Kecamatan kosong" though the sheet shows it beside them.
    path = tmp_path / "a.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Data Koperasi"])
    sheet.append(HEADERS)
    for i in range(4):
        sheet.append(row(f"647100000000010{i}", f"KSP {i}"))
    column = HEADERS.index("Kecamatan") + 1
    for number in (4, 5):
        sheet.cell(number, column).value = None
    sheet.merge_cells(start_row=3, start_column=column, end_row=5, end_column=column)
    workbook.save(path)
    table = open_table(path, limits=LIMITS)
    at = table.header.columns["kecamatan"]
    read = {number: cells[at] for number, cells in table.rows()}
    assert read == {n: "Kec. Balikpapan Kota" for n in (3, 4, 5, 6)}
    assert ["merged", {"count": 2, "rows": [4, 5]}] in table.notices
    from cooperatives.imports.notices import notice_texts

    said = notice_texts([["merged", {"count": 2, "rows": [4, 5]}]])
    assert "2 baris (misalnya baris 4, 5) berada di bawah sel gabungan" in said[0]
    # Re-read for the rejected-rows file too.
    assert [c[at] for _n, c in table.rows_among({5})] == ["Kec. Balikpapan Kota"]


def test_a_merge_over_a_whole_column_fills_only_the_rows_with_data(tmp_path):
    # A merge far below the data had made a fill entry for every row it covers
    # (374 MB for one down to row 1,048,576, and "1.048.572 baris" in the
    # notice); one over a column the import does not read filled it anyway.
    path = tmp_path / "a.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([*HEADERS, "Catatan"])
    for i in range(3):
        sheet.append([*row(f"647100000000020{i}", f"KSP {i}"), "x"])
    column = HEADERS.index("Kecamatan") + 1
    sheet.merge_cells(start_row=2, start_column=column, end_row=5000, end_column=column)
    notes = len(HEADERS) + 1
    sheet.merge_cells(start_row=2, start_column=notes, end_row=4, end_column=notes)
    workbook.save(path)
    table = open_table(path, limits=LIMITS)
    at = table.header.columns["kecamatan"]
    assert [c[at] for _n, c in table.rows()] == ["Kec. Balikpapan Kota"] * 3
    assert ["merged", {"count": 2, "rows": [3, 4]}] in table.notices


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


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbf<html><body><table><tr><td>NIK</td></tr></table></body></html>",
        b"<!DOCTYPE html>\n<html>",
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:'
        b'spreadsheet">',
    ],
)
def test_a_web_page_or_xml_spreadsheet_named_xls_says_what_it_is(tmp_path, content):
    # They got only "bukan spreadsheet yang dapat dibaca", which did not say how
    # to make one of the file.
    (tmp_path / "a.xls").write_bytes(content)
    message = _rejected(tmp_path / "a.xls")
    assert "halaman web atau XML Spreadsheet 2003" in message
    assert "Excel Workbook (.xlsx)" in message


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


# --- a large worksheet read in pieces (cooperatives/ods/pieces.py) -------------------


def _by_column(table):
    """Each non-blank row as (number, {header code: cell}): what the cleaning sees."""
    read = []
    for number, cells in table.rows():
        values = {
            code: cells[index] if index < len(cells) else ""
            for code, index in table.header.columns.items()
        }
        if any(value not in ("", None) for value in values.values()):
            read.append((number, values))
    return read


@pytest.mark.parametrize("saved_by", ["xlsxwriter", "openpyxl"])
def test_a_large_sheet_read_in_pieces_gives_the_same_rows(tmp_path, saved_by):
    path = ods_files.write(tmp_path / "messy.xlsx", 400, error_percent=10)
    if saved_by == "openpyxl":  # another writer's XML: attributes, strings, styles
        workbook = openpyxl.load_workbook(path)
        path = tmp_path / "messy-openpyxl.xlsx"
        workbook.save(path)
    whole = open_table(path, limits=LIMITS)
    with read_in_pieces(8 * 1024) as made:
        cut = open_table(path, limits=LIMITS)
        (found,) = made[0].values()
    assert len(found.names) >= 5  # really read in pieces
    assert cut.header.columns == whole.header.columns
    assert (cut.header_row_number, cut.row_count) == (
        whole.header_row_number,
        whole.row_count,
    )
    assert cut.title_text == whole.title_text
    expected = _by_column(whole)
    assert len(expected) == 400
    assert _by_column(cut) == expected
    # A second pass (the preview makes one for rows rejected late) reads them again.
    assert _by_column(cut) == expected


def test_some_rows_again_parse_only_the_pieces_that_hold_them(tmp_path):
    # The rows of a repeated NIK or a conflict come back from another pass; a
    # piece none of them is in is not parsed again.
    path = ods_files.write(tmp_path / "messy.xlsx", 400, error_percent=10)
    with read_in_pieces(8 * 1024) as made:
        table = open_table(path, limits=LIMITS)
        (found,) = made[0].values()
    every = dict(table.rows())
    first_rows = found.first_rows
    assert len(first_rows) == len(found.names) >= 5
    assert first_rows == sorted(first_rows) and first_rows[0] > min(every)
    # a row of the worksheet itself, the first row of a piece and the last row
    # of another
    wanted = {min(every) + 1, first_rows[1], first_rows[3] - 1}
    parsed = []
    sheet_by_name = python_calamine.CalamineWorkbook.get_sheet_by_name

    def counted(workbook, name):
        parsed.append(name)
        return sheet_by_name(workbook, name)

    with mock.patch.object(
        python_calamine.CalamineWorkbook, "get_sheet_by_name", counted
    ):
        again = list(table.rows_among(wanted))
    assert again == [(number, every[number]) for number in sorted(wanted)]
    assert parsed == [found.names[1], found.names[2]]
    assert list(table.rows_among(set())) == []


def test_pieces_keep_cells_in_their_columns_wherever_a_piece_starts(
    tmp_path, monkeypatch
):
    # The header starts in column B; some rows have a note in column A, left of
    # every header, and a run of rows leaves columns A and B (NIK) blank. Each
    # piece's cells start at its own leftmost cell, yet must land under the same
    # headers as when the sheet is read whole.
    path = tmp_path / "a.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    sheet.write_row(0, 1, HEADERS)
    for number in range(1, 301):
        values = row(f"6471{number:012d}", f"KSP {number}")
        if 120 <= number < 200:
            sheet.write_row(number, 2, values[1:])  # no NIK in this stretch
        else:
            sheet.write_row(number, 1, values)
        if number >= 250:
            sheet.write(number, 0, "catatan")
    # Formatted rows without cells below the data are no rows of it.
    shaded = workbook.add_format({"bg_color": "#EEEEEE"})
    for number in range(301, 320):
        sheet.set_row(number, None, shaded)
    workbook.close()
    whole = open_table(path, limits=LIMITS)
    monkeypatch.setattr(pieces, "PIECE_BYTES", 4 * 1024)
    cut = open_table(path, limits=LIMITS)
    assert cut.row_count == whole.row_count == 300
    expected = _by_column(whole)
    assert len(expected) == 300
    assert expected[130][1]["nik"] == "" and expected[130][1]["name"] == "KSP 131"
    assert _by_column(cut) == expected
    # Rows taken again one by one sit in the same columns as well.
    every = dict(cut.rows())
    some = {2, 131, 255, 301}
    assert list(cut.rows_among(some)) == [(n, every[n]) for n in sorted(some)]


def test_a_sheet_whose_rows_carry_no_numbers_is_read_whole():
    # Without a row's number calamine would count a piece's rows from its start.
    rows = b"".join(
        b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' for _ in range(500)
    )
    xml = b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>"
    with mock.patch.object(pieces, "PIECE_BYTES", 1024):
        assert pieces._cut(xml) is None
        numbered = xml.replace(b"<row>", b'<row r="1">')
        assert pieces._cut(numbered) is not None


def test_a_broken_row_in_a_later_piece_rejects_the_file_as_a_whole_read_does(
    tmp_path, monkeypatch
):
    good = ods_files.write(tmp_path / "baik.xlsx", 300)
    path = tmp_path / "rusak.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet2.xml":  # the data sheet
                end = data.find(b"</row>", data.find(b'<row r="250"'))
                data = data[:end] + b'<c r="A250"><v>1</c>' + data[end:]
            target.writestr(name, data)
    message = _rejected(path)
    monkeypatch.setattr(pieces, "PIECE_BYTES", 4 * 1024)
    table = open_table(path, limits=LIMITS)  # the first piece is sound
    with pytest.raises(FileRejected) as caught:
        list(table.rows())
    assert str(caught.value) == message


def test_a_workbook_already_using_a_piece_s_name_is_read_whole(tmp_path):
    path = tmp_path / "a.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("_potongan_0_1").write(0, 0, "catatan")
    sheet = workbook.add_worksheet("Data")
    sheet.write_row(0, 0, HEADERS)
    for number in range(1, 301):
        sheet.write_row(number, 0, row(f"6471{number:012d}", f"KSP {number}"))
    workbook.close()
    with read_in_pieces(4 * 1024) as made:
        table = open_table(path, limits=LIMITS)
    assert made == [{}]
    assert table.sheet_name == "Data"
    assert len(_by_column(table)) == 300


def test_a_header_on_two_rows_reads_its_groups_and_parts(tmp_path):
    # Offices' own sheets group columns under a merged cell: "Jumlah Anggota"
    # over "Pria" and "Wanita", "Modal" over "Sendiri" and "Luar", with the other
    # labels merged down over both rows. The lower row alone lost the groups.
    path = tmp_path / "dua-baris.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    sheet.write(0, 0, "Data Koperasi Tahun Buku 2024")
    single = ["NIK", "Nama Koperasi", "Kelurahan", "Kecamatan", "Jenis Koperasi"]
    for column, label in enumerate(single):
        sheet.merge_range(2, column, 3, column, label)
    sheet.merge_range(2, 5, 2, 6, "Jumlah Anggota")
    sheet.write_row(3, 5, ["Pria", "Wanita"])
    sheet.merge_range(2, 7, 2, 8, "Modal")
    sheet.write_row(3, 7, ["Sendiri", "Luar"])
    sheet.write(2, 9, "Aset")
    sheet.write_row(
        4, 0, ["6471000000000001", "KSP A", "Damai", "Balikpapan Kota", "Konsumen"]
    )
    sheet.write_row(4, 5, [10, 12, 1000, 500, 2000])
    workbook.close()
    table = open_table(path, limits=LIMITS)
    columns = table.header.columns
    assert columns["members_male"] == 5 and columns["members_female"] == 6
    assert columns["modal_sendiri"] == 7 and columns["modal_luar"] == 8
    assert columns["nik"] == 0 and columns["aset"] == 9
    assert table.header.unknown == []
    assert table.header_row_number == 4
    assert table.header_cells[5:9] == [
        "Jumlah Anggota Pria",
        "Jumlah Anggota Wanita",
        "Modal Sendiri",
        "Modal Luar",
    ]
    assert "2024" in table.title_text and "Jumlah" not in table.title_text
    assert [number for number, _cells in table.rows()] == [5]


def test_a_header_on_one_row_under_a_title_is_still_read_as_one(tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx", [row("6471000000000001", "KSP A")], title="Judul"
    )
    table = open_table(path, limits=LIMITS)
    assert table.header.labels is None
    assert table.header_cells == HEADERS
