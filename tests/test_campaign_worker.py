"""A real Celery worker on Redis, against PostgreSQL, opens a campaign and makes
its letters: the job rows a page polls are what the worker wrote."""

import time

import pytest
from django.db import transaction

from accounts.models import Role
from campaigns import jobs
from campaigns.models import CampaignJob, CampaignLetter, JobStatus
from campaigns.services import campaign_create, campaign_open_request
from campaigns.services.letters import letter_job_request
from tests.personas import make_cooperative, make_user


def _wait(job: CampaignJob, worker) -> CampaignJob:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return job
        assert worker.poll() is None, "the worker process died"
        time.sleep(0.3)
    return job


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_opens_a_campaign_and_makes_its_letters(worker_queue):
    staff = make_user("staf-kampanye-worker", Role.STAFF)
    for i in range(20):
        make_cooperative(f"Koperasi Pekerja {i:02d}", last_rat_year=2015 + i % 12)
    with transaction.atomic():
        campaign = campaign_create(acting_user=staff, year=2025)
        job = campaign_open_request(acting_user=staff, campaign=campaign)
        jobs.enqueue(job)
    job = _wait(job, worker_queue)
    assert job.status == JobStatus.DONE, job.error or job.status
    assert job.done == 20 and campaign.items.count() == 20
    campaign.refresh_from_db()
    due = campaign.items.filter(proposed_class="C").count()
    with transaction.atomic():
        letters = letter_job_request(
            acting_user=staff,
            campaign=campaign,
            kind="pemberitahuan",
            issued_on=campaign.opened_at.date(),
            filters={},
        )
        jobs.enqueue(letters)
    letters = _wait(letters, worker_queue)
    assert letters.status == JobStatus.DONE, letters.error or letters.status
    assert CampaignLetter.objects.count() == due > 0
    assert letters.file.name.endswith(".pdf")
