"""rat_start: staff enter a paper report from the cooperative's page."""

import datetime

from django.urls import reverse

from reports.models import RatReport
from tests.personas import PersonaTestCase

from .rat_testing import YEAR


class RatStartTests(PersonaTestCase):
    def test_staff_enter_a_paper_report_from_the_cooperative_page(self):
        staff = self.client_for(self.staff)
        page = staff.get(self.coop_b.get_absolute_url())
        self.assertContains(page, "Input laporan RAT kertas")
        url = reverse("reports:rat_start", args=[self.coop_b.pk])
        staff.post(url, {"tahun_buku": YEAR})
        report = RatReport.objects.get(cooperative=self.coop_b)
        self.assertTrue(report.entered_by_staff)
        page = staff.get(self.coop_b.get_absolute_url())
        self.assertContains(page, "input staf")
        response = staff.post(
            url, {"tahun_buku": datetime.date.today().year}, follow=True
        )
        self.assertContains(response, "tahun buku yang sudah berakhir")
