"""Public forms sent once: the page shown after an anonymous form was sent, and
the same form sent again.

- **The "received" page is reached by a redirect** (POST, then redirect, then
  GET), so that reloading it never sends the form again. The visitor has no
  account and may have no session, so what the page shows (the reference number,
  which cooperative) travels in the address, signed for the form (``salt``):
  nobody can make the page say "received" for something that was not sent, and
  the signature expires after a day.
- **The same values sent again** (going back to the filled-in form, which the
  browser fills in again, and pressing send) lead to the first sending's page
  instead of a second record: the same values for the same object within a day
  are the same sending. Kept in the cache (Redis in production) by a digest of
  the values, never the values themselves. The same values sent at the same
  moment wait for the first one's page. A double click is stopped in the browser
  before either (``data-once``).
"""

import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseRedirect

MAX_AGE = 24 * 60 * 60
PARAMETER = "tanda"
# The same values sent at the same moment: how long the later ones wait for the
# first one's page, and how long a claim lasts if its sending dies.
CLAIM_WAIT = 5.0
CLAIM_SECONDS = 30
_POLL = 0.1
_CLAIMED = "claimed"


def redirect_with_receipt(
    url: str,
    salt: str,
    *,
    sent: tuple[Any, ...] = (),
    also_sent: tuple[tuple[Any, ...], ...] = (),
    **receipt: Any,
) -> HttpResponseRedirect:
    """A redirect to ``url`` carrying ``receipt`` (JSON values), signed for
    ``salt``. With ``sent`` (the values the form sent), the same values sent
    again lead here (``sending_once``); so do ``also_sent``, the other ways the
    same sending comes again (the form without the file a browser does not keep
    across pages)."""
    token = signing.dumps(receipt, salt=salt, compress=True)
    response = HttpResponseRedirect(f"{url}?{urlencode({PARAMETER: token})}")
    for values in (sent, *also_sent):
        if values:
            cache.set(_sent_key(salt, values), response["Location"], MAX_AGE)
    return response


def read_receipt(request: HttpRequest, salt: str) -> dict[str, Any] | None:
    """The receipt of the address, or None if it has none, or one not signed for
    ``salt``, or one older than a day."""
    token = request.GET.get(PARAMETER, "")
    try:
        receipt = signing.loads(token, salt=salt, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return receipt if isinstance(receipt, dict) else None


@contextmanager
def sending_once(salt: str, *values: Any) -> Iterator[str | None]:
    """A form's sending of ``values``: gives the first sending's "received" page
    when there was one within the day, else None, and this sending is the first:
    it files its record and ends with ``redirect_with_receipt(..., sent=values)``.

    The same values sent at the same moment (two taps, two tabs) wait for the
    first sending's page, up to ``CLAIM_WAIT`` seconds, instead of filing a second
    record. A first sending that leaves without its page (refused, rate-limited,
    kept out as spam, an error) gives its claim back on leaving, so the values may
    be sent again at once."""
    key = _sent_key(salt, values)
    earlier, claimed = _first_or_claim(key)
    try:
        yield earlier
    finally:
        if claimed and cache.get(key) == _CLAIMED:
            cache.delete(key)


def _first_or_claim(key: str) -> tuple[str | None, bool]:
    """(the first sending's page, False), or (None, True) with ``key`` claimed
    for this sending, or (None, False) when the first one still runs after
    ``CLAIM_WAIT`` (this one is filed as its own)."""
    waited = 0.0
    while True:
        found = cache.get(key)
        if found and found != _CLAIMED:
            return str(found), False
        if found is None and cache.add(key, _CLAIMED, CLAIM_SECONDS):
            return None, True
        if waited >= CLAIM_WAIT:
            return None, False
        time.sleep(_POLL)
        waited += _POLL


def _sent_key(salt: str, values: tuple[Any, ...]) -> str:
    text = json.dumps([salt, *(" ".join(str(v).split()) for v in values)])
    return "sent:" + hashlib.sha256(text.encode()).hexdigest()
