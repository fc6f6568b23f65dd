"""The one way to notify someone: render now, record, send later.

``notification_queue`` renders the message with the context of the event that is
happening (inside its transaction) and stores one ``Notification`` per recipient:
by e-mail ``<template>_subject.txt`` and ``<template>.txt``; by WhatsApp
``<template>_whatsapp.txt`` plus the parameters of the approved template. Once the
transaction commits each is handed to the sending task. ``notification_send`` (run
by that task) only sends what was stored, so a delayed or retried message never
describes a later state.

WhatsApp without the Cloud API configured: the message is stored as waiting for
staff (``MANUAL``); the page of what it is about offers "Kirim lewat WhatsApp",
and ``notification_mark_sent`` records who sent it.

A message carrying a secret (an invitation's one-time link) is sent at once with
``notification_send_now`` and stored without the secret.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from lib.background import enqueue_on_commit
from lib.display import shown
from lib.followup import handled_record
from lib.office_text import lazy_text, office_language

from .contacts import Contact
from .delivery import delivery_reports_held_apply
from .models import Channel, IncomingMessage, Notification, NotificationStatus
from .texts import message_render
from .whatsapp import (
    WhatsAppRefused,
    whatsapp_configured,
    whatsapp_send_template,
    whatsapp_template_name,
)

# The task is found by name, not imported: services never import task modules.
SEND_TASK = "notifications.send"
REDACTED = "[…]"
# A template message's body may not exceed 1,024 characters once filled in; a
# margin for the office name the registered text ends with.
WHATSAPP_BODY_LIMIT = 1024 - 64
# The sending task's retries (notifications/tasks.py); the last failure is final.
MAX_RETRIES = 5


def _contacts(recipients: Iterable[Contact | str]) -> list[Contact]:
    """Distinct contacts; a bare string is an e-mail address."""
    seen: dict[tuple[str, str], Contact] = {}
    for item in recipients:
        contact = item if isinstance(item, Contact) else Contact(Channel.EMAIL, item)
        if contact.address:
            seen.setdefault((contact.channel, contact.address.lower()), contact)
    return list(seen.values())


def _build(
    *,
    template: str,
    context: dict[str, Any],
    contact: Contact,
    topic: str,
    whatsapp_params: Sequence[Any],
) -> Notification:
    subject, body = message_render(template, context, contact.channel)
    row = Notification(
        channel=contact.channel,
        recipient=contact.address,
        recipient_name=contact.name[:150],
        template=template,
        topic=topic,
        subject=subject,
        body=body,
    )
    if contact.channel == Channel.WHATSAPP:
        row.whatsapp_template = whatsapp_template_name(template.rsplit("/", 1)[-1])
        with office_language():
            row.whatsapp_params = template_params(whatsapp_params, body)
        if not whatsapp_configured():
            row.status = NotificationStatus.MANUAL
    return row


def template_params(params: Sequence[Any], body: str) -> list[str]:
    """Parameters the Cloud API takes: each value as a person reads it
    (``lib.display.shown``: dates, times and labels in the active language, which
    ``_build`` sets to the office's), one line each, never empty (it refuses line
    breaks, tabs and runs of spaces, error 132018, and an empty parameter), and
    short enough that the filled-in template stays within WhatsApp's 1,024
    characters (``body``, the same text rendered, tells how much the fixed words
    take): the longest parameter is cut, ending in "…"."""
    cleaned = [" ".join(shown(p).split()) or "-" for p in params]
    fixed = max(len(body) - sum(len(p) for p in cleaned), 0)
    over = fixed + sum(len(p) for p in cleaned) - WHATSAPP_BODY_LIMIT
    if over > 0 and cleaned:
        longest = max(range(len(cleaned)), key=lambda i: len(cleaned[i]))
        keep = max(len(cleaned[longest]) - over - 1, 1)
        cleaned[longest] = cleaned[longest][:keep].rstrip() + "…"
    return cleaned


def notification_queue(
    *,
    template: str,
    context: dict[str, Any],
    recipients: Iterable[Contact | str],
    topic: str = "",
    whatsapp_params: Sequence[Any] = (),
    not_before: datetime | None = None,
) -> list[Notification]:
    """Render ``template`` now and queue one message per distinct recipient
    (a ``Contact``, or an e-mail address). ``whatsapp_params`` fill the approved
    template's ``{{1}}``, ``{{2}}``… in order (docs/whatsapp.md); dates, times and
    lazy labels are written in the office's language. ``not_before``: held until
    then (sent by ``notifications_stalled_resend``, offered to staff from then on)."""
    rows = []
    for contact in _contacts(recipients):
        row = _build(
            template=template,
            context=context,
            contact=contact,
            topic=topic,
            whatsapp_params=whatsapp_params,
        )
        row.not_before = not_before
        if topic and row.channel == Channel.WHATSAPP:
            _supersede(topic, row.recipient)
        row.save()
        rows.append(row)
        if row.status == NotificationStatus.QUEUED and not row.is_held:
            enqueue_on_commit(SEND_TASK, row.pk)
    return rows


# What may still go out, and so may be withdrawn.
UNSENT = (
    NotificationStatus.QUEUED,
    NotificationStatus.RETRYING,
    NotificationStatus.MANUAL,
    NotificationStatus.FAILED,
)


def notifications_withdraw(*, topics: Sequence[str]) -> int:
    """The messages about ``topics`` not sent yet are not sent at all, nor offered
    to staff (what they were about was cancelled); returns how many."""
    if not topics:
        return 0
    return Notification.objects.filter(topic__in=topics, status__in=UNSENT).update(
        status=NotificationStatus.WITHDRAWN
    )


def _supersede(topic: str, recipient: str) -> None:
    """Older WhatsApp messages about ``topic`` to ``recipient`` that wait for
    staff to send them by hand are no longer offered: the newer one says where
    things stand (a receipt, "perlu diperbaiki", then "diterima")."""
    Notification.objects.filter(
        topic=topic,
        recipient=recipient,
        channel=Channel.WHATSAPP,
        status__in=[NotificationStatus.MANUAL, NotificationStatus.FAILED],
    ).update(status=NotificationStatus.SUPERSEDED)


def _deliver(notification: Notification, body: str, params: list[str]) -> None:
    """Hand one message to its channel. Raises ``OSError`` (mail server, WhatsApp
    unavailable) for a retry, ``WhatsAppRefused`` when a retry cannot help."""
    if notification.channel == Channel.WHATSAPP:
        notification.provider_id = whatsapp_send_template(
            to=notification.recipient,
            template=notification.whatsapp_template,
            params=params,
        )
    else:
        send_mail(notification.subject, body, None, [notification.recipient])


def _outcome(
    notification: Notification, failure: Exception | None, *, final: bool = False
) -> None:
    """Set the outcome of one attempt on the row (the caller saves it). A failure
    worth retrying (``OSError``) leaves the row RETRYING while the task has retries
    left; any other, or the last, is final (FAILED), and staff may then send a
    WhatsApp message by hand."""
    if failure is None:
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.error = ""
    else:
        retrying = (
            not final
            and isinstance(failure, OSError)
            and notification.attempts <= MAX_RETRIES
        )
        notification.status = (
            NotificationStatus.RETRYING if retrying else NotificationStatus.FAILED
        )
        notification.error = f"{type(failure).__name__}: {failure}"[:2000]


def notification_send(*, notification_id: int) -> Notification:
    """Send one stored message, once: the row is locked while it is sent, so two
    deliveries of the same task (a retry racing a late acknowledgement) send it
    once, and one WhatsApp took already (it has its id, though a delivery report
    may have failed it since) is not sent again. An error is recorded on the row
    (status, error, attempts); one worth retrying (a mail server or WhatsApp
    that is down) is then raised for the task to retry. A WhatsApp message whose
    API is no longer configured is left for staff to send."""
    failure: Exception | None = None
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if (
            notification.provider_id
            or notification.is_held
            or notification.status
            in (
                NotificationStatus.SENT,
                NotificationStatus.MANUAL,
                NotificationStatus.SUPERSEDED,
                NotificationStatus.WITHDRAWN,
            )
        ):
            return notification
        if notification.channel == Channel.WHATSAPP and not whatsapp_configured():
            notification.status = NotificationStatus.MANUAL
            notification.save(update_fields=["status"])
            return notification
        notification.attempts += 1
        try:
            _deliver(notification, notification.body, notification.whatsapp_params)
        except (OSError, WhatsAppRefused) as exc:
            failure = exc
        _outcome(notification, failure)
        notification.save(
            update_fields=["status", "sent_at", "error", "attempts", "provider_id"]
        )
    if notification.status == NotificationStatus.RETRYING and failure is not None:
        raise failure
    # WhatsApp may have reported on the message before its id was stored.
    if notification.provider_id and delivery_reports_held_apply(
        message_id=notification.provider_id
    ):
        notification.refresh_from_db()
    return notification


# A message still waiting this long was never picked up: the worker was down or
# lost it, or the database refused its first attempt.
STALLED_AFTER = timedelta(minutes=10)


def notifications_stalled_resend(*, now: datetime | None = None) -> int:
    """Hand the messages still waiting (``QUEUED``) STALLED_AFTER after they were
    made, or after the day they were held until, to the worker again, each at most
    once an hour (a worker down for hours does not find the same message queued a
    dozen times); returns how many. A held message goes this way on its day.
    Sending twice is harmless: the send locks the row and skips a message
    already sent."""
    now = now or timezone.now()
    cutoff = now - STALLED_AFTER
    stalled = Notification.objects.filter(
        Q(not_before__isnull=True, created_at__lt=cutoff) | Q(not_before__lte=now),
        status=NotificationStatus.QUEUED,
    ).values_list("pk", flat=True)
    handed = [pk for pk in stalled if cache.add(f"notification-resent:{pk}", 1, 3600)]
    for pk in handed:
        enqueue_on_commit(SEND_TASK, pk)
    return len(handed)


def notification_send_now(
    *,
    template: str,
    context: dict[str, Any],
    contact: Contact,
    secret: str,
    topic: str = "",
    whatsapp_params: Sequence[Any] = (),
) -> tuple[Notification, str]:
    """Send a message that carries ``secret`` (a one-time link) at once, and store
    it with the secret replaced by "[…]": the database never holds the link. A
    failure is recorded and not retried (the link is gone); staff send a new one.

    Without the WhatsApp API a WhatsApp message is stored as waiting for staff and
    its whole text (with the secret) is returned, for the one page that shows it
    to the staff member who asked for it; otherwise the text returned is ""."""
    row = _build(
        template=template,
        context=context,
        contact=contact,
        topic=topic,
        whatsapp_params=whatsapp_params,
    )
    body, params = row.body, list(row.whatsapp_params)
    row.body = body.replace(secret, REDACTED)
    row.whatsapp_params = [p.replace(secret, REDACTED) for p in params]
    if row.status == NotificationStatus.MANUAL:
        row.save()
        return row, body
    row.attempts = 1
    failure: Exception | None = None
    try:
        _deliver(row, body, params)
    except (OSError, WhatsAppRefused) as exc:
        failure = exc
    _outcome(row, failure, final=True)
    row.save()
    return row, ""


@transaction.atomic
def notification_mark_sent(
    *, acting_user: User, notification: Notification
) -> Notification:
    """Staff sent a WhatsApp message from their own phone ("Kirim lewat
    WhatsApp") and say so: the message is recorded as sent, by them."""
    locked = Notification.objects.select_for_update().get(pk=notification.pk)
    if not locked.waits_for_staff:
        raise ValidationError(_("Pesan ini tidak menunggu dikirim lewat WhatsApp."))
    locked.status = NotificationStatus.SENT
    locked.sent_at = timezone.now()
    locked.sent_by = acting_user
    locked.save(update_fields=["status", "sent_at", "sent_by"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=locked,
        message=lazy_text(
            gettext_lazy("Pesan WhatsApp ke %(recipient)s dikirim staf sendiri."),
            recipient=locked.recipient,
        ),
    )
    return locked


@transaction.atomic
def incoming_mark_handled(
    *, acting_user: User, message: IncomingMessage, note: str
) -> IncomingMessage:
    """Staff dealt with a message sent to the office's number, and say how."""
    locked = IncomingMessage.objects.select_for_update().get(pk=message.pk)
    refusal = _("Tulis tindak lanjutnya: apa yang sudah dilakukan atas pesan ini.")
    if not handled_record(locked, user=acting_user, note=note, refusal=refusal):
        return locked
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=locked,
        message=lazy_text(
            gettext_lazy("Pesan WhatsApp dari %(sender)s ditangani."),
            sender=locked.sender,
        ),
    )
    return locked
