"""The one place a campaign job is enqueued: after the transaction that created
its row commits (services never import the task module). A letter batch goes as
several parts, which workers run side by side."""

from django.db import transaction

from .models import CampaignJob, JobKind


def enqueue(job: CampaignJob) -> None:
    from .tasks import run_campaign_job, run_letter_part

    job_id, kind = job.pk, job.kind
    if kind == JobKind.LETTERS:
        parts = range(job.params.get("parts", 1))
        transaction.on_commit(
            lambda: [run_letter_part.delay(job_id, part) for part in parts]
        )
        return
    transaction.on_commit(lambda: run_campaign_job.delay(job_id, kind))
