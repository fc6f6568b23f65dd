"""Every .xlsx and .csv the app writes is safe to open: no user text becomes a
formula (OWASP CSV injection: a leading ``=``, ``+``, ``-``, ``@``, tab or CR)."""

import csv
import datetime
import io
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import openpyxl
import xlsxwriter
from django.test import SimpleTestCase
from django.urls import reverse

from cooperatives.models import Kecamatan
from cooperatives.tests.ods_testing import preview_upload, row, write_xlsx
from lib.excel import CellFormats, safe_cell, write_row
from reports.models import ReportRun
from tests.personas import PersonaTestCase, make_cooperative

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    # Full-width: a spreadsheet set for East Asian input makes them formulas.
    "\uff1d3+3",
    "\uff0b1+1",
    "\uff0d1+1",
    "\uff20SUM(1)",
]
LEADS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def assert_xlsx_safe(content: bytes) -> int:
    """Fails on a formula cell or a text with a formula lead not marked as text;
    returns how many hostile texts were found (each inert)."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    inert = 0
    for sheet in workbook.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                if isinstance(cell.value, str) and _text(cell.value).startswith(LEADS):
                    assert cell.quotePrefix, (cell.coordinate, cell.value)
                    inert += 1
    return inert


def _text(value: str) -> str:
    # openpyxl leaves the XML escape of a carriage return as it is; Excel reads a CR.
    return value.replace("_x000D_", "\r")


def assert_csv_safe(content: bytes) -> int:
    inert = 0
    for line in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")):
        for value in line:
            if value.startswith("'") and value[1:].startswith(LEADS):
                inert += 1
            assert not value.startswith(LEADS) or PLAIN_NUMBER.match(value), value
    return inert


class CellWriterTests(PersonaTestCase):
    def test_safe_cell_escapes_every_formula_lead_and_keeps_types(self):
        for text in HOSTILE:
            assert safe_cell(text) == "'" + text
        assert safe_cell("Koperasi Maju") == "Koperasi Maju"
        assert safe_cell(None) == ""
        assert safe_cell(-5) == -5
        assert safe_cell(Decimal("-1.5")) == Decimal("-1.5")
        day = datetime.date(2026, 1, 2)
        assert safe_cell(day) == day

    def test_write_row_keeps_numbers_and_dates_typed_and_text_inert(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "uji.xlsx"
            workbook = xlsxwriter.Workbook(str(path))
            sheet = workbook.add_worksheet()
            formats = CellFormats(workbook)
            values = [-5, Decimal("1250000.50"), datetime.date(2026, 1, 2), *HOSTILE]
            write_row(sheet, 0, values, formats)
            workbook.close()
            content = path.read_bytes()
        assert assert_xlsx_safe(content) == len(HOSTILE)
        cells = next(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows())
        assert cells[0].value == -5 and cells[1].value == 1250000.5
        assert cells[2].value == datetime.datetime(2026, 1, 2)
        assert [_text(c.value) for c in cells[3:]] == HOSTILE


class EveryExportTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for index, text in enumerate(HOSTILE):
            make_cooperative(
                text,
                nik=f"64710000000001{index:02d}",
                address=HOSTILE[-1 - index],
                nomor_badan_hukum=f"=BH/{index}",
            )
        Kecamatan.objects.filter(pk=cls.coop_a.kelurahan.kecamatan_id).update(
            name="=1+2"
        )

    def registry_export(self, file_format: str) -> bytes:
        client = self.client_for(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            client.post(
                reverse("reports:registry_export"),
                {"file_format": file_format, "query": urlencode({})},
            )
        run = ReportRun.objects.get(file_format=file_format)
        response = client.get(reverse("reports:run_download", args=[run.pk]))
        assert response.status_code == 200
        return response.getvalue()

    def test_the_registry_export_as_xlsx(self):
        assert assert_xlsx_safe(self.registry_export("xlsx")) >= 3 * len(HOSTILE)

    def test_the_registry_export_as_csv(self):
        assert assert_csv_safe(self.registry_export("csv")) >= 3 * len(HOSTILE)

    def test_the_belum_lapor_export(self):
        response = self.client_for(self.staff).get(
            reverse("reports:rat_missing_export")
        )
        assert response.status_code == 200
        assert assert_xlsx_safe(response.content) >= 2 * len(HOSTILE)

    def test_the_public_csv(self):
        response = self.anonymous.get(
            reverse("public:export_cooperatives", args=["csv"])
        )
        content = b"".join(response.streaming_content)
        # name, address (when published) and the kecamatan of coop A's neighbours
        assert assert_csv_safe(content) >= len(HOSTILE)

    def test_the_public_statistics_csv(self):
        response = self.anonymous.get(reverse("public:export_statistics", args=["csv"]))
        assert assert_csv_safe(response.content) == 1

    def test_the_rejected_rows_of_an_import(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ods.xlsx"
            rows = [
                row("12345", text, **{"Alamat": text, "Nama Ketua": text})
                for text in HOSTILE
            ]
            write_xlsx(path, rows)
            with open(path, "rb") as upload:
                job = preview_upload(self.staff, upload, "ods.xlsx")
        assert job.error_count == len(HOSTILE)
        with job.rejected_file.open("rb") as handle:
            assert assert_xlsx_safe(handle.read()) >= 2 * len(HOSTILE)


class OneWriterTests(SimpleTestCase):
    """A new export written beside lib/excel.py would escape the tests above."""

    # lib/bulk.py formats rows for PostgreSQL's COPY, not a file anyone opens;
    # public/views.py streams the public CSV row by row through safe_cell.
    ALLOWED = {"lib/excel.py", "lib/bulk.py", "public/views.py"}

    def test_only_lib_excel_writes_spreadsheets_and_csv(self):
        root = Path(__file__).resolve().parent.parent
        writers = re.compile(
            r"import xlsxwriter|from xlsxwriter|csv\.(writer|DictWriter)\("
        )
        found = set()
        for path in root.rglob("*.py"):
            relative = path.relative_to(root).as_posix()
            if relative.startswith((".venv/", "bench/")) or "/tests/" in relative:
                continue
            if relative.startswith("tests/"):
                continue
            if writers.search(path.read_text(encoding="utf-8")):
                found.add(relative)
        assert found <= self.ALLOWED, found - self.ALLOWED
        assert "safe_cell" in (root / "public" / "views.py").read_text("utf-8")
