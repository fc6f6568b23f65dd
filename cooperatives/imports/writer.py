"""The writes of one apply, in bulk, with one audit row per cooperative."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import AuditRow, audit_prepare_many, audit_record_many, audit_row
from lib.bulk import (
    BulkLoad,
    insert_rows,
    prepare_rows,
)

from ..models import (
    FIGURE_FIELDS,
    Cooperative,
    CooperativeFigures,
    ImportJob,
    Officer,
    Position,
    RecordSource,
)
from ..ods.cleaning import (
    RECORD_FIELDS,
)
from ..ods.planning import (
    Planned,
)
from .labels import Labels
from .plan_file import (
    FK_FIELDS,
    value_to_json,
)

_CHUNK = 5_000

_NEW_COOPERATIVE_COLUMNS = (
    "nik",
    *(FK_FIELDS.get(name, name) for name in RECORD_FIELDS),
    "source",
    "created_at",
    "updated_at",
)

_FIGURES_COLUMNS = (
    "cooperative_id",
    "tahun_buku",
    *FIGURE_FIELDS,
    "source",
    "updated_at",
)

_OFFICER_COLUMNS = ("cooperative_id", "name", "position", "phone", "email", "is_active")


@dataclass
class _Staged:
    """What ``Writer.update`` writes in bulk once every row is staged."""

    fields: set[str] = field(default_factory=set)  # attnames changed anywhere
    cooperatives: list[Cooperative] = field(default_factory=list)
    figures: list[CooperativeFigures] = field(default_factory=list)  # new rows
    changed_figures: list[CooperativeFigures] = field(default_factory=list)
    # (cooperative id, new ketua name, its audit entry, completed once inserted)
    ketua: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)


class Writer:
    """The writes of one apply, in bulk, with one audit row per cooperative."""

    def __init__(self, job: ImportJob, *, load: BulkLoad | None) -> None:
        self.job = job
        self.load = load
        self.user = job.applied_by
        self.now = timezone.now()
        # COPY rows carry the timestamp as text: formatting it once saves a second
        # per 100,000 rows.
        self.stamp = self.now.isoformat()
        self.today = timezone.localdate()
        self.labels = Labels()
        self.message = _("Impor ODS #%(job)s") % {"job": job.pk}
        self.user_id = self.user.pk if self.user else None
        self.row_word = _("baris")
        self.audit: list[AuditRow] = []
        self.updated = 0
        # Looked up now, not by the first audit_row: that one is made while the
        # connection builds the cooperative indexes (create), and a query then
        # would wait for the whole build.
        ContentType.objects.get_for_model(Cooperative)

    def _event(
        self, action: str, pk: int, name: str, changes: dict[str, Any], row: int
    ) -> None:
        self.audit.append(
            audit_row(
                actor=self.user,
                action=action,
                model=Cooperative,
                object_id=pk,
                object_repr=name,
                cooperative_id=pk,
                changes=changes,
                message=f"{self.message}, {self.row_word} {row}",
                import_job_id=self.job.pk,
                when=self.stamp,
            )
        )

    def create(self, creates: list[list[Any]]) -> None:
        """New cooperatives, their figures and ketua, from plan-file lists
        (``record_to_json``). Their audit rows list no fields: the row number points
        at where every value came from."""
        # A field the export left blank gets the model's default (pola konvensional,
        # bentuk primer, status aktif, "" or NULL).
        defaults = [
            Cooperative._meta.get_field(name).get_default()  # type: ignore[union-attr]
            for name in RECORD_FIELDS
        ]
        rows = [
            (
                nik or None,  # no NIK yet: NULL, as NIKs are unique when present
                *[
                    default if value is None else value
                    for value, default in zip(fields, defaults, strict=True)
                ],
                RecordSource.ODS_IMPORT,
                self.stamp,
                self.stamp,
            )
            for _number, _outcome, nik, _name, fields, *_rest in creates
        ]
        ids = insert_rows(
            Cooperative,
            _NEW_COOPERATIVE_COLUMNS,
            rows,
            return_ids=True,
            ids=self.load.reserve_ids(len(rows)) if self.load else None,
        )
        del rows
        if self.load:
            # PostgreSQL builds the cooperative indexes (trigram ones above all)
            # while Python makes the figure, ketua and audit rows below.
            self.load.build_indexes_meanwhile(Cooperative)
        figures, officers = [], []
        for item, pk in zip(creates, ids, strict=True):
            number, _outcome, _nik, name, _fields, values, tahun_buku, ketua = item
            if any(value is not None for value in values):
                figures.append(
                    (pk, tahun_buku, *values, RecordSource.ODS_IMPORT, self.stamp)
                )
            if ketua:
                officers.append((pk, ketua, Position.KETUA, "", "", True))
            self._event(AuditAction.CREATE, pk, name, {}, number)
        inserts = [
            prepare_rows(CooperativeFigures, _FIGURES_COLUMNS, figures),
            prepare_rows(Officer, _OFFICER_COLUMNS, officers),
            audit_prepare_many(self.audit),
        ]
        self.audit = []
        del figures, officers
        if self.load:
            self.load.wait()
        for insert in inserts:
            insert()

    def update(self, updates: list[Planned]) -> None:
        """Cooperatives the preview found changed: their fields, figures and ketua,
        staged row by row on the locked rows, then written in bulk, with one audit
        row each."""
        locked = self._lock([item.cooperative_id for item in updates])
        figures = self._figures(
            {(item.cooperative_id, item.record.tahun_buku) for item in updates}
        )
        staged = _Staged()
        for item in updates:
            cooperative = locked[item.cooperative_id]  # type: ignore[index]
            audit = self._stage_fields(item, cooperative, staged)
            row = self._stage_figures(item, figures, audit)
            if row is not None:
                (staged.figures if row.pk is None else staged.changed_figures).append(
                    row
                )
            self._stage_ketua(item, cooperative.pk, audit, staged)
            if audit:
                staged.cooperatives.append(cooperative)
                self._event(
                    AuditAction.UPDATE,
                    cooperative.pk,
                    cooperative.name,
                    audit,
                    item.record.row_number,
                )
        self._save_cooperatives(staged)
        self._save_figures(staged)
        self._replace_ketua(staged.ketua)
        self.updated = len(staged.cooperatives)

    def _lock(self, ids: list[int | None]) -> dict[int, Cooperative]:
        locked: dict[int, Cooperative] = {}
        for start in range(0, len(ids), _CHUNK):
            locked.update(
                Cooperative.objects.select_for_update().in_bulk(
                    ids[start : start + _CHUNK]
                )
            )
        return locked

    def _stage_fields(
        self, item: Planned, cooperative: Cooperative, staged: "_Staged"
    ) -> dict[str, Any]:
        """Set the changed fields on the locked row; their audit entries."""
        audit: dict[str, Any] = {}
        for key, (_old, new) in item.changes.items():
            # A status in a plan stored before imports kept the registry's
            # (``planning._changes``) is kept too.
            if key.startswith("figures.") or key in ("ketua", "status"):
                continue
            attname = FK_FIELDS.get(key, key)
            old = getattr(cooperative, attname)  # the locked row, not the snapshot
            if old == new:
                continue
            setattr(cooperative, attname, new)
            staged.fields.add(attname)
            audit[key] = self._change(key, old, new)
        return audit

    def _stage_ketua(
        self, item: Planned, pk: int, audit: dict[str, Any], staged: "_Staged"
    ) -> None:
        if "ketua" not in item.changes:
            return
        old_name, new_name = item.changes["ketua"]
        audit["ketua"] = {
            "label": str(_("Ketua")),
            "old": old_name or "",
            "new": new_name,
        }
        staged.ketua.append((pk, new_name, audit["ketua"]))

    def _save_cooperatives(self, staged: "_Staged") -> None:
        for cooperative in staged.cooperatives:
            cooperative.updated_at = self.now
        if staged.fields:
            Cooperative.objects.bulk_update(
                staged.cooperatives,
                sorted(staged.fields | {"updated_at"}),
                batch_size=1000,
            )

    def _save_figures(self, staged: "_Staged") -> None:
        insert_rows(
            CooperativeFigures,
            _FIGURES_COLUMNS,
            [
                (
                    f.cooperative_id,
                    f.tahun_buku,
                    *(getattr(f, n) for n in FIGURE_FIELDS),
                    f.source,
                    self.stamp,
                )
                for f in staged.figures
            ],
        )
        for row in staged.changed_figures:
            row.updated_at = self.now
        CooperativeFigures.objects.bulk_update(
            staged.changed_figures,
            [*FIGURE_FIELDS, "source", "updated_at"],
            batch_size=1000,
        )

    def _replace_ketua(self, new_ketua: list[tuple[int, str, dict[str, Any]]]) -> None:
        """Retire the active ketua without a login of each cooperative and add the
        new one; the audit entries get both officer ids (for undo)."""
        if not new_ketua:
            return
        old_ketua = Officer.objects.filter(
            cooperative_id__in=[pk for pk, _name, _audit in new_ketua],
            position=Position.KETUA,
            is_active=True,
            user__isnull=True,
        )
        retired_ids: dict[int, list[int]] = {}
        for officer_id, cooperative_id in old_ketua.values_list("pk", "cooperative_id"):
            retired_ids.setdefault(cooperative_id, []).append(officer_id)
        old_ketua.update(is_active=False, end_date=self.today)
        officer_ids = insert_rows(
            Officer,
            (*_OFFICER_COLUMNS, "start_date"),
            [
                (cooperative_id, name, Position.KETUA, "", "", True, self.today)
                for cooperative_id, name, _audit in new_ketua
            ],
            return_ids=True,
        )
        for (cooperative_id, _name, audit), pk in zip(
            new_ketua, officer_ids, strict=True
        ):
            audit["old_value"] = retired_ids.get(cooperative_id, [])
            audit["new_value"] = pk

    def _stage_figures(
        self,
        item: Planned,
        figures: dict[tuple[int, int], CooperativeFigures],
        audit: dict[str, Any],
    ) -> CooperativeFigures | None:
        """Set the changed figures of ``item`` on its row for the tahun buku (a new,
        unsaved row if there is none) and note them in ``audit``."""
        changes = {k: v for k, v in item.changes.items() if k.startswith("figures.")}
        if not changes:
            return None
        assert item.cooperative_id is not None  # changed rows match a cooperative
        key = (item.cooperative_id, item.record.tahun_buku)
        row = figures.get(key)
        if row is None:
            row = CooperativeFigures(cooperative_id=key[0], tahun_buku=key[1])
        if row.pk is not None and row.source != RecordSource.ODS_IMPORT:
            # Where the year's figures come from changes too (an accepted RAT
            # report's become the ministry's): audited, so that undo restores it.
            changes = {
                **changes,
                "figures.source": (row.source, RecordSource.ODS_IMPORT),
            }
        for change_key, (_old, new) in changes.items():
            name = change_key.split(".", 1)[1]
            entry = self._change(change_key, getattr(row, name), new)
            entry["label"] += f" {key[1]}"
            entry["figures"] = {"year": key[1], "created": row.pk is None}
            audit[change_key] = entry
            setattr(row, name, new)
        row.source = RecordSource.ODS_IMPORT
        return row

    def _figures(
        self, keys: set[tuple[Any, int]]
    ) -> dict[tuple[int, int], CooperativeFigures]:
        found: dict[tuple[int, int], CooperativeFigures] = {}
        ids = sorted({pk for pk, _year in keys})
        years = {year for _pk, year in keys}
        for start in range(0, len(ids), _CHUNK):
            rows = CooperativeFigures.objects.select_for_update().filter(
                cooperative_id__in=ids[start : start + _CHUNK], tahun_buku__in=years
            )
            for row in rows:
                found[(row.cooperative_id, row.tahun_buku)] = row
        return found

    def _change(self, key: str, old: Any, new: Any) -> dict[str, Any]:
        display_key = {"kelurahan_id": "kelurahan", "kelompok_id": "kelompok"}.get(
            key, key
        )
        return {
            "label": self.labels.label(display_key),
            "old": self.labels.display(display_key, old),
            "new": self.labels.display(display_key, new),
            "old_value": value_to_json(old),
            "new_value": value_to_json(new),
        }

    def flush_audit(self) -> None:
        audit_record_many(self.audit)
        self.audit = []
