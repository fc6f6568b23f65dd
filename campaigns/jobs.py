"""The one place a campaign job is enqueued: after the transaction that created
its row commits (services never import the task module)."""

from django.db import transaction

from .models import CampaignJob


def enqueue(job: CampaignJob) -> None:
    from .tasks import run_campaign_job

    job_id, kind = job.pk, job.kind
    transaction.on_commit(lambda: run_campaign_job.delay(job_id, kind))
