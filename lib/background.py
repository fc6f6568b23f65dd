"""Starting background work: the one place where a service hands a job to Celery.

A service names the task it starts (``"reports.tasks.run_report"``) instead of
importing the task module, because that module imports the service (tasks call
services, never the other way). The task is looked up when the service runs, so a
wrong name fails inside the service's transaction, and sent only once the
transaction commits: a rolled-back change starts nothing, and the worker finds the
rows it is sent. Under ``task_always_eager`` (the unit tests) it runs in-process
on commit.
"""

from importlib import import_module
from typing import Any

from celery import current_app


def enqueue_on_commit(task_name: str, *args: Any) -> None:
    """Run the task ``task_name`` (its dotted path) with ``args`` (ids, not model
    instances) after the current transaction commits; outside one, at once."""
    import_module(task_name.rpartition(".")[0])  # registers the module's tasks
    task = current_app.tasks[task_name]
    task.delay_on_commit(*args)
