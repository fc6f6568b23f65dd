"""Migration reports 0008: reports accepted before 0007 get last year's RAT date
where last year's report was accepted too."""

import datetime
import importlib

from django.apps import apps
from django.utils import timezone

from reports.models import RatReport, RatStatus
from reports.tests.rat_testing import complete_values
from tests.personas import PersonaTestCase

backfill = importlib.import_module(
    "reports.migrations.0008_backfill_last_year_meeting"
).backfill


class BackfillTests(PersonaTestCase):
    def accepted(self, cooperative, year, meeting):
        values = complete_values(meeting_date=meeting)
        return RatReport.objects.create(
            cooperative=cooperative,
            tahun_buku=year,
            status=RatStatus.DITERIMA,
            receipt_number=f"RAT/{year}/{cooperative.pk:06d}",
            submitted_at=timezone.now(),
            **values,
        )

    def test_last_year_s_accepted_meeting_fills_the_date_and_nothing_else_moves(self):
        last = self.accepted(self.coop_a, 2023, datetime.date(2024, 3, 10))
        this = self.accepted(self.coop_a, 2024, datetime.date(2025, 3, 12))
        alone = self.accepted(self.coop_b, 2024, datetime.date(2025, 4, 2))
        kept = datetime.date(2024, 2, 1)
        RatReport.objects.filter(pk=last.pk).update(last_year_meeting_date=kept)
        backfill(apps, None)
        for report in (last, this, alone):
            report.refresh_from_db()
        self.assertEqual(this.last_year_meeting_date, datetime.date(2024, 3, 10))
        self.assertIsNone(alone.last_year_meeting_date)  # nothing to take it from
        self.assertEqual(last.last_year_meeting_date, kept)  # a kept date stays
