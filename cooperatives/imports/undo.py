"""Undoing an applied import, cooperative by cooperative."""

import logging
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditEvent
from audit.services import AuditRow, audit_record_many, audit_row
from lib.bulk import (
    transaction_lock,
)

from ..models import (
    Cooperative,
    CooperativeFigures,
    ImportJob,
    ImportStatus,
    Officer,
    RatHeld,
    StatusChange,
)
from .jobs import IMPORT_LOCK
from .plan_file import (
    FK_FIELDS,
    value_from_json,
)

_CHUNK = 5_000
logger = logging.getLogger(__name__)


def import_job_undo(*, job_id: int) -> ImportJob:
    """Reverse what an applied job did, cooperative by cooperative: all of it or,
    on any failure, none, and the job is back to Diterapkan with the reason (an
    undo that fails must not stay "Sedang dibatalkan" for good).

    A cooperative that changed after the import (any later audit row that is not
    from this job), or that later records hold on to (a pemutakhiran's item), is
    left alone and listed in ``undo_report["skipped"]``. Created cooperatives are
    deleted with their figures and officers; updated ones get back every field,
    figure and ketua the import changed.
    """
    try:
        return _undo(job_id)
    except Exception:
        logger.exception("Undoing import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.UNDOING).update(
            status=ImportStatus.APPLIED,
            error=_(
                "Pembatalan gagal karena kesalahan sistem; registri tidak berubah. "
                "Silakan coba batalkan lagi."
            ),
        )
        raise


@transaction.atomic
def _undo(job_id: int) -> ImportJob:
    transaction_lock(IMPORT_LOCK)
    job = ImportJob.objects.select_for_update().get(pk=job_id)
    if job.status != ImportStatus.UNDOING:
        return job
    events = list(
        AuditEvent.objects.filter(
            import_job=job, action__in=(AuditAction.CREATE, AuditAction.UPDATE)
        )
        .exclude(cooperative=None)
        .values_list("pk", "cooperative_id", "action", "changes", "object_repr")
    )
    batch_event = {cooperative_id: pk for pk, cooperative_id, *_rest in events}
    touched = _touched_later(job, batch_event)
    created = [
        coop for _pk, coop, action, *_rest in events if action == AuditAction.CREATE
    ]
    held = _held_by_other_records(created)
    undo = _Undo(job)
    skipped: list[dict[str, Any]] = []
    # Cooperatives whose last RAT this undo sets back: the RAT only this import
    # told of goes with it (the ones it leaves alone keep theirs).
    rat_restored: list[int] = []
    for _pk, cooperative_id, action, changes, name in events:
        if cooperative_id in touched:
            # One the import registered has no values from before it.
            created_here = action == AuditAction.CREATE
            skipped.append(
                {
                    "id": cooperative_id,
                    "name": name,
                    "why": "changed",
                    "created": created_here,
                }
            )
            continue
        if action == AuditAction.CREATE:
            if cooperative_id in held:
                skipped.append({"id": cooperative_id, "name": name, "why": "held"})
                continue
            undo.deleted.append((cooperative_id, name))
        else:
            undo.restore(cooperative_id, name, changes)
            if {"last_rat_year", "last_rat_date"} & set(changes):
                rat_restored.append(cooperative_id)
    skipped.sort(key=lambda item: item["name"])
    if skipped and not undo.deleted and not undo.restored:
        # Nothing could be undone: the import stands, and says why.
        job.status = ImportStatus.APPLIED
        job.error = _(
            "Tidak ada yang dibatalkan: semua %(n)s koperasi impor ini sudah diubah "
            "atau dipakai catatan lain (misalnya pemutakhiran) sesudahnya."
        ) % {"n": len(skipped)}
        job.undo_report = {"deleted": 0, "restored": 0, "skipped": skipped}
        job.save(update_fields=["status", "error", "undo_report"])
        return job
    undo.finish()
    # Those it registered are deleted, and their RATs with them.
    RatHeld.objects.filter(import_job=job, cooperative_id__in=rat_restored).delete()
    job.status = ImportStatus.UNDONE
    job.undone_at = timezone.now()
    job.error = ""
    job.undo_report = {
        "deleted": len(undo.deleted),
        "restored": undo.restored,
        "skipped": skipped,
    }
    job.save(update_fields=["status", "undone_at", "error", "undo_report"])
    return job


def _held_by_other_records(ids: list[int]) -> set[int]:
    """Of the cooperatives ``ids``, those that rows of other records point at and
    may not lose: a foreign key that protects its cooperative (a pemutakhiran's
    item, opened over the registry since). Read from the models' relations, so
    that the registry needs to know none of the apps built on it."""
    held: set[int] = set()
    relations = [
        relation
        for relation in Cooperative._meta.related_objects
        if relation.on_delete in (models.PROTECT, models.RESTRICT)
    ]
    for relation in relations:
        column = relation.field.attname
        rows = relation.related_model._base_manager
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            held.update(
                rows.filter(**{f"{column}__in": chunk}).values_list(column, flat=True)
            )
    return held


def _touched_later(job: ImportJob, batch_event: dict[int, int]) -> set[int]:
    """Cooperatives with an audit row after this job's own row that is neither from
    this job nor from an import that has been undone since."""
    if not batch_event:
        return set()
    first = min(batch_event.values())
    touched = set()
    ids = sorted(batch_event)
    for start in range(0, len(ids), _CHUNK):
        later = (
            AuditEvent.objects.filter(
                cooperative_id__in=ids[start : start + _CHUNK], pk__gt=first
            )
            .exclude(import_job=job)
            # an import undone since then cancelled itself out
            .exclude(import_job__status=ImportStatus.UNDONE)
            .values_list("cooperative_id", "pk")
        )
        for cooperative_id, pk in later:
            if pk > batch_event[cooperative_id]:
                touched.add(cooperative_id)
    return touched


class _Undo:
    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.user = job.undone_by
        self.today = timezone.localdate()
        self.message = _("Pembatalan impor ODS #%(job)s") % {"job": job.pk}
        self.deleted: list[tuple[int, str]] = []
        self.restored = 0
        self.audit: list[AuditRow] = []

    def _event(
        self,
        action: str,
        pk: int,
        name: str,
        changes: dict[str, Any],
        *,
        cooperative_id: int | None,
    ) -> None:
        self.audit.append(
            audit_row(
                actor=self.user,
                action=action,
                model=Cooperative,
                object_id=pk,
                object_repr=name,
                cooperative_id=cooperative_id,
                changes=changes,
                message=self.message,
                import_job_id=self.job.pk,
            )
        )

    def restore(self, cooperative_id: int, name: str, changes: dict[str, Any]) -> None:
        cooperative = Cooperative.objects.select_for_update().get(pk=cooperative_id)
        reverse: dict[str, Any] = {}
        fields = []
        for key, change in changes.items():
            if key.startswith("figures.") or key == "ketua":
                continue
            attname = FK_FIELDS.get(key, key)
            old = value_from_json(key, change.get("old_value"))
            if key == "status":
                StatusChange.objects.create(
                    cooperative=cooperative,
                    from_status=cooperative.status,
                    to_status=old,
                    effective_date=self.today,
                    reason=self.message,
                    changed_by=self.user,
                )
            setattr(cooperative, attname, old)
            fields.append(attname)
            reverse[key] = {**change, "old": change["new"], "new": change["old"]}
        if fields:
            cooperative.save(update_fields=[*fields, "updated_at"])
        figure_changes = {k: c for k, c in changes.items() if k.startswith("figures.")}
        if figure_changes:
            meta = next(iter(figure_changes.values()))["figures"]
            row = CooperativeFigures.objects.filter(
                cooperative=cooperative, tahun_buku=meta["year"]
            ).first()
            if row is not None and meta["created"]:
                row.delete()
            elif row is not None:
                for key, change in figure_changes.items():
                    name_ = key.split(".", 1)[1]
                    setattr(row, name_, value_from_json(name_, change.get("old_value")))
                row.save()
            for key, change in figure_changes.items():
                reverse[key] = {
                    "label": change["label"],
                    "old": change["new"],
                    "new": change["old"],
                }
        if "ketua" in changes:
            change = changes["ketua"]
            Officer.objects.filter(
                pk=change.get("new_value"), cooperative=cooperative
            ).delete()
            Officer.objects.filter(
                pk__in=change.get("old_value") or [], cooperative=cooperative
            ).update(is_active=True, end_date=None)
            reverse["ketua"] = {
                "label": change["label"],
                "old": change["new"],
                "new": change["old"],
            }
        self.restored += 1
        self._event(
            AuditAction.IMPORT_UNDO,
            cooperative_id,
            name,
            reverse,
            cooperative_id=cooperative_id,
        )

    def finish(self) -> None:
        ids = [pk for pk, _name in self.deleted]
        for start in range(0, len(ids), _CHUNK):
            Cooperative.objects.filter(pk__in=ids[start : start + _CHUNK]).delete()
        for pk, name in self.deleted:
            self._event(AuditAction.DELETE, pk, name, {}, cooperative_id=None)
        audit_record_many(self.audit)
