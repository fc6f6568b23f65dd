"""RAT report pages: access for every persona and view, and the pages' behaviour."""

import datetime
import io

import openpyxl
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperatives.models import CooperativeStatus, Jenis, Kelurahan
from reports import services
from reports.models import RatReport, RatStatus, RatSubmission
from reports.selectors import rat_completeness, reporting_year
from tests.personas import PersonaTestCase, make_cooperative

from .rat_testing import (
    MEETING,
    PDF,
    YEAR,
    complete_values,
    ready_report,
    submitted_report,
    upload,
)

REPORT_VIEWS = {
    # name: (method, needs review rights)
    "rat_detail": ("get", False),
    "rat_edit": ("get", False),
    "rat_attachment_upload": ("post", False),
    "rat_submit": ("post", False),
    "rat_return": ("post", True),
    "rat_accept": ("post", True),
}
ATTACHMENT_VIEWS = {"rat_attachment": "get", "rat_attachment_delete": "post"}
MONEY = {"aset", "kewajiban", "ekuitas", "shu", "shu_cadangan", "shu_anggota"}
DINAS_PAGES = ("rat_queue", "rat_completeness", "rat_missing_export")


def form_data(**overrides):
    """The report form as a browser posts it: amounts typed the Indonesian way."""
    values = complete_values(**overrides)
    data = {}
    for name, value in values.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif value is None:
            data[name] = ""
        elif hasattr(value, "quantize") or (isinstance(value, int) and name in MONEY):
            sign = "-" if value < 0 else ""
            data[name] = sign + f"{abs(int(value)):,}".replace(",", ".")
        else:
            data[name] = str(value)
    return data


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


class OfficerFormTests(PersonaTestCase):
    def setUp(self):
        self.client = self.client_for(self.officer_a)
        start = reverse("reports:rat_start", args=[self.coop_a.pk])
        response = self.client.post(start, {"tahun_buku": YEAR})
        self.report = RatReport.objects.get(cooperative=self.coop_a)
        self.assertRedirects(
            response, reverse("reports:rat_edit", args=[self.report.pk])
        )
        self.edit = reverse("reports:rat_edit", args=[self.report.pk])

    def test_the_portal_shows_the_report_due_and_its_deadline(self):
        RatReport.objects.all().delete()
        page = self.client.get(reverse("home"))
        year = reporting_year()
        self.assertContains(page, f"Laporan RAT tahun buku {year}")
        self.assertContains(page, "Isi laporan RAT")
        self.assertContains(page, "laporan paling lambat")
        self.assertContains(page, "Hasil penilaian kesehatan")

    def test_a_draft_saves_with_amounts_typed_as_rupiah(self):
        response = self.client.post(self.edit, form_data())
        self.assertRedirects(response, self.edit)
        self.report.refresh_from_db()
        self.assertEqual(self.report.aset, 1250000000)
        self.assertEqual(self.report.meeting_date, MEETING)
        self.assertContains(self.client.get(self.edit), "1.250.000.000")

    def test_an_unbalanced_report_is_not_saved_and_says_why(self):
        response = self.client.post(self.edit, form_data(aset=1250000001))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "harus sama dengan kewajiban + ekuitas")
        self.report.refresh_from_db()
        self.assertIsNone(self.report.aset)

    def test_wrong_types_get_a_message_not_an_error_page(self):
        data = form_data()
        data.update(aset="satu juta", members_male="-3", meeting_date="31/31/2025")
        response = self.client.post(self.edit, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is-invalid", count=None)
        self.report.refresh_from_db()
        self.assertIsNone(self.report.members_male)

    def test_amounts_out_of_range_are_refused_on_the_form(self):
        data = form_data()
        data.update(aset="-5.000.000", kewajiban="99999999999999999999")
        response = self.client.post(self.edit, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is-invalid")
        self.report.refresh_from_db()
        self.assertIsNone(self.report.aset)
        # A loss is a negative SHU and equity, and is accepted.
        data = form_data(
            shu=-5000000,
            ekuitas=-100000000,
            aset=350000000,
            shu_cadangan=None,
            shu_anggota=None,
            shu_lainnya=None,
        )
        self.assertRedirects(self.client.post(self.edit, data), self.edit)

    def test_a_member_jump_asks_once_and_saves_when_confirmed(self):
        self.coop_a.figures.create(tahun_buku=YEAR - 1, members_male=20)
        response = self.client.post(self.edit, form_data())
        self.assertContains(response, "berubah lebih dari 50%")
        response = self.client.post(self.edit, form_data(confirm_member_jump=True))
        self.assertRedirects(response, self.edit)

    def test_uploads_are_checked_by_content_and_size(self):
        url = reverse("reports:rat_attachment_upload", args=[self.report.pk])
        fake = upload("neraca.pdf", b"<html>bukan pdf</html>")
        response = self.client.post(url, {"kind": "neraca", "file": fake}, follow=True)
        self.assertContains(response, "Jenis berkas tidak diterima")
        with self.settings(RAT_ATTACHMENT_MAX_MB=1):
            big = upload("besar.pdf", b"%PDF-" + b"0" * (1024 * 1024) + b"%%EOF")
            response = self.client.post(
                url, {"kind": "neraca", "file": big}, follow=True
            )
        self.assertContains(response, "batasnya 1 MB")
        self.assertFalse(self.report.attachments.exists())
        response = self.client.post(
            url, {"kind": "neraca", "file": upload("neraca.pdf")}, follow=True
        )
        self.assertContains(response, "Neraca diunggah")
        attachment = self.report.attachments.get()
        served = self.client.get(
            reverse("reports:rat_attachment", args=[attachment.pk])
        )
        self.assertEqual(served["Content-Type"], "application/pdf")
        self.assertEqual(served.getvalue(), PDF)
        self.assertIn("sandbox", served["Content-Security-Policy"])

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


class ReviewTests(PersonaTestCase):
    def test_comments_per_field_reach_the_officer_and_changes_reach_the_staff(self):
        report = submitted_report(self.officer_a, self.coop_a)
        staff = self.client_for(self.staff)
        page = staff.get(report.get_absolute_url())
        self.assertContains(page, 'name="komentar_aset"')
        self.assertContains(page, "Terima laporan")
        staff.post(
            reverse("reports:rat_return", args=[report.pk]),
            {"note": "Periksa neraca.", "komentar_aset": "Aset beda dengan neraca."},
        )
        officer = self.client_for(self.officer_a)
        edit = officer.get(reverse("reports:rat_edit", args=[report.pk]))
        self.assertContains(edit, "Dinas meminta perbaikan")
        self.assertContains(edit, "Periksa neraca.")
        self.assertContains(edit, "Perlu diperbaiki: Aset beda dengan neraca.")
        data = form_data(aset=1300000000, ekuitas=850000000)
        officer.post(reverse("reports:rat_edit", args=[report.pk]), data)
        officer.post(reverse("reports:rat_submit", args=[report.pk]))
        page = staff.get(report.get_absolute_url())
        self.assertContains(page, "Yang berubah sejak pengajuan sebelumnya")
        self.assertContains(page, "Rp 1.250.000.000")
        self.assertContains(page, "Rp 1.300.000.000")
        staff.post(reverse("reports:rat_accept", args=[report.pk]), {"note": ""})
        report.refresh_from_db()
        self.assertEqual(report.status, RatStatus.DITERIMA)

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


class CompletenessTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # coop_a: accepted; coop_b: submitted; c: draft only; d: nothing;
        # e: tidak aktif but reported; f: tidak aktif, nothing.
        cls.c = make_cooperative("Koperasi Gamma", phone="0542-111")
        cls.d = make_cooperative("Koperasi Delta", email="delta@uji.invalid")
        cls.e = make_cooperative("Koperasi Eko", status=CooperativeStatus.TIDAK_AKTIF)
        cls.f = make_cooperative(
            "Koperasi Foxtrot", status=CooperativeStatus.TIDAK_AKTIF
        )
        accepted = submitted_report(cls.officer_a, cls.coop_a)
        services.rat_report_accept(acting_user=cls.staff, report=accepted)
        submitted_report(cls.officer_b, cls.coop_b)
        services.rat_report_start(
            acting_user=cls.staff, cooperative=cls.c, tahun_buku=YEAR
        )
        submitted_report(cls.staff, cls.e)
        # Another year's report must not count.
        submitted_report(cls.staff, cls.d, year=YEAR - 1)

    def test_the_counts_match_the_reports_in_the_database(self):
        data = rat_completeness(YEAR)
        total = data["total"]
        aktif = 4  # a, b, c, d
        reports = RatReport.objects.filter(tahun_buku=YEAR)
        self.assertEqual(total.expected, aktif)
        self.assertEqual(
            total.submitted, reports.exclude(status=RatStatus.DRAFT).count()
        )
        self.assertEqual(total.submitted, 3)
        self.assertEqual(
            total.accepted, reports.filter(status=RatStatus.DITERIMA).count()
        )
        self.assertEqual(total.on_time, reports.filter(submitted_on_time=True).count())
        by_jenis = {row.label: row for row in data["by_jenis"]}
        self.assertEqual(by_jenis["Simpan Pinjam"].submitted, 1)
        self.assertEqual(sum(r.expected for r in data["by_kecamatan"]), aktif)
        self.assertEqual(sum(r.submitted for r in data["by_kecamatan"]), 3)

    def test_the_page_lists_who_has_not_reported_with_contacts_and_exports_it(self):
        staff = self.client_for(self.staff)
        url = reverse("reports:rat_completeness")
        with CaptureQueriesContext(connection) as queries:
            page = staff.get(url, {"tahun": YEAR})
        self.assertLessEqual(len(queries), 12)
        self.assertContains(page, 'data-testid="expected">4<')
        self.assertContains(page, 'data-testid="submitted">3<')
        self.assertContains(page, 'data-testid="accepted">1<')
        missing = page.context["missing"]
        self.assertEqual(
            {c.name for c in missing}, {"Koperasi Gamma", "Koperasi Delta"}
        )
        self.assertContains(page, "0542-111")
        export = staff.get(reverse("reports:rat_missing_export"), {"tahun": YEAR})
        self.assertEqual(export.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(export.content))
        rows = list(book.active.iter_rows(values_only=True))
        self.assertEqual(rows[0][1], "Nama Koperasi")
        self.assertEqual(
            sorted(r[1] for r in rows[1:]), ["Koperasi Delta", "Koperasi Gamma"]
        )
        self.assertIn("delta@uji.invalid", [r[7] for r in rows[1:]])


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
