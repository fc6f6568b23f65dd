"""rat_submit: one submission per click, what is missing, the receipt e-mail."""

from django.core import mail
from django.urls import reverse

from reports.models import RatStatus, RatSubmission
from tests.personas import PersonaTestCase

from .rat_testing import OfficerDraftTestCase, ready_report


class RatSubmitTests(OfficerDraftTestCase):
    def test_submitting_twice_submits_once_and_shows_the_receipt(self):
        ready_report(self.officer_a, self.coop_a)
        url = reverse("reports:rat_submit", args=[self.report.pk])
        first = self.client.post(url, follow=True)
        self.report.refresh_from_db()
        self.assertContains(first, f"Nomor tanda terima: {self.report.receipt_number}")
        second = self.client.post(url, follow=True)
        self.assertContains(second, "sudah diajukan sebelumnya")
        self.assertEqual(RatSubmission.objects.filter(report=self.report).count(), 1)
        # A submitted report's form is closed: the edit page leads to the summary.
        self.assertRedirects(self.client.get(self.edit), self.report.get_absolute_url())

    def test_an_incomplete_submission_lists_what_is_missing(self):
        url = reverse("reports:rat_submit", args=[self.report.pk])
        response = self.client.post(url, follow=True)
        self.assertContains(response, "Wajib diisi sebelum laporan diajukan")
        self.assertContains(response, "Lampiran wajib belum diunggah")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, RatStatus.DRAFT)


class EmailTests(PersonaTestCase):
    def test_submitting_through_the_page_sends_the_receipt(self):
        report = ready_report(self.officer_a, self.coop_a)
        client = self.client_for(self.officer_a)
        with self.captureOnCommitCallbacks(execute=True):
            client.post(reverse("reports:rat_submit", args=[report.pk]))
        report.refresh_from_db()
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn(report.receipt_number, mail.outbox[0].body)
        self.assertIn(report.get_absolute_url(), mail.outbox[0].body)
