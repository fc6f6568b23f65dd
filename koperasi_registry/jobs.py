"""Jobs a dead worker left unfinished, taken up when a worker starts.

Redis, the production broker, hands a task out again itself when the worker that
took it died without finishing (``acks_late``, the visibility timeout). The
zero-setup broker (files under ``var/``) forgets a task once a worker takes it:
a worker killed mid-import left the job "Sedang diterapkan" for good, with
nothing that could retry it. That broker serves the one worker ``make run``
starts, so what is still in progress when a worker starts there is what the
last one left, and ``celery.py`` calls ``unfinished_jobs_resume``:

- an import being read or applied is handed out again: each counts its tries
  and ends as Gagal after a few (``MAX_READ_ATTEMPTS``, ``MAX_APPLY_ATTEMPTS``),
  so a file that kills its worker every time ends, not in a crash loop;
- anything else (an undo, an export, a rekap, a campaign's opening or letters)
  ends with its reason, for the person to ask again: none counts its tries.

Above every app: it knows each app's job rows and tasks by name.
"""

import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import CampaignJob
from cooperatives.models import ImportJob, ImportStatus
from lib.background import enqueue_on_commit
from lib.jobs import JobStatus
from reports.models import ReportRun
from reports.rekap.models import RekapFreezeJob

logger = logging.getLogger(__name__)

# An import a worker had taken, and the task that goes on with it.
IMPORT_TASKS = {
    ImportStatus.READING: "cooperatives.tasks.preview_import",
    ImportStatus.APPLYING: "cooperatives.tasks.apply_import",
}


def unfinished_jobs_resume() -> int:
    """Take up every job a worker had taken and not finished (queued ones are
    still in the queue). Returns how many."""
    taken = 0
    for pk, status in ImportJob.objects.filter(status__in=IMPORT_TASKS).values_list(
        "pk", "status"
    ):
        enqueue_on_commit(IMPORT_TASKS[ImportStatus(status)], pk)
        taken += 1
    taken += ImportJob.objects.filter(status=ImportStatus.UNDOING).update(
        status=ImportStatus.APPLIED,
        error=_(
            "Pembatalan terhenti karena pekerja latar belakang berhenti; registri "
            "tidak berubah. Silakan coba batalkan lagi."
        ),
    )
    stopped = _(
        "Terhenti karena pekerja latar belakang berhenti di tengah jalan. "
        "Silakan minta lagi."
    )
    for model in (ReportRun, RekapFreezeJob, CampaignJob):
        taken += model.objects.filter(status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, error=stopped, finished_at=timezone.now()
        )
    if taken:
        logger.warning("Took up %s job(s) a worker left unfinished", taken)
    return taken
