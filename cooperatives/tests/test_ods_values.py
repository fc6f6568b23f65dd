"""Parsing single cells as real exports give them. DB-free tables."""

import datetime
from decimal import Decimal

import pytest

from cooperatives.ods import values as v
from cooperatives.ods.columns import find_header, header_key, match_header

TODAY = datetime.date(2026, 11, 21)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.250.000", Decimal("1250000.00")),
        ("1,250,000.00", Decimal("1250000.00")),
        ("Rp 1.250.000,-", Decimal("1250000.00")),
        ("Rp. 1.250.000,50", Decimal("1250000.50")),
        ("1.250.000,5", Decimal("1250000.50")),
        ("1250000", Decimal("1250000.00")),
        (1250000, Decimal("1250000.00")),
        (1250000.5, Decimal("1250000.50")),
        ("1.250", Decimal("1250.00")),
        ("1,250", Decimal("1250.00")),
        ("0,5", Decimal("0.50")),
        ("12,5", Decimal("12.50")),
        ("  Rp 2.000  ", Decimal("2000.00")),
        ("-1.500.000", Decimal("-1500000.00")),
        ("(1.500.000)", Decimal("-1500000.00")),
        ("", None),
        (None, None),
    ],
)
def test_money_in_indonesian_and_english_notation(raw, expected):
    assert v.parse_money(raw, allow_negative=True) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "1250000",
        "0001250000",
        "1.250.000",
        "Rp 1.250.000,-",
        "Rp. 1.250.000,00",
        "rp1.250.000",
        " 1,250,000.00 ",
        "1,250,000.5",
        "1.250",
        "0.500",
        "9999999999999999",
        1250000,
        1250000.0,
        -5.0,
        -5,
        0.0,
        2.0**53 - 1,
        1.0e16,
    ],
)
def test_the_common_money_shapes_read_as_the_general_rules_read_them(raw):
    """parse_money reads whole Rupiah in the common shapes directly; the value,
    and its two decimal places, are those of the general rules."""
    general = v.parse_decimal(raw)
    assert general is not None
    if abs(general) > Decimal("9999999999999999.99"):
        with pytest.raises(v.CellError, match="terlalu besar"):
            v.parse_money(raw, allow_negative=True)
        return
    fast = v.parse_money(raw, allow_negative=True)
    assert str(fast) == str(general.quantize(Decimal("0.01")))
    # The plan file writes amounts with str: plain text, no exponent.
    assert str(fast) == format(fast, "f")
    if general < 0:
        with pytest.raises(v.CellError, match="negatif"):
            v.parse_money(raw, allow_negative=False)


def test_money_beyond_the_column_is_an_error_in_every_shape():
    for raw in ("99999999999999999", "99.999.999.999.999.999", 1e17, 10**17):
        with pytest.raises(v.CellError, match="terlalu besar") as refused:
            v.parse_money(raw, allow_negative=True)
        # The limit is said: "Nilai terlalu besar." alone left it to be guessed.
        assert "paling banyak Rp 9.999.999.999.999.999" in str(refused.value)


@pytest.mark.parametrize("raw", ["satu juta", "1.25.000", "Rp", "1,2,3.4.5", True])
def test_text_that_is_not_money_is_an_error(raw):
    with pytest.raises(v.CellError):
        v.parse_money(raw, allow_negative=True)


@pytest.mark.parametrize(
    "raw", ["１２３", "١٢٣٤", "Rp １.２５０.０００", "1.250.০০০", "２０２４-０１-０２"]
)
def test_digits_of_other_scripts_are_no_number(raw):
    # Decimal() and the patterns' \d took them: "１２３" was saved as Rp 123.
    with pytest.raises(v.CellError, match="angka 0–9"):
        v.parse_money(raw, allow_negative=True)
    with pytest.raises(v.CellError):
        v.parse_count(raw)


@pytest.mark.parametrize("raw", ["٣٤٥٦٧٨٩٠١٢٣٤٥٦٧", "¹²³⁴⁵⁶⁷⁸⁹⁰¹²³⁴⁵⁶"])
def test_a_nik_in_digits_of_other_scripts_is_an_error(raw):
    # The import stored them (the registry's NIK check is a form's, not the COPY's).
    with pytest.raises(v.CellError, match="NIK"):
        v.parse_nik(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("１２３４５６７８９０１２３４５６", "1234567890123456"),
        ("6471０００００００００５８１", "6471000000000581"),
        ("6471\u200b999900000042", "6471999900000042"),  # copied from a page
        ("\u20666471999900000042\u2069", "6471999900000042"),
    ],
)
def test_a_nik_copied_with_invisible_or_full_width_characters_reads(raw, expected):
    # Shown as 16 digits, it was told "13 sampai 16 digit angka"; full-width
    # digits are stored as the digits 0-9 they are.
    assert v.parse_nik(raw) == expected


@pytest.mark.parametrize(
    "raw", ["２０２４", "２０２４-０１-０２", "０２/０１/２０２４"]
)
def test_a_date_in_digits_of_other_scripts_is_an_error(raw):
    # "２０２４" was read as the spreadsheet serial 2024: 16 July 1905.
    with pytest.raises(v.CellError):
        v.parse_date(raw, today=datetime.date(2026, 12, 6))


def test_negative_money_is_an_error_where_not_allowed():
    with pytest.raises(v.CellError, match="negatif"):
        v.parse_money("-1.000", allow_negative=False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("120", 120), (120.0, 120), ("1.200", 1200), ("", None), (0, 0)],
)
def test_counts(raw, expected):
    assert v.parse_count(raw) == expected


@pytest.mark.parametrize("raw", ["12,5", -3, "banyak"])
def test_counts_must_be_whole_and_not_negative(raw):
    with pytest.raises(v.CellError):
        v.parse_count(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (datetime.date(2019, 7, 12), datetime.date(2019, 7, 12)),
        (datetime.datetime(2019, 7, 12, 8, 30), datetime.date(2019, 7, 12)),
        (43658.0, datetime.date(2019, 7, 12)),  # Excel serial
        ("43658", datetime.date(2019, 7, 12)),
        ("12/07/2019", datetime.date(2019, 7, 12)),
        ("12-07-2019", datetime.date(2019, 7, 12)),
        ("2019-07-12", datetime.date(2019, 7, 12)),
        ("12 Juli 2019", datetime.date(2019, 7, 12)),
        ("12 JUL 2019", datetime.date(2019, 7, 12)),
        ("1 Agustus 2020", datetime.date(2020, 8, 1)),
        ("3 Nopember 1998", datetime.date(1998, 11, 3)),
        ("", None),
    ],
)
def test_dates_in_every_format_exports_use(raw, expected):
    assert v.parse_date(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12/07/2099", "masa depan"),
        ("31/02/2019", "kalender"),
        ("kemarin", "Format tanggal"),
        ("12 Juliember 2019", "Format tanggal"),
    ],
)
def test_bad_dates_are_explained(raw, message):
    with pytest.raises(v.CellError, match=message):
        v.parse_date(raw, today=TODAY)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6471012345678901", "6471012345678901"),
        (" '6471012345678901 ", "6471012345678901"),
        ("6471 0123 4567 8901", "6471012345678901"),
        (6471012345678901.0, "6471012345678901"),
        (6471012345678901, "6471012345678901"),
        ("6471012345678", "6471012345678"),
    ],
)
def test_nik_as_text_or_number_keeps_every_digit(raw, expected):
    assert v.parse_nik(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12345", "13 sampai 16"),
        ("64710123456789012", "13 sampai 16"),
        ("6,47101E+15", "13 sampai 16"),
        ("6.47101E+15", "notasi ilmiah"),
        (9007199254740993.0, "terlalu panjang"),  # beyond a float's exact integers
        (647101234567.5, "bulat"),
        ("NIK-ABC", "13 sampai 16"),
        ("6471999900000021.0", "angka desimal"),  # a float written as text
    ],
)
def test_a_malformed_or_inexact_nik_is_an_error(raw, message):
    with pytest.raises(v.CellError, match=message):
        v.parse_nik(raw)


@pytest.mark.parametrize("raw", [2019, 2019.0, "2019"])
def test_a_year_alone_is_not_taken_for_an_excel_date_number(raw):
    # Read as a date number, 2019 was 11 July 1905, stored without a word.
    with pytest.raises(v.CellError, match=r"Hanya tahun \(2019\)"):
        v.parse_date(raw, today=TODAY)
    assert v.parse_year(raw, today=TODAY) == 2019


@pytest.mark.parametrize("raw", ["", None, "   "])
def test_a_blank_nik_is_a_cooperative_without_one(raw):
    # Matched on its nomor badan hukum (DECISIONS.md), not refused.
    assert v.parse_nik(raw) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (8123456789.0, "08123456789"),
        ("0812-3456-789", "0812-3456-789"),
        ("", ""),
        # A CSV that Excel saved again holds the number's digits as text.
        ("81219735480", "081219735480"),
        ("6281219735480", "6281219735480"),
    ],
)
def test_a_phone_typed_as_a_number_gets_its_leading_zero_back(raw, expected):
    assert v.parse_phone(raw) == expected


@pytest.mark.parametrize("raw", [1e40, "0" * 33])
def test_a_phone_longer_than_the_registry_keeps_is_refused_in_every_shape(raw):
    # A number cell skipped the limit: PostgreSQL refused the whole apply.
    with pytest.raises(v.CellError, match="maksimal 32"):
        v.parse_phone(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [(2023, 2023), ("2023", 2023), ("12/07/2023", 2023)]
)
def test_year_of_last_rat(raw, expected):
    assert v.parse_year(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2023, 2023),
        ("2023", 2023),
        ("14/03/2025", 2024),
        (datetime.date(2025, 3, 14), 2024),
        (datetime.datetime(2025, 3, 14, 9, 0), 2024),
        ("", None),
    ],
)
def test_the_last_rat_is_the_tahun_buku_a_date_closes(raw, expected):
    # A RAT held on 14 March 2025 closes the books of 2024 (the registry's own
    # export writes the date).
    assert v.parse_rat_year(raw, today=TODAY) == expected


def test_a_future_year_is_an_error():
    with pytest.raises(v.CellError):
        v.parse_year(2030, today=TODAY)


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("NIK", "nik"),
        ("Nomor Induk Koperasi", "nik"),
        ("NAMA KOPERASI", "name"),
        ("No. Badan Hukum", "nomor_badan_hukum"),
        ("no_bh", "nomor_badan_hukum"),
        ("Tgl Badan Hukum", "tanggal_badan_hukum"),
        ("Kelurahan/Desa", "kelurahan"),
        (" kecamatan ", "kecamatan"),
        ("Kabupaten / Kota", "kabkota"),
        ("Modal Sendiri (Rp)", "modal_sendiri"),
        ("ASET", "aset"),
        ("Jumlah Anggota Laki-laki", "members_male"),
        ("Jumlah Anggota Perempuan", "members_female"),
        ("No. HP", "phone"),
        ("E-mail", "email"),
        ("Nama Ketua", "ketua"),
    ],
)
def test_headers_match_tolerantly_and_by_synonym(header, code):
    assert match_header([header]).columns == {code: 0}


def test_unknown_headers_are_listed():
    match = match_header(["NIK", "Nama Koperasi", "Warna Favorit"])
    assert match.unknown == ["Warna Favorit"]


def test_the_header_is_found_below_title_rows():
    rows = [
        ["DATA KOPERASI"],
        ["Tahun Buku 2025"],
        [],
        ["NIK", "Nama Koperasi", "Kecamatan", "Kelurahan", "Jenis Koperasi"],
        ["6471000000000001", "KSP A", "Balikpapan Kota", "Damai", "KSP"],
    ]
    header = find_header(rows)
    assert header is not None
    assert header.row_index == 3
    assert header.missing == []


def test_missing_required_columns_are_named():
    header = find_header([["NIK", "Nama Koperasi", "Alamat"]])
    assert header is not None
    assert header.missing == [
        "Kelurahan",
        "Kecamatan",
        "Jenis Koperasi / Kelompok Koperasi",
    ]


def test_header_keys_ignore_case_spaces_punctuation_and_rp():
    assert header_key(" Modal  Luar (Rp.) ") == header_key("modal_luar") == "modalluar"


@pytest.mark.parametrize(
    "raw", [2025.5, "2025.5", "2025,5", 100.25, "100.25", 100, "12"]
)
def test_a_year_must_be_four_digits_not_a_date_number(raw):
    # 2025.5 was read as an Excel date in July 1905, 100.25 as April 1900: the
    # figures were stored under tahun buku 1905 and 1900 without a word.
    with pytest.raises(v.CellError, match="empat angka"):
        v.parse_year(raw, today=TODAY)


@pytest.mark.parametrize("raw", [2023.5, "2023.5", 2019.999])
def test_a_year_with_a_fraction_is_no_date(raw):
    with pytest.raises(v.CellError, match="bukan tanggal"):
        v.parse_date(raw, today=TODAY)
    # The RAT column takes a year or a date: said so, not "tulis tanggalnya".
    with pytest.raises(v.CellError, match="Tulis tahunnya dengan empat angka"):
        v.parse_rat_year(raw, today=TODAY)


@pytest.mark.parametrize("raw", [1, 100, 100.25, "366", 18263])
def test_a_date_number_before_1950_is_no_cooperative_s_date(raw):
    with pytest.raises(v.CellError, match="Bukan tanggal"):
        v.parse_date(raw, today=TODAY)


def test_a_date_number_of_a_real_date_still_reads():
    assert v.parse_date(18264, today=TODAY) == datetime.date(1950, 1, 1)
    assert v.parse_rat_year("44927", today=TODAY) == 2022  # a RAT on 1 Jan 2023


@pytest.mark.parametrize("raw", ["'2025", " '2025 "])
def test_a_year_typed_as_text_in_excel_keeps_its_quote_and_reads(raw):
    assert v.parse_year(raw, today=TODAY) == 2025
    assert v.parse_rat_year(raw, today=TODAY) == 2025


@pytest.mark.parametrize("raw", ["abc", "２０２４", "tahun lalu"])
def test_a_year_column_without_digits_says_what_a_year_is(raw):
    # It was told about date formats.
    with pytest.raises(v.CellError, match="empat angka"):
        v.parse_year(raw, today=TODAY)


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("Data Keragaan Koperasi Tahun Buku 2024", 2024),
        ("Rekap Tahun: 2025", 2025),
        # A cited law's year is no tahun buku (it had been taken as one).
        ("Data Koperasi sesuai UU No. 25 Tahun 1992", None),
        ("Data sesuai UU Nomor 25 Tahun 1992, Tahun Buku 2024", 2024),
        ("PP 7 Tahun 2021 - Data Tahun 2023", 2023),
    ],
)
def test_the_tahun_buku_of_a_title_is_not_a_cited_law_s_year(title, year):
    from cooperatives.ods.cleaning import year_from_title

    assert year_from_title(title) == year
