"""An officer who forgot the password: staff send their login a link to set a new
one, on the officer's channel (most officers have WhatsApp, not e-mail)."""

import re
from datetime import timedelta
from urllib.parse import unquote

from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from audit.models import AuditAction, AuditEvent
from cooperatives.models import Officer, Position
from notifications.models import Channel, Notification, NotificationStatus
from tests.personas import PersonaTestCase

NEW_PASSWORD = "Kopi-Balikpapan-77"


class PasswordLinkTests(PersonaTestCase):
    def setUp(self) -> None:
        self.ketua = Officer.objects.get(cooperative=self.coop_a, user=self.officer_a)

    def send(self, officer: Officer | None = None, client: Client | None = None):
        url = reverse(
            "cooperatives:officer_password_link", args=[(officer or self.ketua).pk]
        )
        with self.captureOnCommitCallbacks(execute=True):
            return (client or self.client_for(self.staff)).post(url, follow=True)

    def set_password(self, client: Client, link: str) -> None:
        page = client.get(link, follow=True)
        self.assertContains(page, "Buat kata sandi baru")
        # The username too: who forgot the password often forgot it as well.
        self.assertContains(page, 'data-testid="reset-username">pengurus-a<')
        response = client.post(
            page.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        self.assertEqual(response.status_code, 302)

    def test_staff_send_a_link_by_e_mail_and_the_officer_sets_a_new_password(self):
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertContains(page, f'data-testid="password-link-{self.ketua.pk}"')
        response = self.send()
        self.assertContains(response, "Tautan kata sandi baru dikirim ke pengurus-a@")
        self.assertRegex(
            response.content.decode(),
            r"berlaku sampai [0-9]+ \w+ [0-9]{4} [0-9:]+ WITA",
        )
        [message] = mail.outbox
        self.assertEqual(message.to, ["pengurus-a@uji.invalid"])
        self.assertIn("Kata sandi baru", message.subject)
        self.assertIn("Nama pengguna Anda: pengurus-a", message.body)
        link = re.search(r"http://\S+(/akun/reset/\S+/)", message.body)
        assert link, message.body
        officer = self.anonymous
        self.set_password(officer, link.group(1))
        response = officer.post(
            reverse("login"), {"username": "pengurus-a", "password": NEW_PASSWORD}
        )
        self.assertEqual(response.status_code, 302, "the new password logs in")
        # The link works once.
        again = Client().get(link.group(1), follow=True)
        self.assertContains(again, "tidak berlaku lagi")
        event = AuditEvent.objects.get(action=AuditAction.PASSWORD_LINK)
        self.assertEqual(event.cooperative, self.coop_a)
        self.assertEqual(event.actor, self.staff)
        self.assertIn("pengurus-a", event.message)
        # The stored message keeps no working link.
        stored = Notification.objects.get(template="cooperatives/email/password_link")
        self.assertNotIn("/akun/reset/", stored.body)

    def test_a_locked_out_officer_logs_in_with_the_new_password_at_once(self):
        client = self.anonymous
        for _guess in range(5):
            client.post(reverse("login"), {"username": "pengurus-a", "password": "x"})
        locked = client.post(
            reverse("login"), {"username": "pengurus-a", "password": "salah"}
        )
        self.assertEqual(locked.status_code, 429)
        # The lockout page says where a new password comes from.
        self.assertContains(locked, 'data-testid="lockout-forgot"', status_code=429)
        self.assertContains(locked, "ke WhatsApp Anda", status_code=429)
        self.send()
        link = re.search(r"http://\S+(/akun/reset/\S+/)", mail.outbox[-1].body)
        assert link
        self.set_password(client, link.group(1))
        response = client.post(
            reverse("login"), {"username": "pengurus-a", "password": NEW_PASSWORD}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(client.session["_auth_user_id"]), self.officer_a.pk)

    def test_without_the_whatsapp_api_the_staff_member_sends_it_once_by_hand(self):
        self.ketua.phone = "0812-3456-7890"
        self.ketua.notify_by = Channel.WHATSAPP
        self.ketua.save()
        with self.settings(WHATSAPP_TOKEN=""):
            response = self.send()
        self.assertContains(response, "kirim tautan kata sandi ke +6281234567890")
        button = re.search(
            r'href="(https://wa\.me/6281234567890\?text=[^"]+)"',
            response.content.decode(),
        )
        assert button, response.content.decode()
        text = unquote(button.group(1).replace("&amp;", "&").split("?text=", 1)[1])
        self.assertIn("Nama pengguna: pengurus-a", text)
        self.assertIn("/akun/reset/", text)
        row = Notification.objects.get(template="cooperatives/email/password_link")
        self.assertEqual(row.status, NotificationStatus.MANUAL)
        self.assertNotIn("/akun/reset/", row.body)
        self.assertEqual(mail.outbox, [])
        # Shown once: the cooperative's page afterwards does not carry it.
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertNotContains(page, "/akun/reset/")

    def test_a_click_sent_twice_at_once_sends_one_message(self):
        self.send()
        self.assertContains(self.send(), "Tautan kata sandi baru dikirim")
        self.assertEqual(len(mail.outbox), 1)

    def test_three_links_a_day_at_the_most(self):
        # Each reaches the officer's phone, a WhatsApp template is paid for, and
        # a link that did not arrive is a wrong number, not a click short.
        from django.utils import timezone

        for _n in range(3):
            self.send()
            Notification.objects.update(
                created_at=timezone.now() - timedelta(minutes=5)
            )
        self.assertContains(self.send(), "Sudah 3 tautan kata sandi dikirim")
        self.assertEqual(len(mail.outbox), 3)

    def test_who_cannot_be_sent_a_link_is_told_why(self):
        bendahara = Officer.objects.create(
            cooperative=self.coop_a,
            name="Siti Aminah",
            position=Position.BENDAHARA,
            email="siti@uji.invalid",
        )
        self.assertContains(self.send(bendahara), "belum punya akun")
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertNotContains(page, f'data-testid="password-link-{bendahara.pk}"')
        # A login without any address to send to.
        User.objects.filter(pk=self.officer_a.pk).update(email="")
        self.assertContains(self.send(), "Isi dulu alamat e-mail atau nomor HP")
        # A staff account tied to an officer's position is not reset from here.
        User.objects.filter(pk=self.officer_a.pk).update(
            email="a@uji.invalid", role=Role.STAFF
        )
        self.assertContains(self.send(), "tidak dapat diatur ulang dari halaman ini")
        self.ketua.is_active = False
        self.ketua.save()
        self.assertContains(self.send(), "sudah tidak aktif")
        self.assertEqual(mail.outbox, [])
        self.assertFalse(AuditEvent.objects.filter(action=AuditAction.PASSWORD_LINK))

    def test_only_staff_send_links_and_outsiders_get_404(self):
        url = reverse("cooperatives:officer_password_link", args=[self.ketua.pk])
        # The officer themselves uses "Lupa kata sandi?"; another cooperative's
        # officer does not learn the position exists.
        self.assertEqual(self.client_for(self.officer_a).post(url).status_code, 403)
        self.assertEqual(self.client_for(self.officer_b).post(url).status_code, 404)
        self.assertEqual(self.client_for(self.staff).get(url).status_code, 405)
        self.assertEqual(mail.outbox, [])
