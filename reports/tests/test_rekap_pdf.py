"""The rekap PDF keeps every table to the page, in either language."""

import pypdfium2
import pytest
from django.db.models import F
from django.utils import translation

from accounts.models import Role
from cooperatives.models import CooperativeFigures
from reports.rekap.files import snapshot_pdf
from tests.personas import make_user

from .rekap_testing import build_registry, freeze

# The page's right margin (pdf.html: 12 mm), in points.
RIGHT_MARGIN = 12 / 25.4 * 72


def rightmost_character(pdf: bytes) -> tuple[float, float]:
    """The right edge of the rightmost character of any page, and the page's
    width, in points."""
    document = pypdfium2.PdfDocument(pdf)
    edge, width = 0.0, 0.0
    try:
        for page in document:
            width = page.get_size()[0]
            text = page.get_textpage()
            for index in range(text.count_chars()):
                edge = max(edge, text.get_charbox(index)[2])
            text.close()
            page.close()
    finally:
        document.close()
    return edge, width


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["R1", "R2"])
def test_the_widest_tables_keep_to_the_page_in_english_too(code):
    # R1's last column ("Not assessed") ran past the page's edge in English,
    # its digits cut off, in the document meant for the Wali Kota.
    build_registry()
    # A city's figures in the trillions, as the office's are: the widest numbers.
    CooperativeFigures.objects.update(aset=F("aset") * 1000, shu=F("shu") * 1000)
    snapshot = freeze(code, make_user("staf-pdf", Role.STAFF))
    for language in ("id", "en"):
        with translation.override(language):
            edge, width = rightmost_character(snapshot_pdf(snapshot))
        assert edge <= width - RIGHT_MARGIN + 0.5, (language, edge, width)


@pytest.mark.django_db
def test_the_xlsx_reads_in_the_language_of_its_page():
    # The English workbook had English title lines over Indonesian headings and
    # a "Jumlah" row.
    import io

    import openpyxl

    from reports.rekap.files import snapshot_xlsx

    build_registry(n=12)
    snapshot = freeze("R1", make_user("staf-xlsx", Role.STAFF))
    with translation.override("en"):
        workbook = openpyxl.load_workbook(io.BytesIO(snapshot_xlsx(snapshot)))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    header = next(row for row in rows if row[0] == "District")
    assert "Active" in header and "Aktif" not in header
    assert rows[-1][0] == "Total"


@pytest.mark.django_db
def test_whole_rupiah_read_whole_and_rp_juta_to_two_decimals():
    # The full-Rupiah sheet showed every amount with ",00".
    import io

    import openpyxl

    from reports.rekap.files import snapshot_xlsx

    build_registry(n=4)
    snapshot = freeze("R1", make_user("staf-format", Role.STAFF))
    workbook = openpyxl.load_workbook(io.BytesIO(snapshot_xlsx(snapshot)))
    formats = {}
    for sheet in workbook.worksheets[:2]:  # the third says what columns count
        header = next(row for row in sheet.iter_rows() if row[0].value == "Kecamatan")
        money = [c.column for c in header if "(Rp" in str(c.value)]
        assert money, sheet.title
        below = sheet.cell(row=header[0].row + 1, column=money[0])
        formats[sheet.title.endswith("(Rp juta)")] = below.number_format
    assert formats == {False: "#,##0", True: "#,##0.00"}


def test_rp_juta_rounds_half_up_as_the_rest_of_the_rekap():
    # Half to even gave 12.625,44 for Rp 12.625.445.000 in the sheet and the PDF.
    from decimal import Decimal

    from reports.rekap.files import in_millions, shown

    assert in_millions(Decimal("12625445000")) == Decimal("12625.45")
    assert in_millions(Decimal("-12625445000")) == Decimal("-12625.45")
    assert shown("12625445000.00", "money", millions=True) == "12.625,45"
    assert shown("-12625445000.00", "money", millions=True) == "-12.625,45"
    with translation.override("en"):
        assert shown("12625445000.00", "money", millions=True) == "12,625.45"
        assert shown("12625445000.00", "money") == "Rp 12.625.445.000"


@pytest.mark.django_db
def test_the_map_lists_the_kecamatan_in_the_rekap_s_own_order():
    # The map's table was alphabetical beside rows, charts and PDF by code.
    from reports.rekap.files import snapshot_region_map

    build_registry()
    snapshot = freeze("R1", make_user("staf-order", Role.STAFF))
    region_map = snapshot_region_map(snapshot)
    assert region_map is not None
    codes = [code for code in snapshot.tables[0]["row_keys"] if code.count(".") == 2]
    assert [row.code for row in region_map.rows] == codes
    assert codes != sorted(codes, key=lambda code: _name(code))


@pytest.mark.django_db
def test_a_region_renamed_since_keeps_its_frozen_name_on_the_map():
    # The sent rekap's rows kept the name as frozen; its map took today's.
    from cooperatives.models import Kecamatan
    from reports.rekap.files import snapshot_region_map

    build_registry()
    snapshot = freeze("R1", make_user("staf-rename", Role.STAFF))
    code = next(c for c in snapshot.tables[0]["row_keys"] if c.count(".") == 2)
    frozen = _name(code)
    Kecamatan.objects.filter(kemendagri_code=code).update(name="Nama Baru")
    region_map = snapshot_region_map(snapshot)
    assert region_map is not None
    names = {row.code: row.name for row in region_map.rows}
    assert names[code] == frozen
    assert "Nama Baru" not in region_map.svg


def _name(code):
    from cooperatives.models import Kecamatan

    return Kecamatan.objects.get(kemendagri_code=code).name
