"""Writing the audit trail. Call from inside the service's own transaction."""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from accounts.models import User

from .models import AuditAction, AuditEvent


def display_value(instance: models.Model, field_name: str) -> str:
    """The value of one field as a person reads it (choice label, related name)."""
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field_name)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("Ya") if value else _("Tidak"))
    if getattr(field, "choices", None):
        return str(getattr(instance, f"get_{field_name}_display")())
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, str]:
    return {name: display_value(instance, name) for name in fields}


def diff(
    instance: models.Model, before: Mapping[str, str], fields: Iterable[str]
) -> dict[str, dict[str, str]]:
    """Fields whose display value differs from ``before``, with labels."""
    changes = {}
    for name in fields:
        after = display_value(instance, name)
        if before.get(name, "") != after:
            label = str(instance._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
            changes[name] = {"label": label, "old": before.get(name, ""), "new": after}
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
