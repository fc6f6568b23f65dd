"""The client's address behind reverse proxies, and everything that limits by it."""

from axes.models import AccessAttempt
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse

from lib.clientip import client_ip
from public.models import Concern
from tests.personas import PersonaTestCase

PROXY = "172.18.0.2"


def address(count: int, forwarded: str | None, remote: str = PROXY) -> str:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(TRUSTED_PROXY_COUNT=count):
        return client_ip(request)


SENT = 302  # the redirect to the "sent" page


class ClientAddressTests(SimpleTestCase):
    def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(self):
        assert address(0, "6.6.6.6") == PROXY
        assert address(0, None) == PROXY

    def test_one_proxy_gives_the_address_it_appended(self):
        assert address(1, "203.0.113.7") == "203.0.113.7"
        # The visitor wrote the first entry themselves; the proxy appended the last.
        assert address(1, "6.6.6.6, 203.0.113.7") == "203.0.113.7"

    def test_two_proxies_count_from_the_right(self):
        assert address(2, "6.6.6.6, 203.0.113.7, 10.0.0.5") == "203.0.113.7"
        assert address(2, "203.0.113.7") == "203.0.113.7"

    def test_a_missing_or_malformed_header_falls_back_to_the_peer(self):
        assert address(1, None) == PROXY
        assert address(1, "") == PROXY
        assert address(1, "bukan-alamat") == PROXY
        assert address(1, "2001:db8::1") == "2001:db8::1"


MESSAGE = "Pengurus belum mengadakan RAT selama tiga tahun dan tidak ada laporan."


class LimitsBehindAProxyTests(PersonaTestCase):
    sent = 0

    def concern(self, forwarded: str) -> int:
        # Each a different concern (the same one sent again is the first).
        self.sent += 1
        message = f"{MESSAGE} ({self.sent})"
        payload = {"message": message, "name": "", "contact": "", "website": ""}
        response = self.anonymous.post(
            reverse("public:concern", args=[self.coop_a.pk]),
            payload,
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        )
        # Sent: a redirect to the "sent" page; refused: 429.
        return response.status_code

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_one_visitor_behind_the_proxy_does_not_silence_the_others(self):
        for _ in range(5):
            assert self.concern("203.0.113.7") == SENT
        assert self.concern("203.0.113.7") == 429
        assert self.concern("198.51.100.9") == SENT
        assert Concern.objects.count() == 6

    @override_settings(TRUSTED_PROXY_COUNT=0)
    def test_a_spoofed_header_does_not_escape_the_limit_without_a_proxy(self):
        for index in range(5):
            assert self.concern(f"6.6.6.{index}") == SENT
        assert self.concern("6.6.6.99") == 429

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_the_login_lockout_applies_to_the_visitor_not_the_proxy(self):
        def login(forwarded: str, password: str) -> int:
            response = self.anonymous.post(
                reverse("login"),
                {"username": "staf-uji", "password": password},
                REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR=forwarded,
            )
            return response.status_code

        for _ in range(5):
            login("203.0.113.7", "salah")
        assert login("203.0.113.7", "rahasia-uji-123") == 429
        assert login("198.51.100.9", "rahasia-uji-123") == 302
        # The lockout record (axes' access trail) names the visitor, not the proxy.
        attempt = AccessAttempt.objects.get()
        assert attempt.ip_address == "203.0.113.7"
