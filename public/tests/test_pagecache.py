"""The two-level page cache: a copy in the worker in front of the shared cache, and
neither keeps a page past the moment it was rendered plus PUBLIC_CACHE_SECONDS."""

import time
from unittest import mock

from django.core.cache import cache
from django.test import SimpleTestCase

from public import pagecache


class PageCacheTests(SimpleTestCase):
    def setUp(self):
        cache.clear()
        pagecache.clear()
        self.addCleanup(pagecache.clear)
        self.addCleanup(cache.clear)

    def test_a_page_is_served_from_the_worker_copy_then_the_shared_one(self):
        pagecache.put("k", b"<p>halo</p>", "text/html", 60)
        self.assertEqual(pagecache.get("k").content, b"<p>halo</p>")
        # Another worker (no copy of its own) takes it from the shared cache.
        pagecache.clear()
        page = pagecache.get("k")
        self.assertEqual(
            (page.content, page.content_type), (b"<p>halo</p>", "text/html")
        )
        # ... and keeps it: no shared read for the next hit.
        cache.clear()
        self.assertEqual(pagecache.get("k").content, b"<p>halo</p>")

    def test_no_copy_outlives_the_time_the_page_was_rendered_plus_the_setting(self):
        pagecache.put("k", b"lama", "text/html", 1)
        rendered_expiry = pagecache.get("k").expires
        pagecache.clear()
        # A copy taken from the shared cache later keeps the first expiry.
        self.assertEqual(pagecache.get("k").expires, rendered_expiry)
        time.sleep(max(0.0, rendered_expiry - time.time()) + 0.05)
        self.assertIsNone(pagecache.get("k"))

    @mock.patch.object(pagecache, "LOCAL_PAGES", 3)
    def test_the_worker_keeps_at_most_local_pages(self):
        for n in range(5):
            pagecache.put(f"k{n}", b"x", "text/html", 60)
        self.assertEqual(list(pagecache._local), ["k2", "k3", "k4"])
        self.assertNotIn("k0", pagecache._local)
        # The oldest are still shared.
        self.assertIsNotNone(pagecache.get("k0"))
