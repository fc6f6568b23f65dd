"""WhatsApp's delivery reports: Meta's handshake, signed reports applied to the
messages they name (in any order, any number of times), and what staff then see.
The reports are written as the Cloud API writes them (``fake_whatsapp``)."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lib.testing import missing_services, require_or_skip
from notifications.delivery import HELD_FOR, delivery_reports_held_apply
from notifications.models import (
    Channel,
    HeldReport,
    Notification,
    NotificationStatus,
)
from notifications.services import notification_send

from .fake_whatsapp import FakeCloudAPI, report_payload, sign, status_report
from .test_whatsapp import WhatsAppTestCase

SECRET = "uji-rahasia-aplikasi"
VERIFY = "token-verifikasi-uji"
URL = "/pesan/whatsapp/webhook/"
TO = "6281234567890"


class WebhookTestCase(WhatsAppTestCase):
    def setUp(self) -> None:
        super().setUp()
        overrides = self.settings(
            **self.api.settings(),
            WHATSAPP_APP_SECRET=SECRET,
            WHATSAPP_VERIFY_TOKEN=VERIFY,
        )
        overrides.enable()
        self.addCleanup(overrides.disable)
        self.report = self.submit()
        self.row = Notification.objects.get(channel=Channel.WHATSAPP)
        # A minute after it was sent (Unix seconds).
        assert self.row.sent_at is not None
        self.t0 = int(self.row.sent_at.timestamp()) + 60

    def post(self, payload, *, secret=SECRET, **extra):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return self.anonymous.post(
            URL,
            data=body,
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=sign(body, secret),
            **extra,
        )

    def reported(self, state, *, timestamp=None, message_id=None):
        status = status_report(
            message_id or self.row.provider_id,
            state,
            TO,
            timestamp=self.t0 if timestamp is None else timestamp,
        )
        response = self.post(report_payload([status]))
        self.assertEqual(response.status_code, 200)
        self.row.refresh_from_db()
        return self.row


class HandshakeTests(WebhookTestCase):
    def test_meta_s_subscription_check_is_answered_with_its_challenge(self):
        query = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}
        answer = self.anonymous.get(URL, {**query, "hub.verify_token": VERIFY})
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.content, b"1158201444")
        wrong = self.anonymous.get(URL, {**query, "hub.verify_token": "tebakan"})
        self.assertEqual(wrong.status_code, 403)
        self.assertNotIn(b"1158201444", wrong.content)

    def test_without_the_app_secret_there_is_no_webhook(self):
        with self.settings(WHATSAPP_APP_SECRET=""):
            self.assertEqual(self.anonymous.get(URL).status_code, 404)
            self.assertEqual(self.post(b"{}", secret="").status_code, 404)


class ReportTests(WebhookTestCase):
    def test_delivered_then_read_is_shown_beside_the_message(self):
        self.assertEqual(self.row.status, NotificationStatus.SENT)
        self.assertIsNone(self.row.delivered_at)
        row = self.reported("sent")
        self.assertIsNone(row.delivered_at)
        row = self.reported("delivered")
        self.assertIsNotNone(row.delivered_at)
        self.assertEqual(row.delivered_at.timestamp(), self.t0)
        page = self.client_for(self.staff).get(self.report.get_absolute_url())
        self.assertContains(page, f'data-testid="delivered-{row.pk}"')
        self.assertContains(page, "sampai di ponsel")
        row = self.reported("read", timestamp=self.t0 + 600)
        self.assertEqual(row.read_at.timestamp(), self.t0 + 600)
        page = self.client_for(self.staff).get(self.report.get_absolute_url())
        self.assertContains(page, f'data-testid="read-{row.pk}"')

    def test_a_report_sent_again_or_late_changes_nothing(self):
        self.reported("read", timestamp=self.t0 + 600)
        first = (self.row.delivered_at, self.row.read_at)
        # Meta repeats a report it had no answer to; "delivered" comes after "read".
        self.reported("read", timestamp=self.t0 + 999)
        self.reported("delivered", timestamp=self.t0 + 999)
        self.reported("sent")
        self.assertEqual((self.row.delivered_at, self.row.read_at), first)
        self.assertEqual(self.row.status, NotificationStatus.SENT)

    def test_an_undeliverable_message_waits_for_staff_with_the_reason(self):
        row = self.reported("failed")
        self.assertEqual(row.status, NotificationStatus.FAILED)
        self.assertIn("kode 131026", row.error)
        self.assertIn("Message Undeliverable.", row.error)
        self.assertTrue(row.waits_for_staff)
        page = self.client_for(self.staff).get(self.report.get_absolute_url())
        self.assertContains(page, 'data-status="failed"')
        self.assertContains(page, "WhatsApp tidak dapat mengantar pesan ke nomor ini")
        # On another of the person's devices it arrived after all.
        row = self.reported("delivered")
        self.assertEqual(row.status, NotificationStatus.SENT)
        self.assertEqual(row.error, "")

    def test_a_failure_after_delivery_or_after_staff_sent_it_is_passed_over(self):
        self.reported("delivered")
        self.assertEqual(self.reported("failed").status, NotificationStatus.SENT)
        other = Notification.objects.create(
            channel=Channel.WHATSAPP,
            recipient="+6281234567890",
            template="rat_accepted",
            subject="x",
            body="x",
            provider_id="wamid.DIKIRIMSTAF",
            status=NotificationStatus.SENT,
            sent_by=self.staff,
        )
        self.reported("failed", message_id="wamid.DIKIRIMSTAF")
        other.refresh_from_db()
        self.assertEqual(other.status, NotificationStatus.SENT)

    def test_a_report_of_a_message_the_registry_did_not_send_is_acknowledged(self):
        # Meta sends a report again until it has a 2xx: answered, nothing changed.
        self.reported("failed", message_id="wamid.BUKANDARIREGISTRI")
        self.assertEqual(self.row.status, NotificationStatus.SENT)
        # Held a day for a message whose id is still being stored, then dropped.
        held = HeldReport.objects.get()
        self.assertEqual(held.message_id, "wamid.BUKANDARIREGISTRI")
        HeldReport.objects.update(received_at=held.received_at - HELD_FOR)
        self.reported("read", message_id="wamid.LAINLAGI")
        self.assertEqual(
            list(HeldReport.objects.values_list("message_id", flat=True)),
            ["wamid.LAINLAGI"],
        )

    def test_a_report_before_its_message_id_was_stored_counts_once_it_is(self):
        self.reported("read", message_id="wamid.BELUMDISIMPAN", timestamp=self.t0 + 600)
        self.reported("delivered", message_id="wamid.BELUMDISIMPAN")
        self.assertIsNone(self.row.delivered_at)
        Notification.objects.filter(pk=self.row.pk).update(
            provider_id="wamid.BELUMDISIMPAN"
        )
        self.assertTrue(delivery_reports_held_apply(message_id="wamid.BELUMDISIMPAN"))
        self.row.refresh_from_db()
        self.assertEqual(self.row.delivered_at.timestamp(), self.t0)
        self.assertEqual(self.row.read_at.timestamp(), self.t0 + 600)
        self.assertFalse(HeldReport.objects.exists())
        # Applied once: asking again finds nothing held.
        self.assertFalse(delivery_reports_held_apply(message_id="wamid.BELUMDISIMPAN"))

    def test_times_are_the_earliest_reported_whatever_the_order(self):
        self.reported("read", timestamp=self.t0 + 600)
        row = self.reported("delivered", timestamp=self.t0)
        self.assertEqual(row.delivered_at.timestamp(), self.t0)
        self.assertEqual(row.read_at.timestamp(), self.t0 + 600)

    def test_a_message_failed_by_a_report_is_not_sent_again_by_its_task(self):
        # A task delivered again (acks late) sent it through the API a second
        # time, while staff were offered it by hand.
        self.reported("failed")
        sent = len(self.api.sent())
        notification_send(notification_id=self.row.pk)
        self.assertEqual(len(self.api.sent()), sent)

    def test_a_withdrawn_message_that_arrives_after_all_reads_sent(self):
        from notifications.services import notifications_withdraw

        self.reported("failed")
        notifications_withdraw(topics=[self.row.topic])
        self.row.refresh_from_db()
        self.assertEqual(self.row.status, NotificationStatus.WITHDRAWN)
        row = self.reported("delivered")
        self.assertEqual(row.status, NotificationStatus.SENT)


class RefusedTests(WebhookTestCase):
    def test_a_report_not_signed_with_the_app_secret_is_refused(self):
        payload = report_payload([status_report(self.row.provider_id, "failed", TO)])
        self.assertEqual(self.post(payload, secret="bukan-rahasianya").status_code, 403)
        body = json.dumps(payload).encode()
        unsigned = self.anonymous.post(URL, data=body, content_type="application/json")
        self.assertEqual(unsigned.status_code, 403)
        self.row.refresh_from_db()
        self.assertEqual(self.row.status, NotificationStatus.SENT)

    def test_what_cannot_be_read_is_answered_without_a_server_error(self):
        self.assertEqual(self.post(b"{bukan json").status_code, 400)
        self.assertEqual(self.post(b"\xff\xfe").status_code, 400)
        for odd in (
            [],
            {"entry": "x"},
            {"entry": [{"changes": [{"value": {"statuses": ["x", 1, None]}}]}]},
            {"entry": [{"changes": [{"value": {"statuses": [{"id": 5}]}}]}]},
            report_payload([{"id": self.row.provider_id, "status": "terbang"}]),
            report_payload(
                [{"id": self.row.provider_id, "status": "failed", "errors": "x"}]
            ),
            report_payload(
                [{"id": self.row.provider_id, "status": "read", "timestamp": "kemarin"}]
            ),
        ):
            with self.subTest(payload=odd):
                self.assertEqual(self.post(odd).status_code, 200)
        self.row.refresh_from_db()
        # The last one counted: read, at the time it arrived.
        self.assertIsNotNone(self.row.read_at)

    def test_a_time_no_report_can_carry_is_taken_as_the_time_it_came(self):
        # 9999-12-31 23:59:59 UTC had made the report's page fail (no next day
        # in WITA); 1970 and a year before the message was sent read as nonsense.
        for seconds in (253402300799, 0, self.t0 - 365 * 86400):
            with self.subTest(seconds=seconds):
                Notification.objects.filter(pk=self.row.pk).update(
                    delivered_at=None, read_at=None
                )
                before = timezone.now()
                row = self.reported("read", timestamp=seconds)
                self.assertGreaterEqual(row.read_at, self.row.sent_at)
                self.assertGreaterEqual(row.read_at, before - timedelta(seconds=1))
                page = self.client_for(self.staff).get(self.report.get_absolute_url())
                self.assertEqual(page.status_code, 200)

    def test_a_failure_s_code_is_kept_short(self):
        status = status_report(self.row.provider_id, "failed", TO, timestamp=self.t0)
        status["errors"][0]["code"] = "9" * 5000
        self.post(report_payload([status]))
        self.row.refresh_from_db()
        self.assertEqual(self.row.status, NotificationStatus.FAILED)
        self.assertLess(len(self.row.error), 800)

    def test_a_nul_in_an_id_or_json_nested_too_deep_is_no_server_error(self):
        nul = report_payload([status_report("wamid.\x00", "read", TO)])
        self.assertEqual(self.post(nul).status_code, 200)
        self.assertEqual(self.post(b"[" * 100_000).status_code, 400)

    def test_an_oversized_report_is_refused_from_its_length(self):
        response = self.post(b"{}", CONTENT_LENGTH=str(10 * 1024 * 1024))
        self.assertEqual(response.status_code, 413)

    def test_only_get_and_post(self):
        self.assertEqual(self.anonymous.put(URL).status_code, 405)


@pytest.mark.parametrize("before_answer", [False, True], ids=["after", "before"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cloud_api_reports_to_the_webhook_over_http(
    live_server, settings, before_answer
):
    """The fake Cloud API takes two messages and, as Meta does, posts what became
    of them to the running app: one reached the phone and was read, the other's
    number is not on WhatsApp. Meta may post its reports before the app has the
    answer that gives the message's id ("before"): they count all the same."""
    if before_answer:
        # Two connections at once on one table: SQLite's test database locks it.
        missing = [m for m in missing_services() if m.startswith("PostgreSQL")]
        require_or_skip(missing)
    api = FakeCloudAPI().start()
    api.report_before_answer = before_answer
    try:
        for name, value in api.settings().items():
            setattr(settings, name, value)
        settings.WHATSAPP_APP_SECRET = api.app_secret
        api.webhook_url = live_server.url + reverse("notifications:whatsapp_webhook")
        api.readers.add("6281234567890")
        api.undeliverable.add("6281298765432")
        rows = [
            Notification.objects.create(
                channel=Channel.WHATSAPP,
                recipient=number,
                template="rat_accepted",
                subject="Laporan RAT diterima",
                body="Laporan RAT tahun buku 2025 telah DITERIMA.",
                whatsapp_template="rat_accepted",
                whatsapp_params=["KSP Maju", "2025", "https://contoh.invalid/"],
            )
            for number in ("+6281234567890", "+6281298765432")
        ]
        for row in rows:
            notification_send(notification_id=row.pk)
        reports = api.wait_for_reports()
    finally:
        api.stop()
    assert sorted(reports) == [
        ("delivered", 200),
        ("failed", 200),
        ("read", 200),
        ("sent", 200),
    ]
    read, failed = (Notification.objects.get(pk=row.pk) for row in rows)
    assert read.status == NotificationStatus.SENT
    assert read.delivered_at is not None and read.read_at is not None
    assert failed.status == NotificationStatus.FAILED
    assert "kode 131026" in failed.error
    assert failed.waits_for_staff
    assert not HeldReport.objects.exists()
