"""Whole public pages, kept for PUBLIC_CACHE_SECONDS: in the shared cache (Redis in
production), so that every worker reuses a page once rendered, and in a small copy
inside each worker process in front of it, so that a popular page costs no network
round trip. Both copies expire at the moment the page was rendered plus
PUBLIC_CACHE_SECONDS: a change is never shown later than that."""

import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from django.core.cache import cache

# Pages per worker process (a search page is about 30 KB: about 15 MB at most).
LOCAL_PAGES = 500


class Page(NamedTuple):
    expires: float  # time.time() after which the page is stale
    content: bytes
    content_type: str


_local: OrderedDict[str, Page] = OrderedDict()
_lock = threading.Lock()


def get(key: str) -> Page | None:
    now = time.time()
    with _lock:
        page = _local.get(key)
        if page is not None:
            if page.expires > now:
                _local.move_to_end(key)
                return page
            del _local[key]
    shared = cache.get(key)
    if shared is None:
        return None
    page = Page(*shared)
    if page.expires <= now:
        return None
    _keep(key, page)
    return page


def put(key: str, content: bytes, content_type: str, seconds: int) -> None:
    page = Page(time.time() + seconds, content, content_type)
    cache.set(key, tuple(page), seconds)
    _keep(key, page)


def _keep(key: str, page: Page) -> None:
    with _lock:
        _local[key] = page
        _local.move_to_end(key)
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def clear() -> None:
    """Forget this process's copies (the shared cache is cleared on its own)."""
    with _lock:
        _local.clear()
