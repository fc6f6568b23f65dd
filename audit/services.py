"""Writing the audit trail. Call from inside the service's own transaction."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from accounts.models import User
from lib.display import EMPTY, field_shown

from .models import AuditAction, AuditEvent


def display_value(instance: models.Model, field_name: str) -> str:
    """The value of one field as a person reads it (``lib.display``)."""
    field = instance._meta.get_field(field_name)
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
            label = str(instance._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
            changes[name] = {
                "label": label,
                "old": before.get(name, EMPTY),
                "new": after,
            }
    return changes


def audit_record(
    *,
    actor: User | None,
    action: AuditAction,
    obj: models.Model,
    cooperative: Any = None,
    changes: Mapping[str, Any] | None = None,
    message: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        cooperative=cooperative,
        changes=dict(changes or {}),
        message=message,
    )
