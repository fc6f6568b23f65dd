"""A form that is sent once, however often its page is sent again.

A double click is stopped in the browser (``data-once``), a reload of the page
shown after sending by the redirect to it (``lib.receipts``). What is left is the
visitor who goes back to the filled-in form and presses send again: the browser
puts back what was typed, so the same values arrive a second time. The same
values for the same object within a day are the same sending: they lead to the
page of the first one instead of a second record. Kept in the cache (Redis in
production), by a digest of the values, never the values themselves.
"""

import hashlib
import json
from typing import Any

from django.core.cache import cache

TIMEOUT = 24 * 60 * 60


def _key(salt: str, values: tuple[Any, ...]) -> str:
    text = json.dumps([salt, *(" ".join(str(v).split()) for v in values)])
    return "once:" + hashlib.sha256(text.encode()).hexdigest()


def sent_before(salt: str, *values: Any) -> str | None:
    """Where the first sending of these values led (its "sent" page), if they
    were sent within the day; else None."""
    found = cache.get(_key(salt, values))
    return str(found) if found else None


def remember_sent(salt: str, url: str, *values: Any) -> None:
    """Record that these values were sent, and where the sending led."""
    cache.set(_key(salt, values), url, TIMEOUT)
