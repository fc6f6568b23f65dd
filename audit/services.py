"""Writing the audit trail. Call from inside the service's own transaction."""

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from accounts.models import User
from lib.bulk import insert_rows, prepare_rows
from lib.clientip import current_client_ip
from lib.display import EMPTY, field_shown
from lib.office_text import Text, Words, in_office_language, office_language

from .models import AuditAction, AuditEvent


def display_value(instance: models.Model, field_name: str) -> str:
    """The value of one field as a person reads it (``lib.display``), in the
    trail's language: the office's (``lib.office_text``)."""
    field = instance._meta.get_field(field_name)
    with office_language():
        return field_shown(field, getattr(instance, field_name))  # type: ignore[arg-type]


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, str]:
    return {name: display_value(instance, name) for name in fields}


def diff(
    instance: models.Model, before: Mapping[str, str], fields: Iterable[str]
) -> dict[str, dict[str, str]]:
    """Fields whose display value differs from ``before``, with labels."""
    changes = {}
    for name in fields:
        after = display_value(instance, name)
        if before.get(name, EMPTY) != after:
            field = instance._meta.get_field(name)
            changes[name] = {
                "label": in_office_language(field.verbose_name),  # type: ignore[union-attr]
                "old": before.get(name, EMPTY),
                "new": after,
            }
    return changes


class AuditRow(NamedTuple):
    """One audit row, not yet written: ``AuditEvent``'s columns (attnames) in
    order. A plain tuple, so that an import's hundred thousand rows go to
    ``lib.bulk.insert_rows`` (COPY) as they are, without a model instance each."""

    created_at: datetime.datetime | str  # COPY takes ISO text, formatted once
    actor_id: int | None
    action: str
    content_type_id: int
    object_id: str
    object_repr: str
    cooperative_id: int | None
    changes: Mapping[str, Any]
    message: str
    import_job_id: int | None
    client_ip: str | None
    message_words: Mapping[str, Any]


AUDIT_COLUMNS = AuditRow._fields


def audit_row(
    *,
    actor: User | None,
    action: str,
    model: type[models.Model],
    object_id: Any,
    object_repr: str,
    cooperative_id: int | None = None,
    changes: Mapping[str, Any] | None = None,
    message: str = "",
    import_job_id: int | None = None,
    when: datetime.datetime | str | None = None,
    message_words: Mapping[str, Any] | None = None,
) -> AuditRow:
    """The one builder of audit rows, for single and bulk writes alike.

    ``changes`` maps a field to ``{"label", "old", "new"}``, the values as
    ``lib.display`` shows them (``snapshot``/``diff`` make them). ``when`` defaults
    to now; the client's address is the request's being served, if any
    (``lib.clientip``). Costs no query once the model's content type is cached.
    """
    return AuditRow(
        timezone.now() if when is None else when,
        None if actor is None else actor.pk,
        str(action),
        ContentType.objects.get_for_model(model).pk,
        str(object_id),
        object_repr[:255],
        cooperative_id,
        {} if changes is None else changes,
        message,
        import_job_id,
        current_client_ip(),
        {} if message_words is None else message_words,
    )


def audit_record(
    *,
    actor: User | None,
    action: AuditAction,
    obj: models.Model,
    cooperative: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    message: Text = "",
) -> AuditEvent:
    """Write one change to ``obj`` now (one INSERT). ``obj``, ``changes`` and
    ``message`` are put into words here, in the office's language: give lazy
    text (``gettext_lazy``, a choice's ``label``, ``lib.office_text.lazy_text``)
    and the trail reads the same whoever acted."""
    with office_language():
        name = str(obj)
    words = in_office_language({"changes": dict(changes or {}), "message": message})
    row = audit_row(
        actor=actor,
        action=action,
        model=type(obj),
        object_id=obj.pk,
        object_repr=name,
        cooperative_id=None if cooperative is None else cooperative.pk,
        changes=words["changes"],
        message=words["message"],
        message_words=message.kept() if isinstance(message, Words) else None,
    )
    return AuditEvent.objects.create(**row._asdict())


def audit_record_many(rows: Sequence[AuditRow]) -> None:
    """Write rows made by ``audit_row`` at once: one COPY on PostgreSQL."""
    insert_rows(AuditEvent, AUDIT_COLUMNS, rows)


def audit_prepare_many(rows: Sequence[AuditRow]) -> Callable[[], None]:
    """``audit_record_many`` in two steps: the rows are formatted now and written
    when the returned function is called (``lib.bulk.prepare_rows``: Python makes
    them while PostgreSQL builds another table's indexes)."""
    return prepare_rows(AuditEvent, AUDIT_COLUMNS, rows)
