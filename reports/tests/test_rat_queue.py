"""rat_queue: filters and a pinned query count."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperatives.models import Jenis, Kelurahan
from reports import services
from reports.models import RatReport, RatStatus
from tests.personas import PersonaTestCase, make_cooperative

from .rat_testing import ready_report, submitted_report


class RatQueueTests(PersonaTestCase):
    def test_the_queue_filters_and_keeps_its_query_count(self):
        submitted_report(self.officer_a, self.coop_a)
        submitted_report(self.officer_b, self.coop_b)
        staff = self.client_for(self.staff)
        url = reverse("reports:rat_queue")
        with CaptureQueriesContext(connection) as two:
            page = staff.get(url)
        self.assertContains(page, self.coop_a.name)
        self.assertContains(page, self.coop_b.name)
        for i in range(3):
            coop = make_cooperative(f"Koperasi Tambahan {i}")
            ready = ready_report(self.staff, coop)
            services.rat_report_submit(acting_user=self.staff, report=ready)
        with CaptureQueriesContext(connection) as five:
            staff.get(url)
        self.assertEqual(len(two), len(five))
        page = staff.get(url, {"jenis": Jenis.SIMPAN_PINJAM})
        self.assertContains(page, self.coop_b.name)
        self.assertNotContains(page, self.coop_a.name)
        manggar = Kelurahan.objects.get(name="Manggar").kecamatan
        page = staff.get(url, {"kecamatan": manggar.pk})
        self.assertContains(page, self.coop_b.name)
        self.assertNotContains(page, self.coop_a.name)
        RatReport.objects.filter(cooperative=self.coop_a).update(
            submitted_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        )
        page = staff.get(url, {"menunggu": "30"})
        self.assertContains(page, self.coop_a.name)
        self.assertNotContains(page, self.coop_b.name)
        page = staff.get(url, {"status": RatStatus.DITERIMA})
        self.assertContains(page, "Tidak ada laporan yang cocok")
