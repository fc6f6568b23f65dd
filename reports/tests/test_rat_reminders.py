"""Reminder e-mails: the right days, never twice, and none once the report is in."""

import datetime
import socket

from celery.exceptions import Retry
from django.core import mail

from cooperatives.models import CooperativeStatus, Officer, Position
from notifications.models import Notification, NotificationStatus
from notifications.services import notification_send
from reports import services
from reports.models import RatPeriod, RatReminder
from reports.tasks import send_rat_reminders
from tests.personas import PersonaTestCase

from .rat_testing import submitted_report

D = datetime.date
# Tahun buku 2025: meeting by 30 June 2026, report 30 days after; without a meeting
# date the report is due 30 July 2026.
OFFSET_DAYS = {
    D(2026, 6, 30): 30,
    D(2026, 7, 23): 7,
    D(2026, 7, 30): 0,
    D(2026, 8, 6): -7,
}


class ReminderTests(PersonaTestCase):
    def send(self, today):
        # The messages are sent by the notification task once the reminder commits.
        with self.captureOnCommitCallbacks(execute=True):
            return services.rat_reminders_send(today=today)

    def test_reminders_go_out_on_each_configured_day_only(self):
        for today, offset in OFFSET_DAYS.items():
            with self.subTest(today=today):
                mail.outbox.clear()
                # Two aktif cooperatives with officers who have e-mail addresses.
                self.assertEqual(self.send(today), 2)
                self.assertEqual(len(mail.outbox), 2)
                self.assertTrue(
                    RatReminder.objects.filter(
                        tahun_buku=2025, offset_days=offset
                    ).count()
                    == 2
                )
        for quiet_day in (D(2026, 6, 29), D(2026, 7, 1), D(2026, 7, 31)):
            with self.subTest(today=quiet_day):
                self.assertEqual(self.send(quiet_day), 0)

    def test_the_e_mail_is_in_bahasa_indonesia_and_names_the_deadline(self):
        self.send(D(2026, 7, 23))
        message = next(m for m in mail.outbox if self.officer_a.email in m.to)
        self.assertIn("Pengingat", message.subject)
        self.assertIn(self.coop_a.name, message.subject)
        self.assertIn("30 Juli 2026", message.body)
        self.assertIn("7 hari lagi", message.body)
        self.send(D(2026, 8, 6))
        late = mail.outbox[-1]
        self.assertIn("terlambat", late.subject)
        self.assertIn("telah lewat 7 hari", late.body)

    def test_running_twice_on_one_day_sends_nothing_twice(self):
        self.assertEqual(self.send(D(2026, 7, 23)), 2)
        self.assertEqual(self.send(D(2026, 7, 23)), 0)
        self.assertEqual(send_rat_reminders.apply(kwargs={}).result, 0)
        self.assertEqual(len(mail.outbox), 2)

    def test_they_stop_once_the_report_is_submitted(self):
        submitted_report(
            self.officer_a, self.coop_a, year=2025, confirm_member_jump=True
        )
        mail.outbox.clear()
        self.assertEqual(self.send(D(2026, 7, 30)), 1)
        self.assertNotIn(self.officer_a.email, mail.outbox[0].to)

    def test_a_draft_with_a_meeting_date_counts_from_that_meeting(self):
        report = services.rat_report_start(
            acting_user=self.officer_a, cooperative=self.coop_a, tahun_buku=2025
        )
        services.rat_report_save(
            acting_user=self.officer_a,
            report=report,
            values={"meeting_date": D(2026, 3, 14)},
        )
        # Due 13 April 2026: a week before is 6 April.
        self.assertEqual(self.send(D(2026, 4, 6)), 1)
        self.assertIn(self.officer_a.email, mail.outbox[0].to)
        self.assertIn("Draf laporan Anda sudah ada", mail.outbox[0].body)

    def test_inactive_cooperatives_and_those_without_addresses_get_none(self):
        self.coop_b.status = CooperativeStatus.TIDAK_AKTIF
        self.coop_b.save()
        Officer.objects.filter(cooperative=self.coop_a).update(is_active=False)
        Officer.objects.create(
            cooperative=self.coop_a, name="Tanpa E-mail", position=Position.BENDAHARA
        )
        self.assertEqual(self.send(D(2026, 7, 23)), 0)

    def test_officers_of_a_cooperative_all_receive_it_once(self):
        Officer.objects.create(
            cooperative=self.coop_a,
            name="Sekretaris",
            position=Position.SEKRETARIS,
            email="sekretaris@uji.invalid",
        )
        Officer.objects.create(
            cooperative=self.coop_a,
            name="Ketua lagi",
            position=Position.BENDAHARA,
            email=self.officer_a.email.upper(),
        )
        self.send(D(2026, 7, 23))
        mine = [m.to for m in mail.outbox if self.coop_a.name in m.subject]
        # One message each, the same address written twice counted once.
        self.assertEqual(
            sorted(address.lower() for to in mine for address in to),
            sorted([self.officer_a.email, "sekretaris@uji.invalid"]),
        )

    def test_a_mail_server_error_is_recorded_and_retried_without_reminding_twice(
        self,
    ):
        # A mail server that does not answer: nothing listens on that port.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed_port = probe.getsockname()[1]
        down = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": closed_port,
            "EMAIL_USE_TLS": False,
        }
        # The sending task (run eagerly here) asks Celery to retry it later.
        with self.settings(**down), self.assertRaises(Retry):
            self.send(D(2026, 7, 23))
        self.assertEqual(RatReminder.objects.count(), 2)
        failed = Notification.objects.filter(template="reports/email/rat_reminder")
        self.assertEqual(failed.count(), 2)
        self.assertEqual(failed.filter(status=NotificationStatus.RETRYING).count(), 1)
        self.assertIn("ConnectionRefusedError", failed.exclude(error="")[0].error)
        # A second run the same day reminds nobody again ...
        self.assertEqual(self.send(D(2026, 7, 23)), 0)
        # ... and the task's retry sends the stored message.
        for message in failed.exclude(status=NotificationStatus.SENT):
            notification_send(notification_id=message.pk)
        self.assertEqual(failed.filter(status=NotificationStatus.SENT).count(), 2)
        self.assertEqual(len(mail.outbox), 2)

    def test_offsets_and_deadlines_follow_the_configuration(self):
        RatPeriod.objects.create(
            tahun_buku=2025, meeting_deadline=D(2026, 3, 31), report_days=30
        )
        with self.settings(RAT_REMINDER_OFFSETS=[3]):
            self.assertEqual(self.send(D(2026, 4, 27)), 2)  # due 30 April
            self.assertEqual(self.send(D(2026, 4, 23)), 0)
