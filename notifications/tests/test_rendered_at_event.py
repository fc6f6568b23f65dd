"""A notification says what happened when it happened, however late the worker
sends it; each message is recorded with its status and error."""

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from notifications.models import Notification, NotificationStatus
from notifications.services import notification_queue, notification_send
from reports import services
from reports.tests.rat_testing import ready_report
from tests.personas import PersonaTestCase


class DelayedWorkerTests(PersonaTestCase):
    def test_return_resubmit_and_accept_each_mail_their_own_event(self):
        report = ready_report(self.officer_a, self.coop_a)
        # The worker is down: every enqueue waits until the end.
        with self.captureOnCommitCallbacks(execute=False) as waiting:
            report, _ = services.rat_report_submit(
                acting_user=self.officer_a, report=report
            )
            report = services.rat_report_return(
                acting_user=self.staff,
                report=report,
                note="Neraca tidak terbaca.",
                field_comments={"aset": "Aset tidak sesuai neraca."},
            )
            report, _ = services.rat_report_submit(
                acting_user=self.officer_a, report=report
            )
            report = services.rat_report_accept(
                acting_user=self.staff, report=report, note="Lengkap."
            )
        assert mail.outbox == []
        for callback in waiting:
            callback()
        mine = [m for m in mail.outbox if self.officer_a.email in m.to]
        assert len(mine) == 4
        first, returned, second, accepted = (m.body for m in mine)
        assert "pengajuan ke-1" in first and "pengajuan ke-2" in second
        assert "Neraca tidak terbaca." in returned
        # The comment names its field, as people read it.
        assert "- Aset: Aset tidak sesuai neraca." in returned
        assert "perlu diperbaiki" in mine[1].subject
        assert "DITERIMA" in accepted and "Lengkap." in accepted
        assert "Neraca tidak terbaca." not in accepted
        assert set(Notification.objects.values_list("status", flat=True)) == {
            NotificationStatus.SENT
        }

    def test_the_history_names_the_field_of_each_comment(self):
        report = ready_report(self.officer_a, self.coop_a)
        report, _ = services.rat_report_submit(
            acting_user=self.officer_a, report=report
        )
        services.rat_report_return(
            acting_user=self.staff,
            report=report,
            note="",
            field_comments={"aset": "Aset tidak sesuai neraca."},
        )
        page = self.client_for(self.officer_a).get(
            reverse("reports:rat_detail", args=[report.pk])
        )
        self.assertContains(page, "Aset: Aset tidak sesuai neraca.")
        event = self.coop_a.audit_events.get(action="return")
        assert event.changes["aset"]["label"] == "Aset"


class SendingTests(PersonaTestCase):
    def test_a_failure_is_recorded_and_a_retry_sends_the_same_message(self):
        with self.captureOnCommitCallbacks(execute=False):
            (message,) = notification_queue(
                template="public/email/concern",
                context={
                    "concern": {"reference": "ABC12345", "cooperative": self.coop_a},
                    "office": "Dinas",
                },
                recipients=["anggota@uji.invalid", "anggota@uji.invalid"],
            )
        body = message.body
        assert "ABC12345" in body and message.status == NotificationStatus.QUEUED
        # A mail server that refuses the connection (nothing listens on port 9).
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=9,
                EMAIL_USE_TLS=False,
                EMAIL_TIMEOUT=5,
            ),
            self.assertRaises(OSError),
        ):
            notification_send(notification_id=message.pk)
        message.refresh_from_db()
        # Recorded; the task will try again.
        assert message.status == NotificationStatus.RETRYING
        assert message.error and message.attempts == 1
        notification_send(notification_id=message.pk)
        message.refresh_from_db()
        assert message.status == NotificationStatus.SENT and message.attempts == 2
        assert mail.outbox[0].body == body and mail.outbox[0].to == [message.recipient]
        # Sent once: a second delivery of the task sends nothing more.
        notification_send(notification_id=message.pk)
        assert len(mail.outbox) == 1


class StalledTests(PersonaTestCase):
    def test_a_message_nobody_picked_up_is_sent_by_the_next_sweep(self):
        from datetime import timedelta

        from django.utils import timezone

        from notifications.tasks import resend_stalled_notifications

        # The worker lost both messages (say the database refused its first try).
        with self.captureOnCommitCallbacks(execute=False):
            old, fresh = (
                notification_queue(
                    template="public/email/concern",
                    context={
                        "concern": {"reference": name, "cooperative": self.coop_a},
                        "office": "Dinas",
                    },
                    recipients=[f"{name}@uji.invalid"],
                )[0]
                for name in ("lama", "baru")
            )
        Notification.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(minutes=11)
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(resend_stalled_notifications(), 1)
        old.refresh_from_db()
        fresh.refresh_from_db()
        self.assertEqual(old.status, NotificationStatus.SENT)
        self.assertEqual([m.to for m in mail.outbox], [["lama@uji.invalid"]])
        # The one made a moment ago is still the worker's to send.
        self.assertEqual(fresh.status, NotificationStatus.QUEUED)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(resend_stalled_notifications(), 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_message_still_stalled_is_handed_again_at_most_hourly(self):
        from datetime import timedelta

        from django.utils import timezone

        from notifications.tasks import resend_stalled_notifications

        # The worker is down: nothing it is handed gets sent.
        with self.captureOnCommitCallbacks(execute=False):
            notification_queue(
                template="public/email/concern",
                context={
                    "concern": {"reference": "R", "cooperative": self.coop_a},
                    "office": "Dinas",
                },
                recipients=["lama@uji.invalid"],
            )
        Notification.objects.update(created_at=timezone.now() - timedelta(hours=2))
        with self.captureOnCommitCallbacks(execute=False) as handed:
            self.assertEqual(resend_stalled_notifications(), 1)
            self.assertEqual(resend_stalled_notifications(), 0)
        self.assertEqual(len(handed), 1)
