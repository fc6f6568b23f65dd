"""RAT report pages: access for every persona and view."""

from django.urls import reverse

from reports.models import RatReport
from tests.personas import PersonaTestCase

from .rat_testing import PDF, YEAR, ready_report

REPORT_VIEWS = {
    # name: (method, needs review rights)
    "rat_detail": ("get", False),
    "rat_edit": ("get", False),
    "rat_attachment_upload": ("post", False),
    "rat_return": ("post", True),
    "rat_accept": ("post", True),
}
ATTACHMENT_VIEWS = {"rat_attachment": "get", "rat_attachment_delete": "post"}
DINAS_PAGES = ("rat_queue", "rat_completeness", "rat_missing_export")


class RatAccessTests(PersonaTestCase):
    def setUp(self):
        # Per test: each test has its own media folder for the files.
        self.report = ready_report(self.officer_a, self.coop_a)
        self.attachment = self.report.attachments.first()

    def report_url(self, name, report=None):
        return reverse(f"reports:{name}", args=[(report or self.report).pk])

    def test_an_officer_of_another_cooperative_gets_404_for_everything(self):
        client = self.client_for(self.officer_b)
        for name, (method, _review) in REPORT_VIEWS.items():
            with self.subTest(name):
                response = getattr(client, method)(self.report_url(name))
                self.assertEqual(response.status_code, 404)
        for name, method in ATTACHMENT_VIEWS.items():
            with self.subTest(name):
                url = reverse(f"reports:{name}", args=[self.attachment.pk])
                self.assertEqual(getattr(client, method)(url).status_code, 404)
        start = reverse("reports:rat_start", args=[self.coop_a.pk])
        self.assertEqual(client.post(start, {"tahun_buku": YEAR}).status_code, 404)
        # Nothing of it shows on their own pages either.
        home = client.get(reverse("home"))
        self.assertNotContains(home, self.coop_a.name)
        self.assertEqual(RatReport.objects.filter(cooperative=self.coop_b).count(), 0)

    def test_the_officer_of_the_cooperative_works_the_report_but_cannot_review(self):
        client = self.client_for(self.officer_a)
        self.assertEqual(client.get(self.report_url("rat_detail")).status_code, 200)
        self.assertEqual(client.get(self.report_url("rat_edit")).status_code, 200)
        url = reverse("reports:rat_attachment", args=[self.attachment.pk])
        served = client.get(url)
        self.assertEqual(served.getvalue(), PDF)  # read to the end: the file closes
        for name in ("rat_return", "rat_accept"):
            with self.subTest(name):
                self.assertEqual(client.post(self.report_url(name)).status_code, 403)
        for name in DINAS_PAGES:
            with self.subTest(name):
                url = reverse(f"reports:{name}")
                self.assertEqual(client.get(url).status_code, 403)

    def test_staff_open_every_page(self):
        client = self.client_for(self.staff)
        for name in ("rat_detail", "rat_edit"):
            self.assertEqual(client.get(self.report_url(name)).status_code, 200)
        for name in DINAS_PAGES:
            with self.subTest(name):
                self.assertEqual(
                    client.get(reverse(f"reports:{name}")).status_code, 200
                )

    def test_post_only_views_reject_get(self):
        client = self.client_for(self.staff)
        for name, (method, _review) in REPORT_VIEWS.items():
            if method == "post":
                with self.subTest(name):
                    self.assertEqual(client.get(self.report_url(name)).status_code, 405)
        url = reverse("reports:rat_attachment_delete", args=[self.attachment.pk])
        self.assertEqual(client.get(url).status_code, 405)
        start = reverse("reports:rat_start", args=[self.coop_a.pk])
        self.assertEqual(client.get(start).status_code, 405)

    def test_a_lost_file_is_a_clear_404_not_an_error_page(self):
        self.attachment.file.delete(save=False)
        client = self.client_for(self.officer_a)
        url = reverse("reports:rat_attachment", args=[self.attachment.pk])
        self.assertEqual(client.get(url).status_code, 404)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        for name, (method, _review) in REPORT_VIEWS.items():
            with self.subTest(name):
                response = getattr(self.anonymous, method)(self.report_url(name))
                self.assertEqual(response.status_code, 302)
                self.assertIn(reverse("login"), response["Location"])
        url = reverse("reports:rat_attachment", args=[self.attachment.pk])
        self.assertEqual(self.anonymous.get(url).status_code, 302)
