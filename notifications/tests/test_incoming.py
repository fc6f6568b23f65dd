"""Messages people send to the office's WhatsApp number: kept from Meta's signed
webhook posts (once each, whatever their kind), listed for staff with the
cooperatives the number belongs to, and marked handled with what was done."""

import json

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cooperatives.models import Cooperative
from notifications.incoming import TEXT_MAX
from notifications.models import IncomingMessage

from .fake_whatsapp import (
    FakeCloudAPI,
    incoming_message,
    messages_payload,
    report_payload,
)
from .test_whatsapp_delivery import TO, WebhookTestCase

INBOX = "/pesan/masuk/"


class KeptTests(WebhookTestCase):
    def incoming(self, *messages, names=None):
        response = self.post(messages_payload(list(messages), names or {}))
        self.assertEqual(response.status_code, 200)

    def test_a_reply_to_the_office_s_message_is_kept_once_with_its_sender(self):
        message = incoming_message(
            "wamid.MASUK1",
            TO,
            "Baik, neraca kami unggah ulang besok.",
            context_id=self.row.provider_id,
            timestamp=self.t0,
        )
        self.incoming(message, names={TO: "Sri Wahyuni"})
        self.incoming(message, names={TO: "Sri Wahyuni"})  # Meta posts again
        kept = IncomingMessage.objects.get()
        self.assertEqual(kept.sender, "+" + TO)
        self.assertEqual(kept.sender_name, "Sri Wahyuni")
        self.assertEqual(kept.text, "Baik, neraca kami unggah ulang besok.")
        self.assertEqual(kept.reply_to, self.row)
        self.assertEqual(kept.received_at.timestamp(), self.t0)
        self.assertFalse(kept.is_handled)

    def test_every_kind_keeps_what_can_be_read_of_it(self):
        def of(kind, part, **extra):
            return {
                "from": TO,
                "id": f"wamid.{kind}",
                "type": kind,
                kind: part,
                **extra,
            }

        self.incoming(
            of("image", {"caption": "Foto berita acara", "id": "1"}),
            of("document", {"filename": "neraca.pdf", "id": "2"}),
            of("location", {"latitude": -1.26, "longitude": 116.83, "name": "Kantor"}),
            of("button", {"text": "Sudah RAT", "payload": "x"}),
            of("interactive", {"button_reply": {"id": "ya", "title": "Ya"}}),
            of("reaction", {"message_id": self.row.provider_id, "emoji": "👍"}),
            of("audio", {"id": "3"}),
            {"from": TO, "id": "wamid.unsupported", "type": "unsupported"},
        )
        kept = dict(IncomingMessage.objects.values_list("kind", "text"))
        self.assertEqual(kept["image"], "Foto berita acara")
        self.assertEqual(kept["document"], "neraca.pdf")
        self.assertEqual(kept["location"], "Kantor — -1.26 — 116.83")
        self.assertEqual(kept["button"], "Sudah RAT")
        self.assertEqual(kept["interactive"], "Ya")
        self.assertEqual(kept["reaction"], "👍")
        self.assertEqual(kept["audio"], "")
        self.assertEqual(kept["unsupported"], "")
        reaction = IncomingMessage.objects.get(kind="reaction")
        self.assertEqual(reaction.reply_to, self.row)
        self.assertTrue(IncomingMessage.objects.get(kind="audio").is_media)

    def test_what_cannot_be_read_is_passed_over_without_a_server_error(self):
        self.incoming(
            "x",
            {"id": "wamid.tanpapengirim", "type": "text", "text": {"body": "?"}},
            {"from": "62abc", "id": "wamid.bukannomor", "type": "text"},
            {"from": TO, "id": 5, "type": "text"},
            {"from": TO, "id": "wamid.teksaneh", "type": "text", "text": "bukan objek"},
            {"from": TO, "id": "wamid.reaksihapus", "type": "reaction", "reaction": {}},
            {"from": TO, "id": "wamid.nul", "type": "text", "text": {"body": "a\x00b"}},
            {
                "from": TO,
                "id": "wamid.panjang",
                "type": "text",
                "text": {"body": "x" * 10_000},
                "context": "bukan objek",
            },
        )
        kept = dict(IncomingMessage.objects.values_list("provider_id", "text"))
        self.assertEqual(set(kept), {"wamid.teksaneh", "wamid.nul", "wamid.panjang"})
        self.assertEqual(kept["wamid.teksaneh"], "")
        self.assertEqual(kept["wamid.nul"], "ab")
        self.assertEqual(len(kept["wamid.panjang"]), TEXT_MAX)

    def test_direction_marks_and_lone_surrogates_neither_mislead_nor_fail(self):
        # "\u202e" in a WhatsApp name showed staff the number and a bank account
        # backwards; a lone surrogate (JSON "\ud800") was a 500, and the
        # messages after it in the same post were never kept.
        body = json.dumps(
            messages_payload(
                [
                    incoming_message("wamid.BIDI", TO, "\u202eMohon transfer ke 1234"),
                    incoming_message("wamid.SUR", TO, "x\ud800y"),
                    {"from": TO, "id": "wamid.\udc00", "type": "text"},
                    incoming_message("wamid.SESUDAH", TO, "Pesan berikutnya"),
                    incoming_message("wamid.LAIN", "⁶²⁸¹²³⁴⁵⁶⁷⁸⁹⁰", "angka aneh"),
                    {
                        "from": TO,
                        "id": "wamid.INF",
                        "type": "text",
                        "text": {"body": 1e999},
                    },
                ],
                {TO: "\u202eSinar\ud800"},
            )
        ).encode()
        self.assertEqual(self.post(body).status_code, 200)
        kept = dict(IncomingMessage.objects.values_list("provider_id", "text"))
        self.assertEqual(
            kept,
            {
                "wamid.BIDI": "Mohon transfer ke 1234",
                "wamid.SUR": "x\ufffdy",
                "wamid.SESUDAH": "Pesan berikutnya",
                "wamid.INF": "",
            },
        )
        self.assertEqual(
            IncomingMessage.objects.get(provider_id="wamid.BIDI").sender_name,
            "Sinar\ufffd",
        )
        report = {"id": "wamid.\udc00", "status": "read"}
        self.assertEqual(self.post(report_payload([report])).status_code, 200)

    def test_a_message_not_signed_with_the_app_secret_is_not_kept(self):
        payload = messages_payload([incoming_message("wamid.PALSU", TO, "Halo")])
        self.assertEqual(self.post(payload, secret="bukan").status_code, 403)
        self.assertFalse(IncomingMessage.objects.exists())


class InboxTests(WebhookTestCase):
    def setUp(self):
        super().setUp()
        # The other cooperative's telephone, kept as written.
        Cooperative.objects.filter(pk=self.coop_b.pk).update(phone="0812 9876 5432")
        self.from_officer = IncomingMessage.objects.create(
            provider_id="wamid.A",
            sender="+" + TO,
            sender_name="Sri",
            kind="text",
            text="Neraca sudah kami unggah ulang.",
            received_at="2026-12-01T08:00:00+08:00",
            reply_to=self.row,
        )
        self.from_coop_b = IncomingMessage.objects.create(
            provider_id="wamid.B",
            sender="+6281298765432",
            kind="image",
            text="",
            received_at="2026-12-01T09:00:00+08:00",
        )
        self.stranger = IncomingMessage.objects.create(
            provider_id="wamid.C",
            sender="+6285511112222",
            kind="text",
            text="<b>Info pinjaman</b>",
            received_at="2026-12-01T10:00:00+08:00",
        )

    def test_staff_read_each_message_with_the_cooperative_its_number_belongs_to(self):
        page = self.client_for(self.staff).get(INBOX)
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        self.assertInHTML(
            f'<a href="{self.coop_a.get_absolute_url()}">{self.coop_a.name}</a>',
            html,
        )
        self.assertIn(self.officer.name, html)
        self.assertIn("0812-3456-7890", html)
        self.assertIn(f"Membalas pesan Dinas: “{self.row.subject}”", html)
        self.assertInHTML(
            f'<a href="{self.coop_b.get_absolute_url()}">{self.coop_b.name}</a>',
            html,
        )
        self.assertIn("telepon koperasi", html)
        self.assertIn("(berkasnya tidak diunduh)", html)
        self.assertIn("Nomor ini tidak tercatat pada koperasi mana pun.", html)
        self.assertIn("&lt;b&gt;Info pinjaman&lt;/b&gt;", html)
        self.assertIn("https://wa.me/6281234567890", html)
        # Newest first.
        self.assertLess(html.index("Info pinjaman"), html.index("Sri"))

    def test_handled_needs_what_was_done_and_is_recorded(self):
        staff = self.client_for(self.staff)
        url = reverse("notifications:incoming_handle", args=[self.from_officer.pk])
        answer = staff.post(url, {"note": "  \u200b "}, follow=True)
        self.assertContains(answer, "Tulis tindak lanjutnya")
        self.from_officer.refresh_from_db()
        self.assertFalse(self.from_officer.is_handled)
        for blank in ("\u200e", "\u3164 \u2800", "\u00ad"):
            answer = staff.post(url, {"note": blank}, follow=True)
            self.assertContains(answer, "Tulis tindak lanjutnya")
        staff.post(url, {"note": "Ditelepon; unggahan diperiksa."})
        again = staff.post(url, {"note": "Ditelepon; unggahan diperiksa."}, follow=True)
        self.assertContains(again, "ditandai sudah ditangani")  # a double tap
        # Someone else's follow-up afterwards is said not to be kept.
        other = self.client_for(self.admin).post(
            url, {"note": "Surat teguran dikirim."}, follow=True
        )
        self.assertContains(other, "Catatan Anda tidak disimpan.")
        self.assertContains(other, "Ditelepon; unggahan diperiksa.")
        self.from_officer.refresh_from_db()
        self.assertEqual(self.from_officer.handled_by, self.staff)
        self.assertEqual(
            self.from_officer.handled_note, "Ditelepon; unggahan diperiksa."
        )
        event = AuditEvent.objects.get(
            content_type__model="incomingmessage", object_id=str(self.from_officer.pk)
        )
        self.assertEqual(event.actor, self.staff)
        self.assertIn("ditangani", event.message)
        waiting = staff.get(INBOX, {"status": "baru"}).content.decode()
        self.assertNotIn("Neraca sudah kami unggah ulang.", waiting)
        self.assertIn("Info pinjaman", waiting)

    def test_the_dashboard_counts_the_messages_waiting(self):
        page = self.client_for(self.staff).get("/")
        self.assertContains(page, "3 pesan WhatsApp masuk belum ditangani")

    def test_officers_and_outsiders_are_kept_out(self):
        officer = self.client_for(self.officer_a)
        self.assertEqual(officer.get(INBOX).status_code, 403)
        url = reverse("notifications:incoming_handle", args=[self.from_officer.pk])
        self.assertEqual(officer.post(url, {"note": "x"}).status_code, 404)
        self.assertFalse(
            IncomingMessage.objects.get(pk=self.from_officer.pk).is_handled
        )
        self.assertEqual(self.anonymous.get(INBOX).status_code, 302)
        self.assertEqual(self.anonymous.post(url, {"note": "x"}).status_code, 302)
        self.assertEqual(self.client_for(self.staff).get(url).status_code, 405)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_officer_s_answer_reaches_staff_over_http(live_server, settings, client):
    """The fake Cloud API delivers an officer's answer to the running app as Meta
    does; staff find it in the inbox."""
    api = FakeCloudAPI().start()
    try:
        settings.WHATSAPP_APP_SECRET = api.app_secret
        api.webhook_url = live_server.url + reverse("notifications:whatsapp_webhook")
        message_id, answer = api.send_incoming(
            "6281234567890", "Terima kasih, kami hadir.", name="Budi"
        )
    finally:
        api.stop()
    assert answer == 200
    kept = IncomingMessage.objects.get(provider_id=message_id)
    assert (kept.sender, kept.sender_name) == ("+6281234567890", "Budi")
    assert kept.text == "Terima kasih, kami hadir."
