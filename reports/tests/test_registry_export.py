import csv
import io
from datetime import timedelta
from urllib.parse import urlencode

import openpyxl
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditAction, AuditEvent
from reports.models import ReportRun, RunStatus
from reports.services import report_run_execute
from tests.broker import broker_down
from tests.personas import PersonaTestCase, make_user


class RegistryExportTests(PersonaTestCase):
    def request_export(self, client, file_format="xlsx", **filters):
        # The task is enqueued on commit; run those callbacks (tasks are eager here).
        with self.captureOnCommitCallbacks(execute=True):
            return client.post(
                reverse("reports:registry_export"),
                {
                    "file_format": file_format,
                    "query": urlencode({**filters, "page": 3}),
                },
            )

    def make_run(self, **fields):
        defaults = {
            "created_by": self.staff,
            "kind": "registry_export",
            "file_format": "csv",
            "params": {},
        }
        return ReportRun.objects.create(**{**defaults, **fields})

    def test_the_file_is_named_in_the_offices_time(self):
        import datetime

        run = self.make_run(file_format="xlsx")
        # 22:00 UTC on 5 December is 06:00 WITA on the 6th.
        run.created_at = datetime.datetime(2026, 12, 5, 22, 0, tzinfo=datetime.UTC)
        assert run.download_name == "daftar-koperasi-20261206-0600.xlsx"

    def download(self, client, run):
        response = client.get(reverse("reports:run_download", args=[run.pk]))
        assert response.status_code == 200
        if run.file_format == "csv":
            assert response["Content-Type"] == "text/csv; charset=utf-8"
        return b"".join(response.streaming_content)

    def test_staff_export_the_filtered_list_as_xlsx(self):
        client = self.client_for(self.staff)
        response = self.request_export(client, jenis="simpan_pinjam")
        run = ReportRun.objects.get()
        self.assertRedirects(response, run.get_absolute_url())
        run.refresh_from_db()
        assert run.status == RunStatus.DONE
        assert run.row_count == 1
        assert run.params == {"jenis": ["simpan_pinjam"]}
        sheet = openpyxl.load_workbook(io.BytesIO(self.download(client, run))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("NIK", "Nama Koperasi", "No Badan Hukum")
        assert rows[1][:2] == ("6471000000000002", "KSP Beta Mandiri")
        assert len(rows) == 2
        assert AuditEvent.objects.filter(
            action=AuditAction.EXPORT, actor=self.staff
        ).exists()

    def test_the_export_imported_again_changes_nothing(self):
        # The export writes each cooperative's last RAT as its date, and the import
        # took that date's year for the tahun buku: every cooperative's last RAT
        # moved a year on (held 14 March 2025, for the books of 2024: "2025").
        import datetime
        import tempfile

        from cooperatives.models import Cooperative
        from cooperatives.tests.ods_testing import preview_upload

        Cooperative.objects.filter(pk=self.coop_a.pk).update(
            last_rat_date=datetime.date(2025, 3, 14), last_rat_year=None
        )
        # Text a spreadsheet would run as a formula is written inert: in the CSV
        # after an apostrophe, which the import kept ("'-" against "-").
        Cooperative.objects.filter(pk=self.coop_b.pk).update(
            last_rat_date=datetime.date(2025, 5, 3),
            last_rat_year=2024,
            address="-",
            phone="+6281234567890",
            sektor_usaha="=Perdagangan; @Jasa",
        )
        client = self.client_for(self.staff)
        for file_format in ("xlsx", "csv"):
            with self.subTest(file_format):
                self.request_export(client, file_format=file_format)
                content = self.download(client, ReportRun.objects.latest("pk"))
                with tempfile.TemporaryFile() as upload:
                    upload.write(content)
                    upload.seek(0)
                    job = preview_upload(self.staff, upload, f"ekspor.{file_format}")
                changed = list(job.rows.values_list("name", "changes"))
                assert changed == []
                assert (job.row_count, job.unchanged_count) == (2, 2)

    def test_staff_export_as_csv_readable_by_excel(self):
        client = self.client_for(self.staff)
        self.request_export(client, file_format="csv", q="Alpha")
        content = self.download(client, ReportRun.objects.get())
        assert content.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert rows[1][1] == "Koperasi Alpha Sejahtera"
        assert rows[1][6] == "Balikpapan Kota"
        assert len(rows) == 2

    def test_the_run_page_shows_the_download_when_done(self):
        client = self.client_for(self.staff)
        self.request_export(client)
        run = ReportRun.objects.get()
        response = client.get(run.get_absolute_url())
        self.assertContains(response, "Berkas siap: 2 koperasi.")
        partial = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
        self.assertNotContains(partial, "<html")
        self.assertIn("HX-Request", partial["Vary"])
        self.assertContains(response, "Semua koperasi, tanpa saringan")

    def test_the_run_page_says_which_cooperatives_the_file_holds(self):
        # "Berkas siap: 8 koperasi" did not say of which.
        client = self.client_for(self.staff)
        self.request_export(client, q="Alpha", status="aktif", jenis="konsumen")
        run = ReportRun.objects.get()
        page = client.get(run.get_absolute_url())
        self.assertContains(page, 'data-testid="run-filters"')
        self.assertContains(page, "Cari <strong>Alpha</strong>")
        self.assertContains(page, "Status <strong>Aktif</strong>")
        self.assertContains(page, "Jenis <strong>Konsumen</strong>")

    def test_a_double_click_makes_one_file(self):
        client = self.client_for(self.staff)
        run = self.make_run(file_format="xlsx")
        self.request_export(client)
        assert ReportRun.objects.count() == 1
        assert ReportRun.objects.get() == run

    def test_with_the_broker_down_the_run_fails_with_its_reason(self):
        client = self.client_for(self.staff)
        with broker_down():
            response = self.request_export(client)
        run = ReportRun.objects.get()
        self.assertRedirects(response, run.get_absolute_url())
        self.assertEqual(run.status, RunStatus.FAILED)
        self.assertContains(client.get(run.get_absolute_url()), "tidak dapat dihubungi")
        # Asked again once it is back: a new run, not the failed one.
        self.request_export(client)
        self.assertEqual(ReportRun.objects.filter(status=RunStatus.DONE).count(), 1)

    def test_a_run_no_worker_took_for_minutes_says_the_service_may_have_stopped(self):
        client = self.client_for(self.staff)
        run = self.make_run()
        self.assertNotContains(client.get(run.get_absolute_url()), "job-waiting")
        ReportRun.objects.filter(pk=run.pk).update(
            created_at=timezone.now() - timedelta(minutes=3)
        )
        page = client.get(run.get_absolute_url())
        self.assertContains(page, 'data-testid="job-waiting"')
        self.assertContains(page, "worker atau Redis")

    def test_only_the_requester_sees_and_downloads_a_run(self):
        self.request_export(self.client_for(self.staff))
        run = ReportRun.objects.get()
        other_staff = make_user("staf-lain", Role.STAFF)
        for user in (other_staff, self.officer_a):
            client = self.client_for(user)
            with self.subTest(user=user.username):
                assert client.get(run.get_absolute_url()).status_code == 404
                url = reverse("reports:run_download", args=[run.pk])
                assert client.get(url).status_code == 404
        assert (
            self.client_for(self.admin).get(run.get_absolute_url()).status_code == 200
        )

    def test_officers_cannot_export_the_registry(self):
        assert self.request_export(self.client_for(self.officer_a)).status_code == 403
        assert not ReportRun.objects.exists()

    def test_export_accepts_post_only_and_login(self):
        url = reverse("reports:registry_export")
        assert self.client_for(self.staff).get(url).status_code == 405
        response = self.request_export(self.anonymous)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_a_file_that_is_not_ready_cannot_be_downloaded(self):
        run = self.make_run()
        url = reverse("reports:run_download", args=[run.pk])
        assert self.client_for(self.staff).get(url).status_code == 404

    def test_a_rerun_after_a_crash_starts_over_and_finishes(self):
        run = self.make_run(status=RunStatus.RUNNING, progress=40)
        report_run_execute(run_id=run.pk)
        run.refresh_from_db()
        assert (run.status, run.progress, run.row_count, run.attempts) == (
            RunStatus.DONE,
            100,
            2,
            1,
        )

    def test_a_run_redelivered_after_three_crashed_attempts_is_given_up(self):
        run = self.make_run(status=RunStatus.RUNNING, attempts=3)
        report_run_execute(run_id=run.pk)
        run.refresh_from_db()
        assert run.status == RunStatus.FAILED
        assert "setelah 3 percobaan" in run.error
        self.assertContains(
            self.client_for(self.staff).get(run.get_absolute_url()),
            "setelah 3 percobaan",
        )

    def test_anonymous_users_are_sent_to_log_in_from_run_pages(self):
        run = self.make_run()
        for url in (
            run.get_absolute_url(),
            reverse("reports:run_download", args=[run.pk]),
        ):
            with self.subTest(url=url):
                response = self.anonymous.get(url)
                assert response.status_code == 302
                assert response.url.startswith(reverse("login"))

    def test_a_failure_is_recorded_with_a_message_for_the_user(self):
        run = self.make_run(params={"kecamatan": ["bukan-angka"]})
        report_run_execute(run_id=run.pk)
        run.refresh_from_db()
        # An invalid filter value is ignored like on the list page, not a crash.
        assert run.status == RunStatus.DONE
