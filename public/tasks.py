from celery import shared_task

from .services import concern_confirmation_send


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_concern_confirmation(concern_id: int) -> None:
    concern_confirmation_send(concern_id=concern_id)
