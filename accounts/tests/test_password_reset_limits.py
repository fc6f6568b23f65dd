"""Password reset sends at most a few mails to one address, and one client cannot
ask without end."""

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.personas import PersonaTestCase


@override_settings(PASSWORD_RESET_PER_HOUR_ADDRESS=3, PASSWORD_RESET_PER_HOUR_CLIENT=10)
class PasswordResetLimitTests(PersonaTestCase):
    def ask(self, email="staf-uji@uji.invalid", ip="10.0.0.1"):
        return self.anonymous.post(
            reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip
        )

    def test_one_address_gets_at_most_three_mails_an_hour(self):
        for index in range(6):
            response = self.ask(ip=f"10.0.0.{index}")
            # The same answer every time: it must not tell what happened.
            self.assertRedirects(response, reverse("password_reset_done"))
        assert len(mail.outbox) == 3
        self.ask(email="pengurus-a@uji.invalid")
        assert len(mail.outbox) == 4

    def test_one_client_is_stopped_after_ten_requests(self):
        for index in range(10):
            self.ask(email=f"orang{index}@uji.invalid")
        response = self.ask(email="pengurus-a@uji.invalid")
        self.assertContains(
            response, "Terlalu banyak permintaan atur ulang", status_code=429
        )
        assert mail.outbox == []
        assert (
            self.ask(email="pengurus-a@uji.invalid", ip="10.9.9.9").status_code == 302
        )
        assert len(mail.outbox) == 1
