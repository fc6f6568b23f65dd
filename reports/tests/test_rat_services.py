"""Every transition of a RAT report, every refused one, and what each leaves behind."""

import datetime
import os
from decimal import Decimal

from django.core import mail
from django.db import IntegrityError

from audit.models import AuditAction, AuditEvent
from cooperatives.models import RecordSource
from reports import services
from reports.models import (
    AttachmentKind,
    RatAttachment,
    RatPeriod,
    RatReport,
    RatStatus,
    RatSubmission,
    ReviewDecision,
)
from reports.services import RatRefused
from tests.personas import PersonaTestCase

from .rat_testing import (
    MEETING,
    YEAR,
    png_bytes,
    ready_report,
    submitted_report,
    upload,
)


class TransitionTests(PersonaTestCase):
    def submit(self, report, user=None):
        return services.rat_report_submit(
            acting_user=user or self.officer_a, report=report
        )

    def send_back(self, report, **comments):
        return services.rat_report_return(
            acting_user=self.staff,
            report=report,
            note="Lampiran neraca tidak terbaca.",
            field_comments=comments,
        )

    def test_starting_twice_gives_the_same_draft(self):
        first = services.rat_report_start(
            acting_user=self.officer_a, cooperative=self.coop_a, tahun_buku=YEAR
        )
        second = services.rat_report_start(
            acting_user=self.officer_a, cooperative=self.coop_a, tahun_buku=YEAR
        )
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(first.status, RatStatus.DRAFT)
        self.assertFalse(first.entered_by_staff)
        self.assertEqual(RatReport.objects.count(), 1)

    def test_a_year_that_has_not_ended_cannot_be_reported(self):
        with self.assertRaisesMessage(RatRefused, "setelah tahun itu berakhir"):
            services.rat_report_start(
                acting_user=self.officer_a,
                cooperative=self.coop_a,
                tahun_buku=datetime.date.today().year,
            )

    def test_one_report_per_cooperative_and_year_is_enforced_by_the_database(self):
        RatReport.objects.create(cooperative=self.coop_a, tahun_buku=YEAR)
        with self.assertRaises(IntegrityError):
            RatReport.objects.create(cooperative=self.coop_a, tahun_buku=YEAR)

    def test_submitting_stamps_gives_a_receipt_keeps_a_copy_and_mails_it(self):
        report = ready_report(self.officer_a, self.coop_a)
        report, submitted = self.submit(report)
        self.assertTrue(submitted)
        self.assertEqual(report.status, RatStatus.DIAJUKAN)
        self.assertEqual(report.receipt_number, f"RAT/{YEAR}/{report.pk:06d}")
        self.assertEqual(report.submitted_by, self.officer_a)
        self.assertIsNotNone(report.submitted_at)
        self.assertEqual(report.submission_count, 1)
        copy = RatSubmission.objects.get(report=report)
        self.assertEqual(copy.data["aset"], "1250000000.00")
        self.assertEqual(copy.data["meeting_date"], MEETING.isoformat())
        self.assertEqual(len(copy.attachments), 4)
        self.assertTrue(
            AuditEvent.objects.filter(
                action=AuditAction.SUBMIT, object_id=str(report.pk)
            ).exists()
        )

    def test_the_receipt_e_mail_goes_to_the_submitter_after_commit(self):
        with self.captureOnCommitCallbacks(execute=True):
            report, _ = self.submit(ready_report(self.officer_a, self.coop_a))
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertIn(report.receipt_number, message.subject)
        self.assertIn(report.receipt_number, message.body)
        self.assertIn(self.officer_a.email, message.to)

    def test_a_second_submit_of_the_same_report_changes_nothing(self):
        report, _ = self.submit(ready_report(self.officer_a, self.coop_a))
        again, submitted = self.submit(report)
        self.assertFalse(submitted)
        self.assertEqual(again.submission_count, 1)
        self.assertEqual(RatSubmission.objects.count(), 1)
        self.assertEqual(
            AuditEvent.objects.filter(action=AuditAction.SUBMIT).count(), 1
        )

    def test_an_incomplete_report_is_refused_with_every_problem(self):
        report = services.rat_report_start(
            acting_user=self.officer_a, cooperative=self.coop_a, tahun_buku=YEAR
        )
        with self.assertRaises(RatRefused) as caught:
            self.submit(report)
        fields = {p.field for p in caught.exception.problems}
        self.assertTrue({"meeting_date", "aset", "attachments"} <= fields)
        report.refresh_from_db()
        self.assertEqual(report.status, RatStatus.DRAFT)
        self.assertIsNone(report.receipt_number)

    def test_a_submitted_report_cannot_be_edited_or_given_new_files(self):
        report = submitted_report(self.officer_a, self.coop_a)
        with self.assertRaisesMessage(RatRefused, "tidak bisa diubah"):
            services.rat_report_save(
                acting_user=self.officer_a, report=report, values={"quorum": 1}
            )
        with self.assertRaisesMessage(RatRefused, "tidak bisa diubah"):
            services.rat_attachment_add(
                acting_user=self.officer_a,
                report=report,
                kind=AttachmentKind.RAPB,
                upload=upload(),
            )

    def test_sending_back_needs_a_reason_and_opens_the_report_again(self):
        report = submitted_report(self.officer_a, self.coop_a)
        with self.assertRaisesMessage(RatRefused, "Tuliskan apa yang perlu"):
            services.rat_report_return(
                acting_user=self.staff, report=report, note=" ", field_comments={}
            )
        with self.captureOnCommitCallbacks(execute=True):
            report = self.send_back(report, aset="Aset tidak sesuai neraca.")
        self.assertEqual(report.status, RatStatus.PERLU_PERBAIKAN)
        self.assertEqual(report.reviewed_by, self.staff)
        review = report.reviews.get()
        self.assertEqual(review.decision, ReviewDecision.RETURNED)
        self.assertEqual(review.field_comments, {"aset": "Aset tidak sesuai neraca."})
        self.assertEqual(review.submission.number, 1)
        self.assertIn("Aset tidak sesuai neraca.", mail.outbox[-1].body)
        self.assertTrue(report.is_editable)

    def test_a_fixed_report_is_resubmitted_under_the_same_receipt(self):
        report = submitted_report(self.officer_a, self.coop_a)
        receipt = report.receipt_number
        report = self.send_back(report)
        services.rat_report_save(
            acting_user=self.officer_a,
            report=report,
            values={"aset": Decimal("1300000000"), "ekuitas": Decimal("850000000")},
        )
        report, submitted = self.submit(report)
        self.assertTrue(submitted)
        self.assertEqual(report.status, RatStatus.DIAJUKAN)
        self.assertEqual(report.receipt_number, receipt)
        self.assertEqual(report.submission_count, 2)
        self.assertEqual(
            list(report.submissions.values_list("number", flat=True)), [1, 2]
        )

    def test_accepting_updates_the_figures_and_the_last_rat(self):
        report = submitted_report(self.officer_a, self.coop_a)
        with self.captureOnCommitCallbacks(execute=True):
            report = services.rat_report_accept(
                acting_user=self.staff, report=report, note="Lengkap."
            )
        self.assertEqual(report.status, RatStatus.DITERIMA)
        figures = self.coop_a.figures.get(tahun_buku=YEAR)
        self.assertEqual(figures.source, RecordSource.RAT_REPORT)
        self.assertEqual(figures.aset, Decimal("1250000000"))
        self.assertEqual(figures.modal_sendiri, Decimal("800000000"))
        self.assertEqual((figures.members_male, figures.members_female), (40, 35))
        self.coop_a.refresh_from_db()
        self.assertEqual(self.coop_a.last_rat_date, MEETING)
        self.assertEqual(self.coop_a.last_rat_year, YEAR)
        self.assertIn("DITERIMA", mail.outbox[-1].body)
        self.assertEqual(
            AuditEvent.objects.filter(action=AuditAction.ACCEPT).count(), 1
        )

    def test_an_older_report_does_not_move_a_later_last_rat_back(self):
        later = datetime.date(2026, 2, 1)
        self.coop_a.last_rat_date = later
        self.coop_a.save()
        report = submitted_report(self.officer_a, self.coop_a)
        services.rat_report_accept(acting_user=self.staff, report=report)
        self.coop_a.refresh_from_db()
        self.assertEqual(self.coop_a.last_rat_date, later)

    def test_invalid_transitions_are_refused(self):
        draft = ready_report(self.officer_a, self.coop_a)
        with self.assertRaisesMessage(RatRefused, "Hanya laporan berstatus"):
            services.rat_report_accept(acting_user=self.staff, report=draft)
        with self.assertRaisesMessage(RatRefused, "Hanya laporan berstatus"):
            self.send_back(draft)
        accepted = services.rat_report_accept(
            acting_user=self.staff, report=self.submit(draft)[0]
        )
        with self.assertRaisesMessage(RatRefused, "Hanya laporan berstatus"):
            services.rat_report_accept(acting_user=self.staff, report=accepted)
        with self.assertRaisesMessage(RatRefused, "Hanya laporan berstatus"):
            self.send_back(accepted)
        with self.assertRaisesMessage(RatRefused, "tidak bisa diubah"):
            services.rat_report_save(
                acting_user=self.officer_a, report=accepted, values={"quorum": 1}
            )
        again, submitted = self.submit(accepted)
        self.assertFalse(submitted)
        self.assertEqual(again.status, RatStatus.DITERIMA)
        returned = submitted_report(self.officer_b, self.coop_b)
        returned = self.send_back(returned)
        with self.assertRaisesMessage(RatRefused, "Hanya laporan berstatus"):
            services.rat_report_accept(acting_user=self.staff, report=returned)

    def test_on_time_is_judged_at_the_first_submission(self):
        RatPeriod.objects.create(
            tahun_buku=YEAR, meeting_deadline=datetime.date(2025, 6, 30), report_days=30
        )
        late = submitted_report(self.officer_a, self.coop_a)
        self.assertFalse(late.submitted_on_time)
        RatPeriod.objects.filter(tahun_buku=YEAR).update(report_days=20000)
        on_time = submitted_report(self.officer_b, self.coop_b)
        self.assertTrue(on_time.submitted_on_time)

    def test_a_paper_report_started_by_staff_is_marked_as_such(self):
        report = ready_report(self.staff, self.coop_b)
        self.assertTrue(report.entered_by_staff)
        report, submitted = services.rat_report_submit(
            acting_user=self.staff, report=report
        )
        self.assertTrue(submitted)
        self.assertEqual(report.submitted_by, self.staff)


class AttachmentServiceTests(PersonaTestCase):
    def test_a_new_file_of_the_same_kind_replaces_the_old_one(self):
        report = services.rat_report_start(
            acting_user=self.officer_a, cooperative=self.coop_a, tahun_buku=YEAR
        )
        with self.captureOnCommitCallbacks(execute=True):
            first = services.rat_attachment_add(
                acting_user=self.officer_a,
                report=report,
                kind=AttachmentKind.NERACA,
                upload=upload("neraca.pdf"),
            )
        old_path = first.file.path
        with self.captureOnCommitCallbacks(execute=True):
            second = services.rat_attachment_add(
                acting_user=self.officer_a,
                report=report,
                kind=AttachmentKind.NERACA,
                upload=upload("neraca-baru.png", png_bytes()),
            )
        self.assertEqual(RatAttachment.objects.filter(report=report).count(), 1)
        self.assertEqual(second.content_type, "image/png")
        self.assertEqual(second.original_name, "neraca-baru.png")
        self.assertFalse(os.path.exists(old_path))
        self.assertTrue(os.path.exists(second.file.path))
        # The stored name never comes from the upload.
        self.assertNotIn("neraca-baru", second.file.name)

    def test_a_refused_file_leaves_nothing_behind(self):
        report = services.rat_report_start(
            acting_user=self.officer_a, cooperative=self.coop_a, tahun_buku=YEAR
        )
        with self.assertRaisesMessage(RatRefused, "Jenis berkas tidak diterima"):
            services.rat_attachment_add(
                acting_user=self.officer_a,
                report=report,
                kind=AttachmentKind.NERACA,
                upload=upload("neraca.pdf", b"MZ not really a pdf"),
            )
        self.assertFalse(RatAttachment.objects.exists())

    def test_the_size_limit_comes_from_settings(self):
        report = services.rat_report_start(
            acting_user=self.officer_a, cooperative=self.coop_a, tahun_buku=YEAR
        )
        big = upload("besar.pdf", b"%PDF-" + b"0" * 1024 * 1024 + b"%%EOF")
        with (
            self.settings(RAT_ATTACHMENT_MAX_MB=1),
            self.assertRaisesMessage(RatRefused, "batasnya 1 MB"),
        ):
            services.rat_attachment_add(
                acting_user=self.officer_a,
                report=report,
                kind=AttachmentKind.NERACA,
                upload=big,
            )
