"""A letter batch that fails or is overtaken: letters numbered and never made are
withdrawn so that asking again makes them; a cooperative dissolved meanwhile gets
no letter and no notice; a letter dated ahead keeps the earlier letter's link
working until its own day, and its own link until its answer date."""

from datetime import timedelta
from unittest import mock

import pypdfium2 as pdfium
from django.core import mail
from django.db import OperationalError
from django.test import TransactionTestCase
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from campaigns.models import CampaignLetter, ConfirmationLink, JobStatus
from campaigns.selectors import objection_period_items
from campaigns.services import campaign_refresh
from campaigns.services import letters as letter_services
from campaigns.services.letter_ladder import letter_respond_by
from campaigns.services.letters import (
    letter_job_execute,
    letter_job_fail,
    letter_job_request,
)
from campaigns.tests.base import CampaignTestCase, dissolve, open_campaign
from campaigns.tests.test_letters import batch, body, requested
from lib.testing import missing_services, require_or_skip
from notifications.models import Notification
from notifications.services import notifications_stalled_resend
from tests.meanwhile import Meanwhile
from tests.personas import make_cooperative, make_user

TODAY = timezone.localdate


def failing_on(call: int, real, error: Exception):
    """``real``, raising ``error`` on its ``call``-th call (WeasyPrint dying on
    one letter, a deadlock while one is numbered)."""
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == call:
            raise error
        return real(*args, **kwargs)

    return flaky


def up_to_the_peringatan(test):
    """Coop B's pemberitahuan, teguran I and II, a month apart, the last 38
    days ago: its peringatan is due."""
    day = TODAY() - timedelta(days=100)
    for kind in ("pemberitahuan", "teguran_1", "teguran_2"):
        batch(test, kind, day)
        day += timedelta(days=31)


class BatchFailureTests(CampaignTestCase):
    def three(self):
        for n in range(3):
            make_cooperative(f"KUD Bagian {n}", last_rat_year=2010)
        campaign = open_campaign(2024)
        return campaign, self.ask(campaign)

    def ask(self, campaign):
        return letter_job_request(
            acting_user=self.staff,
            campaign=campaign,
            kind="pemberitahuan",
            issued_on=TODAY(),
            filters={"q": "KUD Bagian"},
        )

    def test_asking_again_after_a_failed_part_makes_the_letters_not_made(self):
        # The whole batch is numbered first; a part that failed had left the
        # others' letters numbered and never made, and asking again found
        # nothing due.
        from campaigns import documents

        campaign, job = self.three()
        flaky = failing_on(1, documents.render_pdf, RuntimeError("renderer died"))
        with (
            mock.patch("campaigns.documents.render_pdf", side_effect=flaky),
            self.assertRaises(RuntimeError),
        ):
            letter_job_execute(job_id=job.pk, part=0)
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertIn("minta lagi", job.error)
        # The other part stops; what was not made is withdrawn, its number kept.
        letter_job_execute(job_id=job.pk, part=1)
        unmade = CampaignLetter.objects.filter(job=job, file="")
        self.assertEqual(unmade.count(), 3)
        self.assertFalse(unmade.filter(cancelled_at__isnull=True).exists())
        # The trail says each was withdrawn, and why.
        withdrawn = AuditEvent.objects.filter(
            content_type__model="campaignletter", action="revoke"
        )
        self.assertEqual(withdrawn.count(), 3)
        self.assertEqual(
            {event.message for event in withdrawn},
            {"Pembuatan surat gagal; surat tidak dikirim."},
        )
        again = letter_job_execute(job_id=self.ask(campaign).pk)
        self.assertEqual((again.status, again.done), (JobStatus.DONE, 3))
        made = CampaignLetter.objects.filter(cancelled_at__isnull=True)
        self.assertEqual(made.count(), 3)
        self.assertFalse(made.filter(file="").exists())

    def test_the_letters_made_before_a_failure_can_still_be_printed(self):
        # Every letter was made, then joining them failed: the job ended as
        # failed with no PDF to print, and asking again found nothing to do.
        _campaign, job = self.three()
        with (
            mock.patch("campaigns.documents.combine_pdfs", side_effect=MemoryError()),
            self.assertRaises(MemoryError),
        ):
            letter_job_execute(job_id=job.pk)
        job.refresh_from_db()
        self.assertEqual((job.status, job.file.name), (JobStatus.FAILED, ""))
        self.assertEqual(
            CampaignLetter.objects.filter(job=job, cancelled_at=None).count(), 3
        )
        staff = self.client_for(self.staff)
        page = staff.get(job.get_absolute_url())
        self.assertContains(page, "3 surat sudah dibuat sebelum proses gagal")
        download = staff.get(reverse("campaigns:job_download", args=[job.pk]))
        self.assertEqual(download["Content-Type"], "application/pdf")
        self.assertIn("yang-sudah-dibuat.pdf", download["Content-Disposition"])
        self.assertEqual(len(pdfium.PdfDocument(body(download))), 3)
        # Officers reach no batch.
        officer = self.client_for(self.officer_b)
        url = reverse("campaigns:job_download", args=[job.pk])
        self.assertEqual(officer.get(url).status_code, 404)

    def test_a_batch_that_failed_before_making_a_letter_offers_no_pdf(self):
        from campaigns import documents

        campaign, job = self.three()
        with (
            mock.patch("campaigns.documents.render_pdf", side_effect=RuntimeError),
            self.assertRaises(RuntimeError),
        ):
            letter_job_execute(job_id=job.pk)
        staff = self.client_for(self.staff)
        page = staff.get(job.get_absolute_url())
        self.assertContains(page, "Surat gagal dibuat (RuntimeError)")
        self.assertNotContains(page, "sudah dibuat sebelum proses gagal")
        url = reverse("campaigns:job_download", args=[job.pk])
        self.assertEqual(staff.get(url).status_code, 404)
        # Asked again: one made, then the renderer died: that one is printable.
        job = self.ask(campaign)
        flaky = failing_on(2, documents.render_pdf, RuntimeError("renderer died"))
        with (
            mock.patch("campaigns.documents.render_pdf", side_effect=flaky),
            self.assertRaises(RuntimeError),
        ):
            letter_job_execute(job_id=job.pk)
        page = staff.get(job.get_absolute_url())
        self.assertContains(page, "1 surat sudah dibuat sebelum proses gagal")
        download = staff.get(reverse("campaigns:job_download", args=[job.pk]))
        self.assertEqual(len(pdfium.PdfDocument(body(download))), 1)

    def test_an_error_while_numbering_fails_the_batch_and_leaves_nothing(self):
        # It had left the batch queued for ever, blocking every new request.
        campaign, job = self.three()
        # The second letter's numbering meets a deadlock.
        deadlock = OperationalError("deadlock detected")
        flaky = failing_on(2, letter_services._issue, deadlock)
        with (
            mock.patch.object(letter_services, "_issue", side_effect=flaky),
            self.assertRaises(OperationalError),
        ):
            letter_job_execute(job_id=job.pk, part=0)
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertFalse(CampaignLetter.objects.exists())
        again = letter_job_execute(job_id=self.ask(campaign).pk)
        self.assertEqual(again.done, 3)

    def test_a_cooperative_dissolved_after_numbering_gets_no_letter(self):
        _campaign, job = self.three()
        job = letter_job_execute(job_id=job.pk, part=1)
        pending = CampaignLetter.objects.filter(job=job, file="").first()
        dissolve(pending.item.cooperative, by=self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            job = letter_job_execute(job_id=job.pk, part=0)
        pending.refresh_from_db()
        self.assertFalse(pending.file)
        self.assertIsNotNone(pending.cancelled_at)
        self.assertEqual(job.params["dissolved"], [pending.item.cooperative.name])
        self.assertFalse(
            Notification.objects.filter(topic=f"campaign_letter:{pending.pk}").exists()
        )


class PeringatanFailureTests(CampaignTestCase):
    def test_a_peringatan_not_made_announces_no_dissolution(self):
        # Numbered, then its rendering failed: the cooperative stood on the public
        # dissolution list with no letter sent.
        up_to_the_peringatan(self)
        with (
            mock.patch(
                "campaigns.documents.render_pdf", side_effect=RuntimeError("died")
            ),
            self.assertRaises(RuntimeError),
        ):
            batch(self, "peringatan", TODAY() - timedelta(days=3))
        self.item_b.refresh_from_db()
        self.assertIsNone(self.item_b.peringatan_on)
        self.assertEqual(objection_period_items(today=TODAY()), [])
        # Asked again, it is made, and the period opens.
        batch(self, "peringatan", TODAY() - timedelta(days=3))
        made = CampaignLetter.objects.get(kind="peringatan", cancelled_at__isnull=True)
        self.assertTrue(made.file)
        self.assertEqual(objection_period_items(today=TODAY()), [self.item_b])


class DatedAheadTests(CampaignTestCase):
    def test_the_earlier_link_works_until_the_new_letter_s_day(self):
        batch(self, "pemberitahuan", TODAY() - timedelta(days=100))
        ahead = TODAY() + timedelta(days=20)
        batch(self, "teguran_1", ahead)
        first, second = ConfirmationLink.objects.filter(item=self.item_b).order_by("pk")
        # The pemberitahuan's link, the one the officers hold, works until the
        # teguran's day; the teguran's until its own answer date at least.
        self.assertGreater(first.expires_at, timezone.now())
        self.assertEqual(timezone.localtime(first.expires_at).date(), ahead)
        teguran = CampaignLetter.objects.get(kind="teguran_1")
        self.assertGreater(
            timezone.localtime(second.expires_at).date(), letter_respond_by(teguran)
        )

    def test_a_letter_dated_far_ahead_carries_a_link_that_outlives_its_answer_date(
        self,
    ):
        batch(self, "pemberitahuan", TODAY() - timedelta(days=100))
        batch(self, "teguran_1", TODAY() + timedelta(days=200))
        teguran = CampaignLetter.objects.get(kind="teguran_1")
        link = ConfirmationLink.objects.filter(item=self.item_b).latest("pk")
        self.assertGreater(
            timezone.localtime(link.expires_at).date(), letter_respond_by(teguran)
        )

    def test_a_cooperative_dissolved_before_the_letter_s_day_is_not_told(self):
        with self.captureOnCommitCallbacks(execute=True):
            batch(self, "pemberitahuan", TODAY() + timedelta(days=10))
        dissolve(self.coop_b, by=self.staff)
        campaign_refresh()
        letter = CampaignLetter.objects.get()
        self.assertIsNotNone(letter.cancelled_at)
        notices = Notification.objects.filter(topic=f"campaign_letter:{letter.pk}")
        self.assertEqual({n.status for n in notices}, {"withdrawn"})
        notices.update(not_before=timezone.now() - timedelta(minutes=1))
        with self.captureOnCommitCallbacks(execute=True):
            notifications_stalled_resend()
        self.assertEqual(mail.outbox, [])


class Killed(BaseException):
    """A worker killed (SIGKILL, the OOM killer): no ``except Exception`` runs."""


class KilledWorkerTests(CampaignTestCase):
    def test_a_batch_its_worker_keeps_dying_on_withdraws_what_it_did_not_make(self):
        # Failed after its resumes, it had left a peringatan numbered and never
        # made: the cooperative stood on the public dissolution list, and asking
        # again was refused.
        from koperasi_registry.jobs import unfinished_jobs_resume

        up_to_the_peringatan(self)
        job = requested(self, "peringatan", TODAY() - timedelta(days=3))
        with (
            mock.patch("campaigns.documents.render_pdf", side_effect=Killed()),
            self.assertRaises(Killed),
        ):
            letter_job_execute(job_id=job.pk, part=0)
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.RUNNING)
        for _ in range(3):  # the worker restarts and dies on it each time
            unfinished_jobs_resume()
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.FAILED)
        letter = CampaignLetter.objects.get(kind="peringatan")
        self.assertIsNotNone(letter.cancelled_at)
        self.item_b.refresh_from_db()
        self.assertIsNone(self.item_b.peringatan_on)
        self.assertEqual(objection_period_items(today=TODAY()), [])
        self.assertEqual(batch(self, "peringatan", TODAY()).done, 1)

    def test_a_batch_killed_while_numbering_is_taken_up_again(self):
        from koperasi_registry.jobs import unfinished_jobs_resume

        job = requested(self, "pemberitahuan", TODAY())
        with (
            mock.patch.object(letter_services, "_issue", side_effect=Killed()),
            self.assertRaises(Killed),
        ):
            letter_job_execute(job_id=job.pk, part=0)
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.QUEUED)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(unfinished_jobs_resume(), 1)
        job.refresh_from_db()
        self.assertEqual((job.status, job.done), (JobStatus.DONE, 1))

    def test_a_letter_that_fails_leaves_the_earlier_link_working(self):
        # The teguran's link was stored before its PDF was made: a batch that
        # then failed had ended the pemberitahuan's link for nothing.
        batch(self, "pemberitahuan", TODAY() - timedelta(days=100))
        first = ConfirmationLink.objects.get(item=self.item_b)
        with (
            mock.patch(
                "campaigns.documents.render_pdf", side_effect=RuntimeError("died")
            ),
            self.assertRaises(RuntimeError),
        ):
            batch(self, "teguran_1", TODAY())
        first.refresh_from_db()
        self.assertGreater(first.expires_at, timezone.now())
        self.assertEqual(ConfirmationLink.objects.filter(item=self.item_b).count(), 1)


class LetterRaceTests(TransactionTestCase):
    # Two connections, one waiting for the other's lock: SQLite's in-memory test
    # database has one writer at a time and cannot show it.
    serialized_rollback = True

    def setUp(self):
        require_or_skip(missing_services())
        from accounts.models import Role

        self.staff = make_user("staf-balapan-surat", Role.STAFF)
        make_cooperative("KUD Balapan", last_rat_year=2010, email="kud@uji.invalid")
        campaign = open_campaign(2025)
        self.job = letter_job_request(
            acting_user=self.staff,
            campaign=campaign,
            kind="pemberitahuan",
            issued_on=timezone.localdate(),
            filters={"q": "KUD Balapan"},
        )

    def saving(self, sql):
        """Once a part holds the letter it is saving."""
        return "FOR UPDATE" in sql and "campaigns_campaignletter" in sql

    def test_a_failure_elsewhere_leaves_a_letter_being_saved_as_made(self):
        # The failing part's withdrawal waited for the letter's lock, then
        # cancelled a letter already made and its notice.
        other_part_fails = Meanwhile(
            lambda: letter_job_fail(job_id=self.job.pk, error="another part died"),
            after=self.saving,
        )
        with other_part_fails:
            letter_job_execute(job_id=self.job.pk, part=0)
        self.assertIsNone(other_part_fails.result)
        letter = CampaignLetter.objects.get()
        self.assertTrue(letter.file)
        self.assertIsNone(letter.cancelled_at)

    def test_a_part_handed_out_twice_at_once_makes_its_letter_once(self):
        again = Meanwhile(
            lambda: letter_job_execute(job_id=self.job.pk, part=0),
            after=self.saving,
            wait=3,
        )
        with again:
            letter_job_execute(job_id=self.job.pk, part=0)
        self.assertEqual(again.result.pk, self.job.pk)
        letter = CampaignLetter.objects.get()
        notices = Notification.objects.filter(topic=f"campaign_letter:{letter.pk}")
        self.assertEqual(notices.count(), 1)
        self.assertEqual(ConfirmationLink.objects.filter(item=letter.item).count(), 1)
        self.job.refresh_from_db()
        self.assertEqual((self.job.status, self.job.done), ("done", 1), self.job.params)
