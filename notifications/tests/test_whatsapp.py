"""The WhatsApp channel against a local fake of the Cloud API's message endpoint:
sent, template refused, network down then retried, every message recorded; and
without the API, the "Kirim lewat WhatsApp" link staff send by hand."""

import datetime
from urllib.parse import quote, unquote

from django.core import mail
from django.core.checks import run_checks
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from audit.models import AuditEvent
from cooperatives.models import Officer, OfficerInvitation
from cooperatives.services import officer_invite, officer_send_password_link
from notifications.models import Channel, Notification, NotificationStatus
from notifications.services import MAX_RETRIES, notification_send
from notifications.tasks import send_notification
from notifications.whatsapp import WhatsAppUnavailable
from reports import services
from reports.tests.rat_testing import ready_report
from tests.personas import PersonaTestCase

from .fake_whatsapp import FakeCloudAPI

PHONE = "0812-3456-7890"
E164 = "+6281234567890"


class WhatsAppTestCase(PersonaTestCase):
    def setUp(self) -> None:
        self.api = FakeCloudAPI().start()
        self.addCleanup(self.api.stop)
        self.officer = Officer.objects.get(cooperative=self.coop_a, user=self.officer_a)
        self.officer.phone = PHONE
        self.officer.notify_by = Channel.WHATSAPP
        self.officer.save()

    def submit(self):
        report = ready_report(self.officer_a, self.coop_a)
        with self.captureOnCommitCallbacks(execute=True):
            report, _ = services.rat_report_submit(
                acting_user=self.officer_a, report=report
            )
        return report


class CloudAPITests(WhatsAppTestCase):
    def test_a_receipt_goes_to_the_officers_number_as_the_approved_template(self):
        with self.settings(**self.api.settings()):
            report = self.submit()
        [(to, template, params)] = self.api.sent()
        self.assertEqual(to, "6281234567890")
        self.assertEqual(template, "rat_receipt")
        self.assertEqual(
            params[:3],
            [self.coop_a.name, str(report.tahun_buku), report.receipt_number],
        )
        self.assertTrue(params[3].endswith(report.get_absolute_url()))
        row = Notification.objects.get(channel=Channel.WHATSAPP)
        self.assertEqual(row.recipient, E164)
        self.assertEqual(row.status, NotificationStatus.SENT)
        self.assertTrue(row.provider_id.startswith("wamid."))
        self.assertEqual(row.topic, f"rat_report:{report.pk}")
        self.assertEqual(row.attempts, 1)
        # WhatsApp was preferred: no e-mail to the same officer.
        self.assertFalse([m for m in mail.outbox if self.officer_a.email in m.to])

    def test_a_return_note_over_several_lines_is_sent_as_one_line(self):
        with self.settings(**self.api.settings()):
            report = self.submit()
            with self.captureOnCommitCallbacks(execute=True):
                services.rat_report_return(
                    acting_user=self.staff,
                    report=report,
                    note="Neraca tidak terbaca.\n\nMohon    unggah ulang.",
                    field_comments={"aset": "Aset tidak sesuai neraca."},
                )
        _to, template, params = self.api.sent()[-1]
        self.assertEqual(template, "rat_returned")
        self.assertEqual(
            params[2],
            "Neraca tidak terbaca. Mohon unggah ulang; Aset: Aset tidak sesuai neraca",
        )
        self.assertEqual(
            set(Notification.objects.values_list("status", flat=True)),
            {NotificationStatus.SENT},
        )

    def test_the_return_to_send_by_hand_lists_each_comment_on_its_line(self):
        with self.settings(WHATSAPP_TOKEN=""):
            report = self.submit()
            services.rat_report_return(
                acting_user=self.staff,
                report=report,
                note="Terima kasih.",
                field_comments={"aset": "Tulis sesuai neraca yang ditandatangani."},
            )
        body = Notification.objects.get(
            channel=Channel.WHATSAPP, template="reports/email/rat_returned"
        ).body
        self.assertIn(
            "Catatan Dinas: Terima kasih.\n- Aset: Tulis sesuai neraca yang "
            "ditandatangani.\nPerbaiki lalu ajukan kembali di:",
            body,
        )
        self.assertNotIn(".;", body)
        self.assertNotIn("..", body)

    def test_a_template_the_api_refuses_is_recorded_and_not_retried(self):
        settings = self.api.settings(WHATSAPP_TEMPLATES={"rat_receipt": "tidak_ada"})
        with self.settings(**settings):
            self.submit()
            row = Notification.objects.get(channel=Channel.WHATSAPP)
            self.assertEqual(row.status, NotificationStatus.FAILED)
            self.assertIn("132001", row.error)
            self.assertIn("tidak_ada", row.error)
            # Sending again is what a retry would do: refused again, no exception.
            notification_send(notification_id=row.pk)
        row.refresh_from_db()
        self.assertEqual(row.attempts, 2)
        self.assertTrue(row.waits_for_staff)

    def test_a_wrong_token_is_refused_for_good(self):
        with self.settings(**self.api.settings(WHATSAPP_TOKEN="kedaluwarsa")):
            self.submit()
        row = Notification.objects.get(channel=Channel.WHATSAPP)
        self.assertEqual(row.status, NotificationStatus.FAILED)
        self.assertIn("kode 190", row.error)

    def test_network_down_is_recorded_then_retried_until_sent(self):
        settings = self.api.settings()
        self.api.stop()  # nothing listens on that port now
        with self.settings(**settings):
            report = ready_report(self.officer_a, self.coop_a)
            with self.captureOnCommitCallbacks(execute=False) as waiting:
                services.rat_report_submit(acting_user=self.officer_a, report=report)
            row = Notification.objects.get(channel=Channel.WHATSAPP)
            with self.assertRaises(WhatsAppUnavailable):
                notification_send(notification_id=row.pk)
            row.refresh_from_db()
            # Recorded, and not offered to staff: the task will send it again.
            self.assertEqual(row.status, NotificationStatus.RETRYING)
            self.assertFalse(row.waits_for_staff)
            self.assertIn("tidak dapat dihubungi", row.error)
            self.assertEqual(row.attempts, 1)
            # The network is back; Meta answers 503 once more (a retry again),
            # then takes it.
            self.api.start()
            self.api.fail_next(1)
            with self.settings(**self.api.settings()):
                with self.assertRaises(WhatsAppUnavailable):
                    notification_send(notification_id=row.pk)
                notification_send(notification_id=row.pk)
        row.refresh_from_db()
        self.assertEqual(row.status, NotificationStatus.SENT)
        self.assertEqual(row.attempts, 3)
        self.assertEqual(row.error, "")
        self.assertEqual(len(self.api.received), 2)
        # Both are OSErrors, which the sending task retries with growing pauses.
        self.assertTrue(issubclass(WhatsAppUnavailable, OSError))
        self.assertIn(OSError, send_notification.autoretry_for)
        self.assertTrue(waiting)  # the enqueue was left for after the commit

    def test_an_invitation_by_whatsapp_is_sent_and_stored_without_its_link(self):
        self.officer.user = None
        self.officer.save()
        with (
            self.settings(**self.api.settings()),
            self.captureOnCommitCallbacks(execute=True),
        ):
            invitation = officer_invite(acting_user=self.staff, officer=self.officer)
        self.assertEqual(invitation.phone, E164)
        self.assertEqual(invitation.email, "")
        [(to, template, params)] = self.api.sent()
        self.assertEqual((to, template), ("6281234567890", "invitation"))
        self.assertIn("/undangan/", params[3])
        row = Notification.objects.get(template="cooperatives/email/invitation")
        self.assertEqual(row.status, NotificationStatus.SENT)
        self.assertEqual(row.whatsapp_params[3], "[…]")
        self.assertNotIn(params[3], row.body)
        self.assertNotIn(params[3], str(row.whatsapp_params))

    def test_a_password_link_by_whatsapp_names_the_login_and_is_not_stored(self):
        with (
            self.settings(**self.api.settings()),
            self.captureOnCommitCallbacks(execute=True),
        ):
            sent = officer_send_password_link(
                acting_user=self.staff, officer=self.officer
            )
        self.assertEqual(sent.sent_to, E164)
        [(to, template, params)] = self.api.sent()
        self.assertEqual((to, template), ("6281234567890", "password_link"))
        self.assertEqual(params[1], self.officer_a.username)
        self.assertIn("/akun/reset/", params[3])
        row = Notification.objects.get(template="cooperatives/email/password_link")
        self.assertEqual(row.status, NotificationStatus.SENT)
        self.assertEqual(row.whatsapp_params[3], "[…]")
        self.assertNotIn(params[3], row.body)

    def test_an_invitation_by_whatsapp_asked_twice_at_once_is_sent_once(self):
        # A double click sent two WhatsApp messages with two links.
        from cooperatives.models import OfficerInvitation

        self.officer.user = None
        self.officer.save()
        with self.settings(**self.api.settings()):
            for _click in range(2):
                with self.captureOnCommitCallbacks(execute=True):
                    officer_invite(acting_user=self.staff, officer=self.officer)
        self.assertEqual(len(self.api.sent()), 1)
        self.assertEqual(OfficerInvitation.objects.count(), 1)


class LinkFallbackTests(WhatsAppTestCase):
    """No WHATSAPP_TOKEN: the message waits for staff, who send it themselves."""

    def test_the_report_page_offers_the_message_to_send_by_hand(self):
        with self.settings(WHATSAPP_TOKEN=""):
            report = self.submit()
            row = Notification.objects.get(channel=Channel.WHATSAPP)
            self.assertEqual(row.status, NotificationStatus.MANUAL)
            self.assertEqual(self.api.received, [])
            page = self.client_for(self.staff).get(report.get_absolute_url())
        link = f"https://wa.me/6281234567890?text={quote(row.body)}"
        self.assertContains(page, link.replace("&", "&amp;"))
        text = unquote(link.split("?text=", 1)[1])
        self.assertIn(report.receipt_number, text)
        self.assertIn(self.coop_a.name, text)
        # "Diterima" is the status of an accepted report: not said of a receipt.
        self.assertIn("telah masuk ke Dinas", text)
        # The officer sees the report, not the Dinas's message record.
        mine = self.client_for(self.officer_a).get(report.get_absolute_url())
        self.assertNotContains(mine, "wa.me")

    def test_staff_record_that_they_sent_it(self):
        with self.settings(WHATSAPP_TOKEN=""):
            report = self.submit()
        row = Notification.objects.get(channel=Channel.WHATSAPP)
        url = reverse("notifications:mark_sent", args=[row.pk])
        # Officers, of this cooperative or another, get a 404.
        for officer in (self.officer_a, self.officer_b):
            response = self.client_for(officer).post(url)
            self.assertEqual(response.status_code, 404)
        response = self.client_for(self.staff).post(
            url, {"next": report.get_absolute_url()}
        )
        self.assertRedirects(
            response, report.get_absolute_url(), fetch_redirect_response=False
        )
        row.refresh_from_db()
        self.assertEqual(row.status, NotificationStatus.SENT)
        self.assertEqual(row.sent_by, self.staff)
        self.assertTrue(AuditEvent.objects.filter(object_id=row.pk).exists())
        # The page says when it was marked sent, not only when it was made.
        Notification.objects.filter(pk=row.pk).update(
            created_at=row.sent_at - datetime.timedelta(hours=3)
        )
        page = self.client_for(self.staff).get(report.get_absolute_url())
        sent = timezone.localtime(row.sent_at)
        self.assertContains(page, f"dikirim {date_format(sent, 'j M Y H:i')} WITA oleh")
        again = self.client_for(self.staff).post(url, follow=True)
        self.assertContains(again, "tidak menunggu dikirim")

    def test_a_newer_message_about_the_report_takes_the_older_one_s_place(self):
        # After acceptance the receipt still waited with "Kirim lewat WhatsApp":
        # staff could send old news.
        with self.settings(WHATSAPP_TOKEN=""):
            report = self.submit()
            with self.captureOnCommitCallbacks(execute=True):
                services.rat_report_accept(acting_user=self.staff, report=report)
            page = self.client_for(self.staff).get(report.get_absolute_url())
        receipt, accepted = Notification.objects.filter(
            channel=Channel.WHATSAPP
        ).order_by("pk")
        self.assertEqual(receipt.status, NotificationStatus.SUPERSEDED)
        self.assertEqual(accepted.status, NotificationStatus.MANUAL)
        self.assertNotContains(page, f'data-testid="whatsapp-{receipt.pk}"')
        self.assertContains(page, f'data-testid="whatsapp-{accepted.pk}"')
        self.assertContains(page, "Digantikan pesan yang lebih baru")

    def test_an_invitation_link_is_handed_once_to_the_staff_member(self):
        self.officer.user = None
        self.officer.save()
        url = reverse("cooperatives:officer_invite", args=[self.officer.pk])
        with self.settings(WHATSAPP_TOKEN=""):
            page = self.client_for(self.staff).post(url, follow=True)
        self.assertContains(page, "https://wa.me/6281234567890?text=")
        self.assertContains(page, "Kirim lewat WhatsApp")
        invitation = OfficerInvitation.objects.get()
        self.assertEqual(invitation.phone, E164)
        row = Notification.objects.get(template="cooperatives/email/invitation")
        self.assertEqual(row.status, NotificationStatus.MANUAL)
        self.assertIn("[…]", row.body)
        self.assertNotIn("/undangan/", row.body.replace("[…]", ""))
        # The link is not shown again; the page says who it was handed to.
        later = self.client_for(self.staff).get(
            self.officer.cooperative.get_absolute_url()
        )
        self.assertNotContains(later, "https://wa.me/6281234567890")
        self.assertContains(later, "diserahkan ke staf untuk dikirim lewat WhatsApp")

    def test_a_double_click_on_a_whatsapp_invitation_shows_a_working_link(self):
        # Two at once made two links, and the page the browser kept could show
        # the one the other had replaced (410 for the officer).
        from cooperatives.services import invitation_for_token

        self.officer.user = None
        self.officer.save()
        with self.settings(WHATSAPP_TOKEN=""):
            first = officer_invite(acting_user=self.staff, officer=self.officer)
            second = officer_invite(acting_user=self.staff, officer=self.officer)
        for invitation in (first, second):
            token = unquote(invitation.manual_link).split("/undangan/")[1].split("/")[0]
            self.assertIsNotNone(invitation_for_token(token))
        # Sent again on purpose later, the earlier links stop working.
        OfficerInvitation.objects.update(
            created_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        with self.settings(WHATSAPP_TOKEN=""):
            officer_invite(acting_user=self.staff, officer=self.officer)
        self.assertEqual(
            OfficerInvitation.objects.filter(expires_at__gt=timezone.now()).count(), 1
        )

    def test_the_completeness_page_offers_each_officer_a_reminder(self):
        with self.settings(WHATSAPP_TOKEN=""):
            page = self.client_for(self.staff).get(
                reverse("reports:rat_completeness") + "?tahun=2025"
            )
        self.assertContains(page, "Kirim pengingat lewat WhatsApp")
        self.assertContains(page, "https://wa.me/6281234567890?text=")
        # Today's reminder: late once the deadline (30 July) has passed, and it
        # tells an officer without an account how to get one.
        late = timezone.localdate() > datetime.date(2026, 7, 30)
        self.assertContains(page, quote("telah lewat" if late else "paling lambat"))
        self.assertContains(page, quote("Belum punya akun untuk masuk?"))

    def test_reminders_that_wait_for_staff_are_listed_on_the_completeness_page(self):
        with self.settings(WHATSAPP_TOKEN=""):
            with self.captureOnCommitCallbacks(execute=True):
                services.rat_reminders_send(today=datetime.date(2026, 7, 23))
            row = Notification.objects.get(channel=Channel.WHATSAPP)
            self.assertEqual(row.status, NotificationStatus.MANUAL)
            page = self.client_for(self.staff).get(
                reverse("reports:rat_completeness") + "?tahun=2025"
            )
        self.assertContains(page, f'data-testid="whatsapp-{row.pk}"')
        self.assertNotContains(page, 'data-testid="remind-whatsapp"')


class HardCasesTests(WhatsAppTestCase):
    def test_names_with_tabs_or_runs_of_spaces_are_sent_as_one_line(self):
        self.coop_a.name = "KSP Maju     Jaya\tAbadi"
        self.coop_a.save()
        with self.settings(**self.api.settings()):
            self.submit()
        row = Notification.objects.get(channel=Channel.WHATSAPP)
        self.assertEqual(row.status, NotificationStatus.SENT, row.error)
        self.assertEqual(self.api.sent()[0][2][0], "KSP Maju Jaya Abadi")

    def test_a_long_return_note_is_cut_to_fit_the_template(self):
        with self.settings(**self.api.settings()):
            report = self.submit()
            with self.captureOnCommitCallbacks(execute=True):
                services.rat_report_return(
                    acting_user=self.staff,
                    report=report,
                    note="Neraca tidak seimbang. " * 60,
                    field_comments={"aset": "Aset tidak sesuai neraca. " * 10},
                )
        row = Notification.objects.filter(template__endswith="rat_returned").get(
            channel=Channel.WHATSAPP
        )
        self.assertEqual(row.status, NotificationStatus.SENT, row.error)
        self.assertTrue(row.whatsapp_params[2].endswith("…"))
        self.assertLessEqual(
            len(row.body) - len(row.whatsapp_params[2]) + len(row.whatsapp_params[2]),
            5000,
        )

    def test_parameters_are_in_bahasa_indonesia_whoever_acts(self):
        self.officer.user = None
        self.officer.save()
        with self.settings(**self.api.settings()), translation.override("en"):
            invitation = officer_invite(acting_user=self.staff, officer=self.officer)
        with translation.override("id"):
            expected = date_format(
                timezone.localtime(invitation.expires_at), "j F Y H:i"
            )
        self.assertEqual(self.api.sent()[0][2][2], expected)

    def test_a_failed_invitation_is_reported_to_the_staff_member(self):
        self.officer.user = None
        self.officer.save()
        url = reverse("cooperatives:officer_invite", args=[self.officer.pk])
        with self.settings(**self.api.settings(WHATSAPP_TOKEN="kedaluwarsa")):
            page = self.client_for(self.staff).post(url, follow=True)
        self.assertContains(page, "gagal dikirim")
        self.assertContains(page, "kode 190")
        self.assertNotContains(page, "tautannya berlaku sampai")
        # The next day, any staff member still sees it on the cooperative's page.
        later = self.client_for(self.staff).get(
            self.officer.cooperative.get_absolute_url()
        )
        state = f'data-testid="invitation-{self.officer.pk}"'
        self.assertContains(later, state)
        self.assertRegex(
            later.content.decode(),
            rf'text-danger" {state}>Undangan .* gagal dikirim: .*kode 190',
        )

    def test_every_retry_failing_leaves_it_to_staff(self):
        settings = self.api.settings()
        self.api.stop()
        with self.settings(**settings):
            report = ready_report(self.officer_a, self.coop_a)
            with self.captureOnCommitCallbacks(execute=False):
                services.rat_report_submit(acting_user=self.officer_a, report=report)
            row = Notification.objects.get(channel=Channel.WHATSAPP)
            for _attempt in range(MAX_RETRIES):
                with self.assertRaises(WhatsAppUnavailable):
                    notification_send(notification_id=row.pk)
            # The last attempt fails for good: recorded, not raised, offered.
            notification_send(notification_id=row.pk)
        row.refresh_from_db()
        self.assertEqual(row.attempts, MAX_RETRIES + 1)
        self.assertEqual(row.status, NotificationStatus.FAILED)
        self.assertTrue(row.waits_for_staff)

    def test_an_answer_without_a_message_id_is_still_sent_once(self):
        self.api.answer_without_id = True
        with self.settings(**self.api.settings()):
            self.submit()
        row = Notification.objects.get(channel=Channel.WHATSAPP)
        self.assertEqual((row.status, row.provider_id), (NotificationStatus.SENT, ""))
        self.assertEqual(len(self.api.received), 1)

    def test_no_answer_in_time_is_not_sent_again_but_left_to_staff(self):
        self.api.delay = 2
        with self.settings(**self.api.settings(WHATSAPP_TIMEOUT=1)):
            self.submit()
        row = Notification.objects.get(channel=Channel.WHATSAPP)
        self.assertEqual(row.status, NotificationStatus.FAILED)
        self.assertIn("mungkin sudah terkirim", row.error)
        self.assertTrue(row.waits_for_staff)

    def test_a_landline_is_not_a_whatsapp_number(self):
        self.officer.phone = "(0542) 735123"
        self.officer.save()
        with self.settings(**self.api.settings()):
            self.submit()
        self.assertFalse(Notification.objects.filter(channel=Channel.WHATSAPP))
        # Reached by e-mail instead (their login's address).
        self.assertTrue(
            Notification.objects.filter(
                channel=Channel.EMAIL, recipient=self.officer_a.email
            )
        )

    def test_a_token_without_the_number_id_is_flagged_by_manage_py_check(self):
        with self.settings(WHATSAPP_TOKEN="uji", WHATSAPP_PHONE_NUMBER_ID=""):
            ids = [m.id for m in run_checks()]
        self.assertIn("koperasi.W003", ids)
        with self.settings(WHATSAPP_TOKEN="", WHATSAPP_PHONE_NUMBER_ID=""):
            self.assertNotIn("koperasi.W003", [m.id for m in run_checks()])

    def test_a_reminder_marked_sent_is_shown_sent_not_offered_again(self):
        with self.settings(WHATSAPP_TOKEN=""):
            with self.captureOnCommitCallbacks(execute=True):
                services.rat_reminders_send(today=datetime.date(2026, 7, 23))
            row = Notification.objects.get(channel=Channel.WHATSAPP)
            self.client_for(self.staff).post(
                reverse("notifications:mark_sent", args=[row.pk])
            )
            page = self.client_for(self.staff).get(
                reverse("reports:rat_completeness") + "?tahun=2025"
            )
        self.assertNotContains(page, 'data-testid="remind-whatsapp"')
        self.assertNotContains(page, f'data-testid="whatsapp-{row.pk}"')
        self.assertContains(page, 'data-status="sent"')
