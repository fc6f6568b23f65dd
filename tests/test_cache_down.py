"""The shared cache (Redis) stopped: the public site, logging in and the forms with
limits go on, without it (``lib.cache.ForgivingRedisCache``). With Django's own
backend each of them answered 500. And with Redis up, the same backend caches."""

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from lib.testing import missing_services, require_or_skip
from tests.personas import PersonaTestCase


def _redis_cache(url: str) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "lib.cache.ForgivingRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        },
        "process": settings.CACHES["process"],
    }


@override_settings(
    CACHES=_redis_cache("redis://127.0.0.1:9/1"), PUBLIC_CACHE_SECONDS=300
)
class CacheDownTests(PersonaTestCase):
    def test_the_public_site_answers(self):
        for url in (
            reverse("public:home"),
            reverse("public:list") + "?q=alpha",
            reverse("public:cooperative", args=[self.coop_a.pk]),
            reverse("public:api_statistics"),
        ):
            with self.subTest(url):
                self.assertEqual(self.anonymous.get(url).status_code, 200)

    def test_staff_log_in_and_members_send_a_concern(self):
        client = self.anonymous
        response = client.post(
            reverse("login"), {"username": "staf-uji", "password": "rahasia-uji-123"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(client.session["_auth_user_id"]), self.staff.pk)
        concern = self.anonymous.post(
            reverse("public:concern", args=[self.coop_a.pk]),
            {"message": "Koperasi ini tidak pernah mengadakan RAT sejak 2021."},
        )
        self.assertEqual(concern.status_code, 302)

    def test_reads_miss_and_counters_let_requests_through(self):
        cache.set("a", 1)
        self.assertIsNone(cache.get("a"))
        self.assertTrue(cache.add("claim", 1))
        self.assertEqual(cache.incr("claim"), 1)


class CacheUpTests(PersonaTestCase):
    def test_with_redis_up_it_is_a_cache(self):
        require_or_skip([m for m in missing_services() if "Redis" in m])
        url = settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + "/7"
        with override_settings(CACHES=_redis_cache(url)):
            cache.clear()
            cache.set("a", {"aktif": 440}, 60)
            self.assertEqual(cache.get("a"), {"aktif": 440})
            self.assertTrue(cache.add("n", 0, 60))
            self.assertFalse(cache.add("n", 0, 60))
            self.assertEqual(cache.incr("n"), 1)
            cache.clear()
