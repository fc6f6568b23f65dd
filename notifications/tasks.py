from celery import shared_task

from .services import MAX_RETRIES, SEND_TASK, notification_send


@shared_task(
    name=SEND_TASK,
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_jitter=False,
    max_retries=MAX_RETRIES,
)
def send_notification(notification_id: int) -> str:
    """Send a stored message; a mail server or WhatsApp that is down (both raise
    ``OSError``) is retried with growing pauses (1, 2, 4, 8, 16 minutes). The
    message itself never changes."""
    return notification_send(notification_id=notification_id).status
