import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# The project's Celery app (koperasi_registry makes it the default as it loads),
# reached without the registry core importing the project package.
from celery import current_app as celery_app
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from cooperatives.imports import (
    import_job_apply,
    import_job_cancel,
    import_job_create,
    import_job_preview,
    import_job_request_apply,
)
from cooperatives.models import ImportJob, ImportStatus, RowOutcome


@contextmanager
def _tasks_in_this_process() -> Iterator[None]:
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous


class Command(BaseCommand):
    help = (
        "Import an ODS export (.xlsx, .xls, .ods, .csv). Without --apply it only "
        "previews: the job stays ready to be applied from its web page. --dry-run "
        "previews and discards. --json prints one JSON object with rows, created, "
        "updated, unchanged, duplicates, errors and batch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--year", type=int, help="tahun buku of the figures")
        parser.add_argument("--apply", action="store_true", help="write the changes")
        parser.add_argument("--dry-run", action="store_true", help="preview, discard")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument(
            "--include-duplicates",
            action="store_true",
            help="register possible duplicates as new cooperatives too",
        )
        parser.add_argument("--user", help="username recorded as the one importing")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if options["apply"] and options["dry_run"]:
            raise CommandError("--apply and --dry-run exclude each other.")
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
        # The job's steps run in this process: each task runs here when the step
        # before it commits, instead of being sent to a worker. Called again below,
        # a step that ran already does nothing; one whose commit is still ahead
        # (inside a caller's transaction) runs then.
        with _tasks_in_this_process():
            with open(path, "rb") as upload:
                job = import_job_create(
                    acting_user=user,
                    upload=upload,
                    original_name=path.name,
                    tahun_buku=options["year"],
                )
            job = import_job_preview(job_id=job.pk)
            if job.status == ImportStatus.READY and options["apply"]:
                import_job_request_apply(
                    acting_user=user,
                    job=job,
                    include_duplicates=options["include_duplicates"],
                )
                job = import_job_apply(job_id=job.pk)
        if job.status == ImportStatus.READY and options["dry_run"]:
            job = import_job_cancel(acting_user=user, job=job)
        summary = _summary(job)
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(_text(job, summary))
        if job.status == ImportStatus.FAILED:
            raise CommandError(job.error)


def _summary(job: ImportJob) -> dict[str, Any]:
    applied = job.status == ImportStatus.APPLIED
    errors: list[dict[str, Any]] = []
    if job.status == ImportStatus.FAILED:
        errors.append({"row": None, "column": None, "value": "", "message": job.error})
    rows = job.rows.filter(outcome=RowOutcome.ERROR).values_list(
        "row_number", "problems"
    )
    for number, problems in rows:
        errors.extend({"row": number, **problem} for problem in problems)
    return {
        "rows": job.row_count,
        "created": job.created_count if applied else job.new_count,
        "updated": job.updated_count if applied else job.changed_count,
        "unchanged": job.unchanged_count,
        "duplicates": job.duplicate_count,
        "errors": errors,
        "batch": job.pk,
        "applied": applied,
        "status": job.status,
    }


def _text(job: ImportJob, summary: dict[str, Any]) -> str:
    verb = "applied" if summary["applied"] else "previewed"
    lines = [
        f"Import #{job.pk} ({job.original_name}) {verb}: {summary['rows']} rows, "
        f"{summary['created']} new, {summary['updated']} changed, "
        f"{summary['unchanged']} unchanged, {summary['duplicates']} possible "
        f"duplicates, {job.error_count} rows with errors."
    ]
    for error in summary["errors"][:50]:
        where = f"row {error['row']}, {error['column']}" if error["row"] else "file"
        lines.append(f"  {where}: {error['message']} [{error['value']}]")
    if len(summary["errors"]) > 50:
        lines.append(f"  ... and {len(summary['errors']) - 50} more")
    return "\n".join(lines)
