from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import User
from tests.personas import PersonaTestCase


class LoginTests(PersonaTestCase):
    def test_the_login_page_speaks_bahasa_indonesia(self):
        response = self.anonymous.get(reverse("login"))
        self.assertContains(response, "Masuk ke Registri Koperasi")
        self.assertContains(response, 'lang="id"')
        self.assertContains(response, "Kata sandi")

    def test_a_person_logs_in_and_out(self):
        client = self.anonymous
        response = client.post(
            reverse("login"), {"username": "staf-uji", "password": "rahasia-uji-123"}
        )
        self.assertRedirects(response, reverse("home"))
        assert client.get(reverse("home")).status_code == 200
        out = client.post(reverse("logout"), follow=True)
        # The login page says it happened (it said nothing).
        self.assertContains(out, "Anda sudah keluar.")
        self.assertContains(out, "Kata sandi")
        assert client.get(reverse("home")).status_code == 302

    def test_the_header_names_a_person_and_their_role_once_each(self):
        # The demo's staff member, named as the role: "Staf Dinas · Staf Dinas".
        self.staff.first_name, self.staff.last_name = "Staf", "Dinas"
        self.staff.save()
        page = self.client_for(self.staff).get(reverse("home"))
        # The name leads to its password; the role, under it, is not said twice.
        self.assertContains(
            page, '<span class="text-nowrap navbar-user">Staf Dinas</span></a>'
        )
        self.assertNotContains(page, '<small class="text-nowrap">Staf Dinas</small>')
        self.staff.first_name = "Sri"
        self.staff.save()
        page = self.client_for(self.staff).get(reverse("home"))
        self.assertContains(
            page,
            '<span class="text-nowrap navbar-user">Sri Dinas</span><br>'
            '<small class="text-nowrap">Staf Dinas</small>',
        )

    def test_a_wrong_password_is_explained_in_bahasa_indonesia(self):
        response = self.anonymous.post(
            reverse("login"), {"username": "staf-uji", "password": "salah"}
        )
        self.assertContains(response, "Nama pengguna atau kata sandi salah.")

    def test_repeated_failures_lock_the_login_for_a_while(self):
        client = self.anonymous
        for _ in range(5):
            client.post(reverse("login"), {"username": "staf-uji", "password": "salah"})
        response = client.post(
            reverse("login"), {"username": "staf-uji", "password": "rahasia-uji-123"}
        )
        assert response.status_code == 429
        self.assertContains(response, "Terlalu banyak percobaan masuk", status_code=429)
        # For how long: "coba lagi nanti" left people trying every minute.
        self.assertContains(response, "coba lagi dalam 15 menit", status_code=429)
        # Whom to call: "hubungi administrator Dinas" named no one.
        self.assertContains(response, 'data-testid="office-contact"', status_code=429)
        self.assertContains(response, settings.OFFICE_PHONE, status_code=429)
        assert "_auth_user_id" not in client.session

    def test_guessing_the_old_password_ends_the_session(self):
        # Anyone at a computer left logged in could try 48 old passwords, then
        # change the password with the right one.
        client = self.client_for(self.staff)
        url = reverse("password_change")
        guess = {
            "new_password1": "Baru-sekali-2026",
            "new_password2": "Baru-sekali-2026",
        }
        for _ in range(4):
            response = client.post(url, {"old_password": "tebakan", **guess})
            self.assertContains(response, "salah")
        response = client.post(url, {"old_password": "tebakan", **guess})
        self.assertContains(response, "Anda telah dikeluarkan", status_code=429)
        response = client.post(url, {"old_password": "rahasia-uji-123", **guess})
        self.assertRedirects(response, f"{reverse('login')}?next={url}")
        self.staff.refresh_from_db()
        self.assertTrue(self.staff.check_password("rahasia-uji-123"))
        # Logged in again (with the password), one typo is one typo.
        client = self.client_for(self.staff)
        response = client.post(url, {"old_password": "typo", **guess})
        self.assertContains(response, "salah")

    def test_a_mistyped_old_password_now_and_then_is_only_explained(self):
        client = self.client_for(self.staff)
        url = reverse("password_change")
        new = {"new_password1": "Baru-sekali-2026", "new_password2": "Baru-sekali-2026"}
        self.assertContains(client.post(url, {"old_password": "typo", **new}), "salah")
        response = client.post(url, {"old_password": "rahasia-uji-123", **new})
        self.assertRedirects(response, reverse("password_change_done"))

    @override_settings(LOGIN_FAILURES_PER_HOUR_CLIENT=6)
    def test_one_client_trying_many_names_is_stopped(self):
        client = self.anonymous
        for n in range(6):
            response = client.post(
                reverse("login"), {"username": f"tebakan-{n}", "password": "salah"}
            )
            self.assertEqual(response.status_code, 200)
        # Past the limit no name is tried, not even a right one.
        response = client.post(
            reverse("login"), {"username": "staf-uji", "password": "rahasia-uji-123"}
        )
        self.assertContains(response, "perangkat atau jaringan ini", status_code=429)
        assert "_auth_user_id" not in client.session
        # Another client (an officer on a phone) still logs in.
        other = Client(REMOTE_ADDR="10.9.8.7")
        response = other.post(
            reverse("login"), {"username": "staf-uji", "password": "rahasia-uji-123"}
        )
        self.assertRedirects(response, reverse("home"))

    def test_the_password_reset_flow_sends_a_working_link(self):
        client = self.anonymous
        client.post(reverse("password_reset"), {"email": "staf-uji@uji.invalid"})
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert "Atur ulang kata sandi" in message.subject
        link = next(
            line for line in message.body.splitlines() if "/akun/reset/" in line
        )
        path = link.split("testserver", 1)[1]
        response = client.get(path, follow=True)
        self.assertContains(response, "Buat kata sandi baru")
        response = client.post(
            response.redirect_chain[-1][0],
            {
                "new_password1": "Kopi-Balikpapan-77",
                "new_password2": "Kopi-Balikpapan-77",
            },
        )
        assert response.status_code == 302
        assert User.objects.get(username="staf-uji").check_password(
            "Kopi-Balikpapan-77"
        )

    def test_an_unknown_address_gets_the_same_answer_and_no_mail(self):
        response = self.anonymous.post(
            reverse("password_reset"), {"email": "tidak-ada@uji.invalid"}, follow=True
        )
        self.assertContains(response, "Jika alamat e-mail tersebut terdaftar")
        assert mail.outbox == []
        # An officer invited by WhatsApp has no e-mail: the page says whom to call.
        self.assertContains(response, settings.OFFICE_PHONE)
        form = self.anonymous.get(reverse("password_reset"))
        self.assertContains(form, "tanpa alamat e-mail")
        self.assertContains(form, settings.OFFICE_PHONE)
