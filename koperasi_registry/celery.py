import os
from typing import Any

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koperasi_registry.settings")

app = Celery("koperasi_registry")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _resume_unfinished_jobs(**_kwargs: Any) -> None:
    """On the zero-setup broker, the jobs the last worker left unfinished
    (``koperasi_registry.jobs``); Redis hands them out again itself."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        from .jobs import unfinished_jobs_resume

        unfinished_jobs_resume()
