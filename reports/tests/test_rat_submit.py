"""Submitting a RAT report ("Simpan dan ajukan" on its form): one submission per
click, what is missing, the receipt e-mail."""

import re

from django.core import mail
from django.test import Client, TransactionTestCase
from django.urls import reverse

from reports.models import RatStatus, RatSubmission
from tests.personas import PersonaTestCase

from .rat_testing import (
    OfficerDraftTestCase,
    form_data,
    ready_report,
    submit_on_page,
    upload,
)


class RatSubmitTests(OfficerDraftTestCase):
    def test_submitting_twice_submits_once_and_shows_the_receipt(self):
        ready_report(self.officer_a, self.coop_a)
        first = submit_on_page(self.client, self.report, follow=True)
        self.report.refresh_from_db()
        self.assertContains(first, f"Nomor tanda terima: {self.report.receipt_number}")
        second = submit_on_page(self.client, self.report, follow=True)
        self.assertContains(
            second,
            f"Laporan ini sudah diajukan (tanda terima {self.report.receipt_number})",
        )
        self.assertEqual(RatSubmission.objects.filter(report=self.report).count(), 1)
        # A submitted report's form is closed: the edit page leads to the summary.
        self.assertRedirects(self.client.get(self.edit), self.report.get_absolute_url())
        # A save from a page opened before: not saved, and said so.
        stale = self.client.post(
            self.edit, {"action": "save", "aset": "5"}, follow=True
        )
        self.assertContains(
            stale,
            f"sudah diajukan (tanda terima {self.report.receipt_number}); isian "
            "yang baru dikirim tidak disimpan",
        )
        aset = self.report.aset
        self.report.refresh_from_db()
        self.assertEqual(self.report.aset, aset)

    def test_a_document_sent_after_the_submission_is_refused_in_words(self):
        # A second tab's upload: the refusal was meant for the form's Lampiran
        # box, the page landed on the summary, and base.html dropped it unseen.
        ready_report(self.officer_a, self.coop_a)
        submit_on_page(self.client, self.report)
        url = reverse("reports:rat_attachment_upload", args=[self.report.pk])
        response = self.client.post(
            url, {"kind": "neraca", "file": upload("neraca.pdf")}, follow=True
        )
        self.assertEqual(response.redirect_chain[-1][0], self.report.get_absolute_url())
        self.assertContains(response, "neraca.pdf: ")
        self.assertContains(response, 'class="alert alert-danger')

    def test_an_incomplete_submission_lists_what_is_missing(self):
        response = self.client.post(self.edit, {"action": "submit"}, follow=True)
        self.assertContains(response, "Wajib diisi sebelum laporan diajukan")
        self.assertContains(response, "Lampiran wajib belum diunggah")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, RatStatus.DRAFT)

    def test_each_field_says_its_problem_beside_a_value_typed_in_words(self):
        # With a value the form itself refused ("dua miliar"), the report's own
        # checks were listed at the top only: the fields they named were red
        # with no reason under them, to the eye or a screen reader.
        data = {**form_data(), "action": "submit"}
        data.update(aset="dua miliar", pendapatan="")
        page = self.client.post(self.edit, data).content.decode()
        field = re.search(r'<input[^>]*name="pendapatan"[^>]*>', page)
        assert field, "the field is on the page"
        self.assertIn('aria-invalid="true"', field.group(0))
        described = re.search(r'aria-describedby="([^"]+)"', field.group(0))
        assert described, field.group(0)
        said = re.search(rf'id="{described.group(1)}"[^>]*>([^<]*)<', page)
        assert said, described.group(1)
        self.assertIn("Periksa: Wajib diisi sebelum laporan diajukan", said.group(1))


class EmailTests(PersonaTestCase):
    def test_submitting_through_the_page_sends_the_receipt(self):
        report = ready_report(self.officer_a, self.coop_a)
        client = self.client_for(self.officer_a)
        with self.captureOnCommitCallbacks(execute=True):
            submit_on_page(client, report)
        report.refresh_from_db()
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn(report.receipt_number, mail.outbox[0].body)
        self.assertIn(report.get_absolute_url(), mail.outbox[0].body)


class SubmittedMeanwhileTests(TransactionTestCase):
    """Two taps of "Simpan dan ajukan" (or two tabs): the second request found the
    form open, and by the time it saved, the first had submitted the report. It
    said "Laporan belum diajukan" of a report that was."""

    # Flushed afterwards without its post-migrate rows being made again: the
    # transactional tests after it reload the database as the migrations left it.
    serialized_rollback = True

    def test_the_second_request_says_the_report_was_submitted(self):
        import threading

        from lib.testing import missing_services, require_or_skip

        # Two connections writing one after the other inside a request: SQLite's
        # in-memory test database locks the whole table instead.
        require_or_skip(missing_services())

        from django.db import connection, connections

        from accounts.models import Role
        from cooperatives.models import Officer, Position
        from reports import services
        from tests.personas import make_cooperative, make_user

        from .rat_testing import form_data

        officer = make_user("pengurus-dobel", Role.OFFICER)
        cooperative = make_cooperative("Koperasi Dua Ketuk")
        Officer.objects.create(
            cooperative=cooperative, user=officer, name="Ani", position=Position.KETUA
        )
        report = ready_report(officer, cooperative)
        client = Client()
        client.force_login(officer)
        fired = []

        def first_request_commits_meanwhile(execute, sql, params, many, context):
            # Just before this request locks the report to save it, the other
            # request (another connection, its own transaction) submits it.
            reading_it = sql.lstrip().upper().startswith("SELECT") and (
                "reports_ratreport" in sql
            )
            if reading_it and connection.in_atomic_block and not fired:
                fired.append(sql)

                def submit() -> None:
                    try:
                        services.rat_report_submit(acting_user=officer, report=report)
                    except Exception as exc:  # seen by the assertion below
                        fired.append(exc)
                    finally:
                        connections.close_all()

                other = threading.Thread(target=submit)
                other.start()
                other.join()
            return execute(sql, params, many, context)

        data = {**form_data(), "action": "submit"}
        with connection.execute_wrapper(first_request_commits_meanwhile):
            response = client.post(
                reverse("reports:rat_edit", args=[report.pk]), data, follow=True
            )
        assert len(fired) == 1, fired  # the other request ran, and did not fail
        report.refresh_from_db()
        assert report.status == RatStatus.DIAJUKAN
        self.assertContains(response, f"tanda terima {report.receipt_number}")
        self.assertNotContains(response, "Laporan belum diajukan")
        self.assertEqual(RatSubmission.objects.filter(report=report).count(), 1)
