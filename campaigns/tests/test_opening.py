"""Creating and opening a campaign (service, task, command), and its summary."""

import datetime
import json
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from campaigns import jobs
from campaigns.models import Campaign, CampaignStatus, JobStatus
from campaigns.selectors import campaign_summary
from campaigns.services import (
    CampaignOpenPending,
    campaign_close,
    campaign_create,
    campaign_open_execute,
    campaign_open_request,
)
from cooperatives.models import (
    Cooperative,
    CooperativeStatus,
    Kelurahan,
    Officer,
    Position,
)
from tests.personas import PersonaTestCase, make_cooperative


class OpeningTests(PersonaTestCase):
    old: Cooperative
    gone: Cooperative

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.coop_a.last_rat_year = 2025
        cls.coop_a.save()
        cls.coop_b.last_rat_date = datetime.date(2024, 4, 1)  # tahun buku 2023
        cls.coop_b.save()
        cls.old = make_cooperative("KUD Lama", last_rat_year=2019)
        cls.gone = make_cooperative("KUD Bubar", status=CooperativeStatus.DIBUBARKAN)

    def _open(self, **kwargs):
        campaign = campaign_create(acting_user=self.staff, year=2025, **kwargs)
        job = campaign_open_request(acting_user=self.staff, campaign=campaign)
        return campaign_open_execute(job_id=job.pk)

    def test_it_freezes_every_cooperative_not_dissolved(self):
        job = self._open()
        campaign = Campaign.objects.get(year=2025)
        self.assertEqual(job.status, JobStatus.DONE)
        self.assertEqual(job.progress, 100)
        self.assertEqual(campaign.status, CampaignStatus.BERJALAN)
        classes = dict(
            campaign.items.values_list("cooperative__name", "proposed_class")
        )
        self.assertEqual(
            classes,
            {"Koperasi Alpha Sejahtera": "A", "KSP Beta Mandiri": "B", "KUD Lama": "C"},
        )

    def test_reports_of_its_year_accepted_before_are_evidence_from_the_start(self):
        from campaigns.models import EvidenceState
        from reports import services as rat
        from reports.tests.rat_testing import submitted_report

        report = submitted_report(self.officer_b, self.coop_b, year=2025)
        rat.rat_report_accept(acting_user=self.staff, report=report)
        self._open()
        item = Campaign.objects.get(year=2025).items.get(cooperative=self.coop_b)
        self.assertEqual(item.proposed_class, "A")
        self.assertEqual(item.evidence_state, EvidenceState.TERVERIFIKASI)
        self.assertEqual(item.evidence.get().rat_report_id, report.pk)

    def test_the_baseline_does_not_follow_later_edits(self):
        self._open()
        self.coop_a.address = "Jl. Baru 1"
        self.coop_a.save()
        item = self.coop_a.campaign_items.get()
        self.assertEqual(item.baseline["address"], "")
        self.assertEqual(item.baseline["last_rat_year"], 2025)
        self.assertEqual(item.baseline["officers"][0]["position"], Position.KETUA)
        self.assertEqual(item.baseline["officers"][0]["name"], str(self.officer_a))

    def test_inactive_officers_are_left_out_of_the_baseline(self):
        Officer.objects.filter(cooperative=self.coop_b).update(is_active=False)
        self._open()
        self.assertEqual(self.coop_b.campaign_items.get().baseline["officers"], [])

    def test_the_window_is_a_campaign_setting(self):
        self._open(window_years=2)
        item = self.coop_b.campaign_items.get()
        self.assertEqual(item.proposed_class, "C")

    def test_the_cutoff_defaults_to_31_march_next_year(self):
        campaign = campaign_create(acting_user=self.staff, year=2025)
        self.assertEqual(campaign.cutoff_date, datetime.date(2026, 3, 31))

    def test_a_year_twice_is_refused(self):
        campaign_create(acting_user=self.staff, year=2025)
        with self.assertRaises(ValidationError):
            campaign_create(acting_user=self.staff, year=2025)

    def test_an_open_campaign_cannot_be_opened_again(self):
        self._open()
        with self.assertRaises(ValidationError):
            campaign_open_request(
                acting_user=self.staff, campaign=Campaign.objects.get(year=2025)
            )

    def test_a_second_request_while_queued_names_the_first_job(self):
        campaign = campaign_create(acting_user=self.staff, year=2025)
        first = campaign_open_request(acting_user=self.staff, campaign=campaign)
        with self.assertRaises(CampaignOpenPending) as pending:
            campaign_open_request(acting_user=self.staff, campaign=campaign)
        self.assertEqual(pending.exception.job.pk, first.pk)
        self.assertEqual(campaign.jobs.count(), 1)

    def test_running_the_job_again_does_not_duplicate_items(self):
        campaign = campaign_create(acting_user=self.staff, year=2025)
        job = campaign_open_request(acting_user=self.staff, campaign=campaign)
        campaign_open_execute(job_id=job.pk)
        campaign_open_execute(job_id=job.pk)
        self.assertEqual(campaign.items.count(), 3)

    def test_opening_is_audited(self):
        self._open()
        campaign = Campaign.objects.get(year=2025)
        messages = AuditEvent.objects.filter(object_id=str(campaign.pk)).values_list(
            "message", flat=True
        )
        self.assertIn("Data awal 3 koperasi dibekukan.", list(messages))

    def test_the_task_runs_the_job_after_commit(self):
        campaign = campaign_create(acting_user=self.staff, year=2025)
        with self.captureOnCommitCallbacks(execute=True):
            job = campaign_open_request(acting_user=self.staff, campaign=campaign)
            jobs.enqueue(job)
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.DONE)

    def test_summary_rows_add_up_to_the_registry(self):
        make_cooperative("Kop Manggar", kelurahan=Kelurahan.objects.get(name="Manggar"))
        self._open()
        summary = campaign_summary(campaign=Campaign.objects.get(year=2025))
        self.assertEqual(summary.total, 4)
        self.assertEqual(sum(row.total for row in summary.rows), 4)
        for row in summary.rows:
            self.assertEqual(sum(row.by_state), row.total)
        self.assertEqual(summary.totals.by_class[:3], [1, 1, 2])

    def test_closing_freezes_the_result(self):
        self._open()
        campaign = campaign_close(
            acting_user=self.staff, campaign=Campaign.objects.get(year=2025)
        )
        self.assertEqual(campaign.status, CampaignStatus.DITUTUP)
        self.assertEqual(campaign.result["by_class"]["C"], 1)
        with self.assertRaises(ValidationError):
            campaign_close(acting_user=self.staff, campaign=campaign)


class CommandTests(PersonaTestCase):
    def test_open_then_summary_json(self):
        out = StringIO()
        call_command("campaign", "open", "2025", "--window", "2", stdout=out)
        self.assertIn("Campaign 2025 open: 2 cooperatives", out.getvalue())
        campaign = Campaign.objects.get(year=2025)
        self.assertEqual(campaign.window_years, 2)
        out = StringIO()
        call_command("campaign", "summary", "2025", "--json", stdout=out)
        data = json.loads(out.getvalue())
        self.assertEqual(data["total"], 2)
        self.assertEqual(data["by_class"]["C"], 2)
        self.assertEqual(sum(data["by_evidence"].values()), 2)
        self.assertEqual(
            sum(row["total"] for row in data["by_kecamatan"]), data["total"]
        )

    def test_open_with_a_cutoff(self):
        call_command(
            "campaign", "open", "2025", "--cutoff", "2026-04-30", stdout=StringIO()
        )
        self.assertEqual(
            Campaign.objects.get(year=2025).cutoff_date, datetime.date(2026, 4, 30)
        )

    def test_open_twice_says_so(self):
        call_command("campaign", "open", "2025", stdout=StringIO())
        out = StringIO()
        call_command("campaign", "open", "2025", stdout=out)
        self.assertIn("already open", out.getvalue())

    def test_summary_of_an_unknown_year_fails_clearly(self):
        with self.assertRaisesMessage(CommandError, "No campaign for 1999"):
            call_command("campaign", "summary", "1999")

    def test_a_bad_cutoff_fails_clearly(self):
        with self.assertRaises(CommandError):
            call_command("campaign", "open", "2025", "--cutoff", "31-03-2026")


class SqlAgreesWithTheRulesTests(PersonaTestCase):
    """Opening computes the class in SQL; it must be ``rules.class_from_rat``."""

    def test_every_boundary_of_every_window(self):
        from campaigns.rules import class_from_rat
        from cooperatives.rules import rat_tahun_buku

        cases = [(year, None) for year in range(2018, 2028)]
        cases += [(None, datetime.date(year, 4, 1)) for year in range(2019, 2028)]
        cases += [(None, None), (2021, datetime.date(2026, 3, 1))]
        for n, (year, date) in enumerate(cases):
            make_cooperative(f"Kop Batas {n}", last_rat_year=year, last_rat_date=date)
        for window in (1, 2, 3, 5):
            # One campaign runs at a time: the last one's is closed.
            Campaign.objects.update(status=CampaignStatus.DITUTUP)
            campaign = campaign_create(
                acting_user=None, year=2020 + window, window_years=window
            )
            job = campaign_open_request(acting_user=None, campaign=campaign)
            campaign_open_execute(job_id=job.pk)
            for item in campaign.items.select_related("cooperative"):
                coop = item.cooperative
                expected_year = rat_tahun_buku(coop.last_rat_year, coop.last_rat_date)
                with self.subTest(coop=coop.name, window=window):
                    self.assertEqual(item.rat_year, expected_year)
                    self.assertEqual(
                        item.proposed_class,
                        class_from_rat(
                            expected_year,
                            tahun_buku=campaign.tahun_buku,
                            window_years=window,
                        ),
                    )
