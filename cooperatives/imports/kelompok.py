"""Kelompok labels an import meets that no kelompok row knows yet.

Kelompok is descriptive: a label the table does not know never rejects a row. The
preview lists each new label with its rows; staff map it to a jenis (or leave it
unmapped) on the import page; the apply adds it to the kelompok table, so that the
next import knows it, and gives the rows that had no jenis of their own the mapped
one. A new cooperative whose jenis is still unknown then is the only row left out.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from lib.office_text import lazy_text

from ..models import ImportJob, Jenis, Kelompok
from ..ods import values as v
from ..ods.cleaning import Record
from ..ods.kinds import kelompok_key, match_kelompok
from .plan_file import JENIS_AT, KELOMPOK_AT, POLA_AT


class MappingRefused(ValueError):
    """The mapping cannot be changed now (the job is no longer a preview)."""


def kelompok_reference() -> dict[str, tuple[int, str, str]]:
    """Every key a kelompok row is known by (code, name, aliases, each also without
    a "Koperasi" prefix) -> (id, default jenis, default pola). One query."""
    found: dict[str, tuple[int, str, str]] = {}
    for row in Kelompok.objects.all():
        value = (row.pk, row.default_jenis, row.default_pola)
        names = [row.code, row.name, *(a for a in row.aliases if isinstance(a, str))]
        for name in names:
            key = v.word_key(name)
            if key:
                found.setdefault(key, value)
    for key, value in list(found.items()):
        for prefix in ("koperasi", "kop"):
            if key.startswith(prefix) and len(key) > len(prefix):
                found.setdefault(key[len(prefix) :], value)
    return found


def new_labels(records: Iterable[Record]) -> list[dict[str, Any]]:
    """The labels no kelompok row knows, as the preview lists them: ``label`` (as
    first written), ``key``, ``rows`` and ``need_jenis`` (rows whose jenis only a
    mapping can give). Most rows first."""
    found: dict[str, dict[str, Any]] = {}
    for record in records:
        label = record.fields["kelompok"]
        if type(label) is not str:
            continue
        key = kelompok_key(label)
        entry = found.get(key)
        if entry is None:
            entry = found[key] = {
                "label": label,
                "key": key,
                "rows": 0,
                "need_jenis": 0,
            }
        entry["rows"] += 1
        if record.fields["jenis"] is None:
            entry["need_jenis"] += 1
    return sorted(found.values(), key=lambda e: (-e["rows"], e["label"]))


def unmapped_rows(job: ImportJob) -> int:
    """Rows that stay out if the job is applied with today's mapping."""
    mapping = job.kelompok_mapping or {}
    return sum(
        entry["need_jenis"]
        for entry in job.new_kelompok
        if not mapping.get(entry["key"])
    )


@transaction.atomic
def import_job_map_kelompok(
    *, acting_user: User | None, job: ImportJob, mapping: dict[str, str]
) -> ImportJob:
    """Keep staff's jenis (or "" for none) per new label of a previewed job. Keys
    the preview did not list and values that are no jenis are ignored."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not locked.can_apply:
        raise MappingRefused(
            _("Pemetaan kelompok hanya dapat diubah sebelum impor diterapkan.")
        )
    labels = {entry["key"]: entry["label"] for entry in locked.new_kelompok}
    chosen = {
        key: jenis
        for key, jenis in mapping.items()
        if key in labels and (jenis == "" or jenis in Jenis.values)
    }
    if chosen == (locked.kelompok_mapping or {}):
        return locked
    locked.kelompok_mapping = chosen
    locked.save(update_fields=["kelompok_mapping"])
    names = dict(Jenis.choices)
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=locked,
        changes={
            labels[key]: {
                "label": labels[key],
                "old": "",
                "new": names.get(jenis, gettext_lazy("tanpa jenis")),
            }
            for key, jenis in chosen.items()
        },
        message=lazy_text(
            gettext_lazy("Pemetaan kelompok baru dari pratinjau impor #%(job)s."),
            job=locked.pk,
        ),
    )
    return locked


def add_new_kelompok(
    job: ImportJob, *, acting_user: User | None
) -> dict[str, tuple[int, str, str]]:
    """Add a kelompok row for each new label of the job (one added since the
    preview is used as it is); key -> (id, jenis, pola). Audited per row."""
    if not job.new_kelompok:
        return {}
    known = kelompok_reference()
    mapping = job.kelompok_mapping or {}
    resolved: dict[str, tuple[int, str, str]] = {}
    for entry in job.new_kelompok:
        found = match_kelompok(entry["label"], known)
        if found is not None and type(found[0]) is int:
            resolved[entry["key"]] = found
            continue
        label = entry["label"][:100]
        jenis = mapping.get(entry["key"], "")
        row = Kelompok.objects.create(
            code=_free_code(label), name=label, default_jenis=jenis, aliases=[label]
        )
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=row,
            message=lazy_text(
                gettext_lazy("Kelompok baru dari impor ODS #%(job)s."), job=job.pk
            ),
        )
        resolved[entry["key"]] = (row.pk, jenis, "")
    return resolved


def _free_code(label: str) -> str:
    code = label.upper()[:90]
    taken = set(
        Kelompok.objects.filter(code__startswith=code).values_list("code", flat=True)
    )
    if code not in taken:
        return code
    n = 2
    while f"{code} {n}" in taken:
        n += 1
    return f"{code} {n}"


def resolve_labels(
    data: list[list[Any]], resolved: dict[str, tuple[int, str, str]]
) -> None:
    """Give plan-file records with a new label its kelompok id, and the mapped
    jenis and pola where the row gave none (in place)."""
    if not resolved:
        return
    for item in data:
        fields = item[4]
        label = fields[KELOMPOK_AT]
        if type(label) is not str:
            continue
        pk, jenis, pola = resolved[kelompok_key(label)]
        fields[KELOMPOK_AT] = pk
        if fields[JENIS_AT] is None and jenis:
            fields[JENIS_AT] = jenis
        if fields[POLA_AT] is None and pola:
            fields[POLA_AT] = pola
