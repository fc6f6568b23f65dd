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
- an import's undo and a campaign's letter batch, which are safe to run again,
  are handed out again ``RESUMES`` times, then end with their reason;
- anything else (an export, a rekap, a campaign's opening) ends with its
  reason, for the person to ask again.

Above every app: it knows each app's job rows and tasks by name.
"""

import logging
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import CampaignJob, JobKind
from campaigns.services.letters import letter_job_fail
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
    taken += _undos_resume()
    taken += _letter_batches_resume()
    stopped = _(
        "Terhenti karena pekerja latar belakang berhenti di tengah jalan. "
        "Silakan minta lagi."
    )
    for running in (
        ReportRun.objects.filter(status=JobStatus.RUNNING),
        RekapFreezeJob.objects.filter(status=JobStatus.RUNNING),
        CampaignJob.objects.filter(status=JobStatus.RUNNING).exclude(
            kind=JobKind.LETTERS  # handed out again above
        ),
    ):
        taken += running.update(
            status=JobStatus.FAILED, error=stopped, finished_at=timezone.now()
        )
    if taken:
        logger.warning("Took up %s job(s) a worker left unfinished", taken)
    return taken


# How often a job a worker died on is handed out again before it ends as failed:
# a job that kills its worker must not do so for ever.
RESUMES = 2


def _may_resume(counts: dict[str, Any]) -> bool:
    """Count one more hand-out in ``counts`` (the job's own JSON); False once
    the job has been handed out ``RESUMES`` times."""
    counts["resumed"] = counts.get("resumed", 0) + 1
    return bool(counts["resumed"] <= RESUMES)


def _undos_resume() -> int:
    """An undo is one transaction, asked again safely (it does nothing once the
    import is no longer being undone): handed out again, also when it was asked
    for while no worker ran (the view had set "Sedang dibatalkan", and the reset
    that stood here said it had stopped, and dropped it)."""
    jobs = list(ImportJob.objects.filter(status=ImportStatus.UNDOING))
    for job in jobs:
        report = dict(job.undo_report or {})
        if not _may_resume(report):
            job.status = ImportStatus.APPLIED
            job.error = _(
                "Pembatalan terhenti %(n)s kali karena pekerja latar belakang "
                "berhenti; registri tidak berubah. Silakan coba batalkan lagi."
            ) % {"n": RESUMES}
            report.pop("resumed")
            job.undo_report = report
            job.save(update_fields=["status", "error", "undo_report"])
        else:
            job.undo_report = report
            job.save(update_fields=["undo_report"])
            enqueue_on_commit("cooperatives.tasks.undo_import", job.pk)
    return len(jobs)


def _letter_batches_resume() -> int:
    """A letter batch skips the items that already have their letter, so its
    unfinished parts are handed out again: the letters made before the worker
    died stay in the batch and its combined PDF (failing the batch left them in
    no print file, and staff unaware they had gone out)."""
    # A batch still queued too: its worker may have died while numbering it (the
    # numbering rolled back), and the file broker does not hand a taken task out
    # again; it had stayed queued for ever, refusing every new request.
    jobs = list(
        CampaignJob.objects.filter(
            kind=JobKind.LETTERS, status__in=[JobStatus.RUNNING, JobStatus.QUEUED]
        )
    )
    for job in jobs:
        if not _may_resume(job.params):
            job.save(update_fields=["params"])
            # The letters it numbered and never made are withdrawn with it (a
            # peringatan among them had kept the cooperative on the public list).
            letter_job_fail(
                job_id=job.pk,
                error=_(
                    "Terhenti karena pekerja latar belakang berhenti. %(done)s "
                    "surat sudah dibuat dan dikirim (lihat daftar surat); minta "
                    "lagi untuk sisanya: surat yang sudah dibuat tidak dibuat "
                    "dua kali."
                )
                % {"done": job.done},
            )
        else:
            job.save(update_fields=["params"])
            finished = set(job.params.get("finished", []))
            for part in range(job.params.get("parts", 1)):
                if part not in finished:
                    enqueue_on_commit("campaigns.tasks.run_letter_part", job.pk, part)
    return len(jobs)
