"""A letter batch that fails or is overtaken: letters numbered and never made are
withdrawn so that asking again makes them; a cooperative dissolved meanwhile gets
no letter and no notice; a letter dated ahead keeps the earlier letter's link
working until its own day, and its own link until its answer date."""

from datetime import timedelta
from unittest import mock

from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from campaigns.models import CampaignLetter, ConfirmationLink, JobStatus
from campaigns.selectors import objection_period_items
from campaigns.services import campaign_refresh
from campaigns.services import letters as letter_services
from campaigns.services.letters import (
    letter_job_execute,
    letter_job_request,
    letter_respond_by,
)
from campaigns.tests.base import CampaignTestCase, dissolve, open_campaign
from campaigns.tests.test_letters import batch
from notifications.models import Notification
from notifications.services import notifications_stalled_resend
from tests.personas import make_cooperative

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
        self.assertIn("Minta lagi", job.error)
        # The other part stops; what was not made is withdrawn, its number kept.
        letter_job_execute(job_id=job.pk, part=1)
        unmade = CampaignLetter.objects.filter(job=job, file="")
        self.assertEqual(unmade.count(), 3)
        self.assertFalse(unmade.filter(cancelled_at__isnull=True).exists())
        again = letter_job_execute(job_id=self.ask(campaign).pk)
        self.assertEqual((again.status, again.done), (JobStatus.DONE, 3))
        made = CampaignLetter.objects.filter(cancelled_at__isnull=True)
        self.assertEqual(made.count(), 3)
        self.assertFalse(made.filter(file="").exists())

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
        day = TODAY() - timedelta(days=100)
        for kind in ("pemberitahuan", "teguran_1", "teguran_2"):
            batch(self, kind, day)
            day += timedelta(days=31)
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
