"""Reading what the WhatsApp Cloud API posts to the webhook: its ``value``
objects, its message ids and its times, for the delivery reports
(``notifications.delivery``) and the incoming messages (``notifications.incoming``)
alike. Anything of another shape or type is passed over, never an error: Meta
posts again what was not answered 2xx."""

import datetime
from collections.abc import Iterator, Mapping
from typing import Any, TypeGuard

from django.utils import timezone


def payload_values(payload: Any) -> Iterator[Mapping[str, Any]]:
    """Each ``value`` object of a webhook payload (``entry[].changes[].value``);
    anything of another shape passed over."""
    entries = payload.get("entry") if isinstance(payload, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if isinstance(value, dict):
                yield value


# Meta posts a report again for up to a week until it is answered: a time
# further back, or ahead of now, is no time a report can carry.
REPORT_AGE_MAX = datetime.timedelta(days=8)
REPORT_AHEAD_MAX = datetime.timedelta(hours=1)


def when_reported(status: Mapping[str, Any]) -> datetime.datetime:
    """The report's time (Unix seconds, as text); now when it has none, or one
    no report can carry (1970, the year 9999: a page showing it failed)."""
    now = timezone.now()
    try:
        seconds = int(str(status.get("timestamp")))
        when = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return now
    if not now - REPORT_AGE_MAX <= when <= now + REPORT_AHEAD_MAX:
        return now
    return when


def is_message_id(value: Any) -> TypeGuard[str]:
    """A ``wamid.…`` as the API gives them: printable ASCII of a sensible length
    (a NUL, or a lone surrogate, failed the query that looked for it)."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= 128
        and value.isascii()
        and value.isprintable()
    )
