"""The one way to notify someone: render now, record, send later.

``notification_queue`` renders ``<template>_subject.txt`` and ``<template>.txt``
with the context of the event that is happening (inside its transaction), stores
one ``Notification`` per recipient and, once the transaction commits, hands each to
the sending task. ``notification_send`` (run by that task) only sends what was
stored, so a delayed or retried message never describes a later state.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from lib.background import enqueue_on_commit

from .models import Channel, Notification, NotificationStatus

# The task is found by name, not imported: services never import task modules.
SEND_TASK = "notifications.send"


def notification_queue(
    *,
    template: str,
    context: dict[str, Any],
    recipients: Iterable[str],
    channel: Channel = Channel.EMAIL,
) -> list[Notification]:
    """Render ``template`` now and queue one message per distinct recipient.
    Messages are written in the office's language, whatever the acting user's."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    subject = subject[:255]
    rows = [
        Notification.objects.create(
            channel=channel,
            recipient=recipient,
            template=template,
            subject=subject,
            body=body,
        )
        for recipient in dict.fromkeys(r for r in recipients if r)
    ]
    for row in rows:
        enqueue_on_commit(SEND_TASK, row.pk)
    return rows


def notification_send(*, notification_id: int) -> Notification:
    """Send one stored message, once: the row is locked while it is sent, so two
    deliveries of the same task (a retry racing a late acknowledgement) send it
    once. A mail server error is recorded on the row (status, error, attempts) and
    then raised for the task to retry."""
    failure: OSError | None = None
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status == NotificationStatus.SENT:
            return notification
        notification.attempts += 1
        try:
            send_mail(
                notification.subject,
                notification.body,
                None,
                [notification.recipient],
            )
        except OSError as exc:
            failure = exc
            notification.status = NotificationStatus.FAILED
            notification.error = f"{type(exc).__name__}: {exc}"[:2000]
            notification.save(update_fields=["status", "error", "attempts"])
        else:
            notification.status = NotificationStatus.SENT
            notification.sent_at = timezone.now()
            notification.error = ""
            notification.save(update_fields=["status", "sent_at", "error", "attempts"])
    if failure is not None:
        raise failure
    return notification
