"""Background job rows (an export, a campaign's opening or letters, a rekap
freeze): one set of states and one abstract row with what every job page reads
(status, progress, error, who asked and when), so that every job is polled and
shown the same way."""

from collections.abc import Callable

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.models import one_of, user_ref


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Sedang diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class JobRow(models.Model):
    """Created by a view or command, run by a Celery task that loads it and calls
    the same service, polled by its page. Subclasses add what their job needs
    (kind, parameters, the file made) and extend ``Meta``."""

    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    error = models.TextField(_("pesan kesalahan"), blank=True)
    created_by = user_ref(_("diminta oleh"))
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="%(app_label)s_%(class)s_progress_max_100",
            ),
            one_of("status", JobStatus, "%(app_label)s_%(class)s_status_valid"),
        ]

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def is_working(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == JobStatus.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == JobStatus.FAILED


def not_run(model: type[JobRow], pk: int) -> Callable[[str], object]:
    """What ``enqueue_on_commit`` does with a job row the broker did not take:
    the row, still queued, ends as failed with the reason, for the person who
    asked to ask again (nothing else would ever run it)."""

    def mark(reason: str) -> int:
        return model._default_manager.filter(pk=pk, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, error=reason, finished_at=timezone.now()
        )

    return mark
