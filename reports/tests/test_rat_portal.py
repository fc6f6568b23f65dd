"""The officer's home page: the RAT report due and its deadline."""

import datetime

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
        # The account's password is one tap away (only its address knew it).
        self.assertContains(
            page, f'href="{reverse("password_change")}" class="small tap"'
        )

    def test_the_deadline_says_what_it_is_counted_from(self):
        # It moved from 30 July to 13 April once the meeting's date was entered,
        # and nothing said why.
        RatReport.objects.all().delete()
        page = self.client.get(reverse("home"))
        self.assertContains(page, "hari setelah batas RAT; bila RAT diadakan lebih")
        year = reporting_year()
        RatReport.objects.create(
            cooperative=self.coop_a,
            tahun_buku=year,
            meeting_date=datetime.date(year + 1, 3, 14),
        )
        page = self.client.get(reverse("home"))
        self.assertContains(page, f"hari setelah RAT tanggal 14 Maret {year + 1}")

    def test_a_rat_the_registry_knows_sets_the_deadline_before_a_report(self):
        # Confirmed in the campaign (RAT on 15 March), the officer was still
        # told the report was due 30 days after the last legal meeting date.
        from reports.models import RatReminder
        from reports.selectors import rat_schedule
        from reports.services import rat_reminders_send

        RatReport.objects.all().delete()
        year = reporting_year()
        held = datetime.date(year + 1, 3, 15)
        self.coop_a.last_rat_year, self.coop_a.last_rat_date = year, held
        self.coop_a.save()
        schedule = rat_schedule(year)
        due = held + datetime.timedelta(days=schedule.report_days)
        page = self.client.get(reverse("home"))
        self.assertContains(page, f"hari setelah RAT tanggal 15 Maret {year + 1}")
        self.assertEqual(page.context["entries"][0][0].due_date, due)
        # The reminders count from the same day.
        rat_reminders_send(today=due - datetime.timedelta(days=7))
        reminder = RatReminder.objects.get(cooperative=self.coop_a)
        self.assertEqual((reminder.offset_days, reminder.due_date), (7, due))
        # A date alone reads as the books of the year before it.
        self.coop_a.last_rat_year = None
        self.coop_a.save()
        self.assertEqual(schedule.due_for(self.coop_a, None), due)
        # Last year's RAT says nothing of this year's.
        self.coop_a.last_rat_year = year - 1
        self.coop_a.save()
        self.assertEqual(schedule.due_for(self.coop_a, None), schedule.report_due(None))
        # Nor does a date before the year's books closed (typed wrong): the
        # page had said "paling lambat 31 Maret" of that year, 616 days late.
        self.coop_a.last_rat_year = year
        self.coop_a.last_rat_date = datetime.date(year, 3, 1)
        self.coop_a.save()
        self.assertEqual(schedule.due_for(self.coop_a, None), schedule.report_due(None))

    def test_a_report_returned_for_fixes_is_judged_by_its_first_submission(self):
        # "250 hari terlambat", counting on to today, for a report submitted
        # on time and sent back for fixes.
        from django.utils import timezone

        from reports.models import RatStatus

        RatReport.objects.all().delete()
        year = reporting_year()
        RatReport.objects.create(
            cooperative=self.coop_a,
            tahun_buku=year,
            status=RatStatus.PERLU_PERBAIKAN,
            first_submitted_at=timezone.now() - datetime.timedelta(days=300),
            submitted_at=timezone.now() - datetime.timedelta(days=300),
            receipt_number=f"RAT/{year}/000001",
            submitted_on_time=True,
        )
        page = self.client.get(reverse("home"))
        self.assertContains(page, "diajukan tepat waktu")
        self.assertNotContains(page, "terlambat")
