from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import (
    MAX_RETRIES,
    SEND_TASK,
    notification_send,
    notifications_stalled_resend,
)


@shared_task(
    name=SEND_TASK,
    # A mail server or WhatsApp that is down, or the database refusing for a
    # moment (SQLite busy, a PostgreSQL restart).
    autoretry_for=(OSError, OperationalError, InterfaceError),
    retry_backoff=60,
    retry_jitter=False,
    max_retries=MAX_RETRIES,
)
def send_notification(notification_id: int) -> str:
    """Send a stored message; a mail server or WhatsApp that is down (both raise
    ``OSError``), or a database that refused for a moment, is retried with growing
    pauses (1, 2, 4, 8, 16 minutes). The message itself never changes."""
    return notification_send(notification_id=notification_id).status


@shared_task(name="notifications.resend_stalled")
def resend_stalled_notifications() -> int:
    """Every few minutes (beat): messages nobody picked up are sent again."""
    return notifications_stalled_resend()
