"""Model pieces every app uses: who did something, and a check that a field holds
one of its choices. The database keeps both rules, whatever writes the row."""

from typing import Any

from django.conf import settings
from django.db import models


def user_ref(
    verbose_name: Any,
    *,
    blank: bool = False,
    on_delete: Any = models.SET_NULL,
    related_name: str = "+",
) -> Any:
    """The staff member or officer who did something: kept when the row is (null),
    the row kept when the account goes (``SET_NULL``) unless ``on_delete`` says
    otherwise; no reverse accessor unless ``related_name`` names one."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=on_delete,
        related_name=related_name,
    )


def one_of(
    field: str, choices: type[models.Choices], name: str
) -> models.CheckConstraint:
    """The database refuses a value of ``field`` outside ``choices``."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": choices.values}), name=name
    )
