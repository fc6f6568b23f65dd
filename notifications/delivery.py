"""WhatsApp's delivery reports: what became of a message after the Cloud API took it.

Meta posts them to the webhook (``notifications.webhook``) as::

    {"object": "whatsapp_business_account",
     "entry": [{"id": "<WABA id>", "changes": [{"field": "messages",
       "value": {"messaging_product": "whatsapp", "metadata": {...},
                 "statuses": [{"id": "wamid.…", "status": "delivered",
                               "timestamp": "1733550000",
                               "recipient_id": "6281234567890",
                               "errors": [{"code": 131026, "title": "…",
                                           "error_data": {"details": "…"}}]}]}}]}]}

``sent`` (in WhatsApp's hands), ``delivered`` (on the phone), ``read`` and
``failed`` (it will not arrive: not a WhatsApp number, blocked, an old app). Reports
come more than once and out of order, and "delivered" may follow "failed" when the
person uses several devices: each is applied so that the order does not matter and
a repeat changes nothing. A failed message waits for staff as one the API refused
("Kirim lewat WhatsApp"); one that then arrives is sent after all.
"""

import datetime
from collections.abc import Iterator, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.office_text import office_language

from .models import Channel, Notification, NotificationStatus

# The statuses a report may carry, and what the registry does with each.
ARRIVED = ("delivered", "read")
KNOWN = ("sent", "delivered", "read", "failed")


def _statuses(payload: Any) -> Iterator[Mapping[str, Any]]:
    """Each status object of a webhook payload; anything of another shape (an
    incoming message, a template's review, a field of the wrong type) passed over."""
    entries = payload.get("entry") if isinstance(payload, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            statuses = value.get("statuses") if isinstance(value, dict) else None
            for status in statuses if isinstance(statuses, list) else []:
                if isinstance(status, dict):
                    yield status


def _when(status: Mapping[str, Any]) -> datetime.datetime:
    """The report's time (Unix seconds, as text), else now."""
    try:
        seconds = int(str(status.get("timestamp")))
        return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return timezone.now()


def _failure(status: Mapping[str, Any]) -> str:
    """Why WhatsApp could not deliver, in the office's words with its code."""
    errors = status.get("errors")
    error = errors[0] if isinstance(errors, list) and errors else {}
    error = error if isinstance(error, dict) else {}
    data = error.get("error_data")
    details = (data.get("details") if isinstance(data, dict) else None) or error.get(
        "title"
    )
    with office_language():
        return _(
            "WhatsApp tidak dapat mengantar pesan ke nomor ini (kode %(code)s): "
            "%(details)s. Periksa nomornya, atau hubungi pengurus lewat telepon "
            "atau e-mail."
        ) % {
            "code": error.get("code", "-"),
            "details": str(details or _("tanpa keterangan"))[:500],
        }


def whatsapp_statuses_record(payload: Any) -> int:
    """Apply the delivery reports of a webhook payload to the messages they name.
    Reports of messages the registry did not send are passed over. Returns how
    many messages changed. One query per report, two when it changes one."""
    changed = 0
    for status in _statuses(payload):
        message_id, state = status.get("id"), status.get("status")
        if not _is_message_id(message_id) or state not in KNOWN:
            continue
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update()
                .filter(channel=Channel.WHATSAPP, provider_id=message_id)
                .first()
            )
            if row is not None and _apply(row, state, status):
                row.save(update_fields=["status", "error", "delivered_at", "read_at"])
                changed += 1
    return changed


def _is_message_id(value: Any) -> bool:
    """A ``wamid.…`` as the API gives them: text of a sensible length, without
    the NUL PostgreSQL refuses in a query."""
    return isinstance(value, str) and 0 < len(value) <= 128 and "\x00" not in value


def _earliest(
    kept: datetime.datetime | None, when: datetime.datetime
) -> datetime.datetime:
    return when if kept is None else min(kept, when)


def _apply(row: Notification, state: str, status: Mapping[str, Any]) -> bool:
    """Record ``state`` on ``row``; whether anything changed. The times kept are
    the earliest reported, whatever order the reports come in."""
    before = (row.status, row.error, row.delivered_at, row.read_at)
    when = _when(status)
    if state in ARRIVED:
        row.delivered_at = _earliest(row.delivered_at, when)
        if state == "read":
            row.read_at = _earliest(row.read_at, when)
        if row.status in (NotificationStatus.FAILED, NotificationStatus.WITHDRAWN):
            # Reported failed on one device, then on the phone after all.
            row.status, row.error = NotificationStatus.SENT, ""
    elif (
        state == "failed"
        and row.status == NotificationStatus.SENT
        # Not once it arrived elsewhere, nor once staff sent it by hand.
        and row.delivered_at is None
        and row.sent_by_id is None
    ):
        row.status = NotificationStatus.FAILED
        row.error = _failure(status)
    return (row.status, row.error, row.delivered_at, row.read_at) != before
