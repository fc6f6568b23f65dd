"""An anonymous visitor opening any staff or officer address, POST-only ones
included, is sent to the login page (never a 405 that says the address exists)."""

import uuid

from django.conf import settings
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

# Addresses for everyone: the public site, login and password reset, the
# language switch, the health check and the admin (which has its own login).
OPEN_PREFIXES = ("publik/", "akun/", "i18n/", "healthz/", "admin/")
# ... and the pages a link in a letter or an e-mail opens without an account.
OPEN_NAMES = {
    "cooperatives:invitation_accept",
    "reports:rekap_verify",
    "campaigns:confirm_link",
    "campaigns:confirm_link_done",
    "campaigns:verify_letter",
    "campaigns:verify_letter_pdf",
    "campaigns:objection_period",
    "campaigns:objection_create",
    "campaigns:objection_done",
    # Meta's delivery reports: signed with the app's secret, not a login
    # (notifications/tests/test_whatsapp_delivery.py).
    "notifications:whatsapp_webhook",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            for name, path, converters in _walk(entry.url_patterns, route):
                yield (f"{namespace}:{name}" if namespace else name), path, converters
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, route, entry.pattern.converters


def _arguments(converters) -> dict[str, object]:
    values: dict[str, object] = {}
    for key, converter in converters.items():
        if isinstance(converter, IntConverter):
            values[key] = 1
        elif isinstance(converter, UUIDConverter):
            values[key] = uuid.uuid4()
        else:
            values[key] = "x"
    return values


class AnonymousTests(TestCase):
    def test_every_protected_address_sends_anonymous_visitors_to_log_in(self):
        login = reverse(settings.LOGIN_URL)
        checked = 0
        for name, route, converters in _walk(get_resolver().url_patterns):
            if route.startswith(OPEN_PREFIXES) or name in OPEN_NAMES:
                continue
            url = reverse(name, kwargs=_arguments(converters))
            with self.subTest(url=url):
                response = self.client.get(url)
                assert response.status_code == 302, response.status_code
                assert response["Location"].startswith(login), response["Location"]
                checked += 1
        # Sixteen of them are POST-only; all of them were refused with 405 before.
        assert checked > 30
