"""The officer's home page: the RAT report due and its deadline."""

from django.urls import reverse

from reports.models import RatReport
from reports.selectors import reporting_year

from .rat_testing import OfficerDraftTestCase


class RatPortalTests(OfficerDraftTestCase):
    def test_the_portal_shows_the_report_due_and_its_deadline(self):
        RatReport.objects.all().delete()
        page = self.client.get(reverse("home"))
        year = reporting_year()
        self.assertContains(page, f"Laporan RAT tahun buku {year}")
        self.assertContains(page, "Isi laporan RAT")
        self.assertContains(page, "laporan paling lambat")
        self.assertContains(page, "Hasil penilaian kesehatan")
