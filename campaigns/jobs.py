"""Enqueueing a campaign job after the transaction that created its row commits,
through ``lib.background`` (services never import the task module). A letter
batch goes as several parts, which workers run side by side."""

from lib.background import enqueue_on_commit
from lib.jobs import not_run

from .models import CampaignJob, JobKind


def enqueue(job: CampaignJob) -> None:
    """A job the broker did not take ends as failed while still queued (nothing
    of it made yet: a letter batch numbers its letters in the worker)."""
    unsent = not_run(CampaignJob, job.pk)
    if job.kind == JobKind.LETTERS:
        for part in range(job.params.get("parts", 1)):
            enqueue_on_commit(
                "campaigns.tasks.run_letter_part", job.pk, part, unsent=unsent
            )
        return
    enqueue_on_commit(
        "campaigns.tasks.run_campaign_job", job.pk, job.kind, unsent=unsent
    )
