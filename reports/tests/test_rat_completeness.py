"""rat_completeness and rat_missing_export: counts, who has not reported."""

import io
from unittest import mock

import openpyxl
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cooperatives.models import CooperativeStatus
from reports import services
from reports.models import RatReport, RatStatus
from reports.selectors import rat_completeness
from tests.personas import PersonaTestCase, make_cooperative

from .rat_testing import YEAR, submitted_report


class CompletenessTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # coop_a: accepted; coop_b: submitted; c: draft only; d: nothing;
        # e: tidak aktif but reported; f: tidak aktif, nothing.
        cls.c = make_cooperative("Koperasi Gamma", phone="0542-111")
        cls.d = make_cooperative("Koperasi Delta", email="delta@uji.invalid")
        cls.e = make_cooperative("Koperasi Eko", status=CooperativeStatus.TIDAK_AKTIF)
        cls.f = make_cooperative(
            "Koperasi Foxtrot", status=CooperativeStatus.TIDAK_AKTIF
        )
        accepted = submitted_report(cls.officer_a, cls.coop_a)
        services.rat_report_accept(acting_user=cls.staff, report=accepted)
        submitted_report(cls.officer_b, cls.coop_b)
        services.rat_report_start(
            acting_user=cls.staff, cooperative=cls.c, tahun_buku=YEAR
        )
        submitted_report(cls.staff, cls.e)
        # Another year's report must not count.
        submitted_report(cls.staff, cls.d, year=YEAR - 1)

    def test_the_counts_match_the_reports_in_the_database(self):
        data = rat_completeness(YEAR)
        total = data["total"]
        aktif = 4  # a, b, c, d
        reports = RatReport.objects.filter(
            tahun_buku=YEAR, cooperative__status=CooperativeStatus.AKTIF
        )
        self.assertEqual(total.expected, aktif)
        # Of the expected only: e (tidak aktif, reported) counted as submitted,
        # and expected - submitted was one short of those who have not reported.
        self.assertEqual(
            total.submitted, reports.exclude(status=RatStatus.DRAFT).count()
        )
        self.assertEqual(total.submitted, 2)
        from reports.selectors import rat_missing

        self.assertEqual(total.expected - total.submitted, rat_missing(YEAR).count())
        self.assertEqual(
            total.accepted, reports.filter(status=RatStatus.DITERIMA).count()
        )
        self.assertEqual(total.on_time, reports.filter(submitted_on_time=True).count())
        by_jenis = {row.label: row for row in data["by_jenis"]}
        self.assertEqual(by_jenis["Simpan Pinjam Konvensional"].submitted, 1)
        self.assertEqual(sum(r.expected for r in data["by_kecamatan"]), aktif)
        self.assertEqual(sum(r.submitted for r in data["by_kecamatan"]), 2)

    def test_the_page_lists_who_has_not_reported_with_contacts_and_exports_it(self):
        staff = self.client_for(self.staff)
        url = reverse("reports:rat_completeness")
        with CaptureQueriesContext(connection) as queries:
            page = staff.get(url, {"tahun": YEAR})
        self.assertLessEqual(len(queries), 12)
        self.assertContains(page, 'data-testid="expected">4<')
        self.assertContains(page, 'data-testid="submitted">2<')
        self.assertContains(page, 'data-testid="accepted">1<')
        missing = page.context["missing"]
        self.assertEqual(
            {c.name for c in missing}, {"Koperasi Gamma", "Koperasi Delta"}
        )
        self.assertContains(page, "0542-111")
        export = staff.get(reverse("reports:rat_missing_export"), {"tahun": YEAR})
        self.assertEqual(export.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(export.content))
        rows = list(book.active.iter_rows(values_only=True))
        self.assertEqual(rows[0][1], "Nama Koperasi")
        self.assertEqual(
            sorted(r[1] for r in rows[1:]), ["Koperasi Delta", "Koperasi Gamma"]
        )
        self.assertIn("delta@uji.invalid", [r[7] for r in rows[1:]])

    def test_the_call_list_comes_a_page_at_a_time(self):
        staff = self.client_for(self.staff)
        url = reverse("reports:rat_completeness")
        with mock.patch("reports.rat_views.MISSING_PAGE_SIZE", 1):
            first = staff.get(url, {"tahun": YEAR})
            second = staff.get(url, {"tahun": YEAR, "page": 2})
        self.assertContains(first, "Koperasi aktif yang belum melapor (2)")
        self.assertContains(first, 'data-testid="missing-pages"')
        self.assertContains(first, f"?tahun={YEAR}&amp;page=2#missing")
        names = [c.name for c in first.context["missing"]]
        names += [c.name for c in second.context["missing"]]
        self.assertEqual(sorted(names), ["Koperasi Delta", "Koperasi Gamma"])

    def test_the_call_list_reads_in_english_for_someone_who_chose_english(self):
        staff = self.client_for(self.staff)
        staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        try:
            export = staff.get(reverse("reports:rat_missing_export"), {"tahun": YEAR})
        finally:
            translation.activate("id")  # the request left English on in this thread
        sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
        self.assertEqual(sheet.title, f"No RAT {YEAR}")
        headings = next(sheet.iter_rows(values_only=True))
        self.assertEqual(headings[:3], ("NIK", "Cooperative name", "Type"))
        self.assertEqual(headings[-1], "Date of the last RAT")
