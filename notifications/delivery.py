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
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.office_text import office_language
from lib.text import storable

from .models import Channel, HeldReport, Notification, NotificationStatus
from .payload import is_message_id, payload_values, when_reported

# The statuses a report may carry, and what the registry does with each.
ARRIVED = ("delivered", "read")
KNOWN = ("sent", "delivered", "read", "failed")
# A report naming no message is kept this long for a message still being sent;
# after that it was about a message of another sender on the same number.
HELD_FOR = datetime.timedelta(days=1)
# What a held report keeps of the status object.
HELD_KEYS = ("id", "status", "timestamp", "errors")


def _statuses(payload: Any) -> Iterator[Mapping[str, Any]]:
    """Each status object of a webhook payload; anything of another shape (an
    incoming message, a template's review, a field of the wrong type) passed over."""
    for value in payload_values(payload):
        statuses = value.get("statuses")
        for status in statuses if isinstance(statuses, list) else []:
            if isinstance(status, dict):
                yield status


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
            "code": storable(str(error.get("code", "-")))[:20],
            "details": storable(str(details or _("tanpa keterangan")))[:500],
        }


def whatsapp_statuses_record(payload: Any) -> int:
    """Apply the delivery reports of a webhook payload to the messages they name;
    returns how many messages changed. A report naming an id no message has yet is
    held for the message being sent (``HeldReport``): it is applied when the sender
    stores the id. One or two queries per report, three or four when held.

    Not to be called inside a transaction: a held report must be committed before
    this looks again for its message, or a sender storing the id in between finds
    no report and this finds no message."""
    changed = 0
    for status in _statuses(payload):
        message_id, state = status.get("id"), status.get("status")
        if not is_message_id(message_id) or state not in KNOWN:
            continue
        outcome = _apply_to(message_id, [status])
        if outcome is None:
            _hold(message_id, status)
            outcome = delivery_reports_held_apply(message_id=message_id)
        changed += bool(outcome)
    return changed


def delivery_reports_held_apply(*, message_id: str) -> bool:
    """Apply, then drop, the reports held for ``message_id`` once a message has that
    id; whether the message changed. Called by the sender after it stored the id
    (committed), and by the webhook after it held a report. The held rows are
    locked, so a report is applied once however the two calls meet."""
    if not message_id:
        return False
    with transaction.atomic():
        held = list(
            HeldReport.objects.select_for_update()
            .filter(message_id=message_id)
            .order_by("pk")
        )
        if not held:
            return False
        outcome = _apply_to(message_id, [row.report for row in held])
        if outcome is None:
            return False
        HeldReport.objects.filter(pk__in=[row.pk for row in held]).delete()
        return outcome


def _apply_to(message_id: str, statuses: Iterable[Mapping[str, Any]]) -> bool | None:
    """Apply ``statuses`` to the message with ``message_id`` under its lock: whether
    it changed, or None when no message has that id."""
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update()
            .filter(channel=Channel.WHATSAPP, provider_id=message_id)
            .first()
        )
        if row is None:
            return None
        changed = False
        for status in statuses:
            changed = _apply(row, str(status.get("status")), status) or changed
        if changed:
            row.save(update_fields=["status", "error", "delivered_at", "read_at"])
        return changed


def _hold(message_id: str, status: Mapping[str, Any]) -> None:
    """Keep a report for a message not yet known; drop those kept past HELD_FOR."""
    HeldReport.objects.filter(received_at__lt=timezone.now() - HELD_FOR).delete()
    HeldReport.objects.create(
        message_id=message_id,
        report={key: _storable(status.get(key)) for key in HELD_KEYS},
    )


def _storable(value: Any) -> Any:
    """``value`` with every text in it storable (``lib.text.storable``)."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable(str(k)): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


def _earliest(
    kept: datetime.datetime | None, when: datetime.datetime
) -> datetime.datetime:
    return when if kept is None else min(kept, when)


def _apply(row: Notification, state: str, status: Mapping[str, Any]) -> bool:
    """Record ``state`` on ``row``; whether anything changed. The times kept are
    the earliest reported, whatever order the reports come in."""
    before = (row.status, row.error, row.delivered_at, row.read_at)
    # Not on the phone before it was sent.
    when = max(
        when_reported(status),
        row.sent_at or datetime.datetime.min.replace(tzinfo=datetime.UTC),
    )
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
