"""Starting background work: the one place where a service hands a job to Celery.

A service names the task it starts (``"reports.tasks.run_report"``) instead of
importing the task module, because that module imports the service (tasks call
services, never the other way). The task is looked up when the service runs, so a
wrong name fails inside the service's transaction, and sent only once the
transaction commits: a rolled-back change starts nothing, and the worker finds the
rows it is sent. Under ``task_always_eager`` (the unit tests) it runs in-process
on commit.

A broker that cannot be reached (Redis down) when the job is handed over is no
server error: the change has been committed already, and the page that follows
shows its job. The service says, with ``unsent``, what becomes of that job (it
is marked as not run, with ``UNSENT``, for the person to ask again), since
nothing would ever run it: a job left "Menunggu" for good, with a 500 page saying
nothing had changed, was what a newcomer found with Redis stopped.
"""

import logging
from collections.abc import Callable
from importlib import import_module
from typing import Any

from celery import current_app
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

UNSENT = _(
    "Antrean pekerjaan latar belakang tidak dapat dihubungi, jadi pekerjaan ini "
    "belum dijalankan. Tidak ada yang berubah karenanya; coba lagi sebentar lagi, "
    "atau hubungi administrator bila terus begini."
)


def enqueue_on_commit(
    task_name: str, *args: Any, unsent: Callable[[str], object] | None = None
) -> None:
    """Run the task ``task_name`` (its dotted path) with ``args`` (ids, not model
    instances) after the current transaction commits; outside one, at once. When
    the broker cannot take it, ``unsent`` is called with ``UNSENT`` (in the
    language of the request) and the failure is logged."""
    import_module(task_name.rpartition(".")[0])  # registers the module's tasks
    task = current_app.tasks[task_name]

    def send() -> None:
        try:
            task.apply_async(args)
        except OperationalError:
            logger.exception("The broker did not take %s%r", task_name, args)
            if unsent is not None:
                unsent(str(UNSENT))

    transaction.on_commit(send)
