"""Background work of the registry: the ODS import's preview, apply and undo.

Each task takes the job id only and calls the service, which records progress and
the outcome on the ImportJob row; the Celery result backend is never consulted.
"""

from celery import shared_task

from .imports import import_job_apply, import_job_preview, import_job_undo


@shared_task
def preview_import(job_id: int) -> None:
    import_job_preview(job_id=job_id)


@shared_task
def apply_import(job_id: int) -> None:
    import_job_apply(job_id=job_id)


@shared_task
def undo_import(job_id: int) -> None:
    import_job_undo(job_id=job_id)
