"""/healthz/ asks each service the app needs, and names the one that is down."""

from django.test import TestCase, override_settings

from .broker import broker_down, broker_hanging


class HealthTests(TestCase):
    def test_all_up(self):
        response = self.client.get("/healthz/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.content.decode().split(),
            ["database", "ok", "cache", "ok", "broker", "ok"],
        )

    def test_the_broker_down_is_named(self):
        with broker_down():
            response = self.client.get("/healthz/")
        self.assertEqual(response.status_code, 503)
        self.assertIn("broker down", response.content.decode())
        self.assertIn("database ok", response.content.decode())

    @override_settings(CACHE_URL="redis://127.0.0.1:9/1")
    def test_the_cache_down_is_named(self):
        response = self.client.get("/healthz/")
        self.assertEqual(response.status_code, 503)
        self.assertIn("cache down", response.content.decode())

    def test_a_broker_that_never_answers_is_named_in_time(self):
        import time

        started = time.monotonic()
        with broker_hanging():
            response = self.client.get("/healthz/")
        self.assertEqual(response.status_code, 503)
        self.assertIn("broker down", response.content.decode())
        self.assertLess(time.monotonic() - started, 15)
