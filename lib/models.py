"""Model pieces every app uses: who did something, a check that a field holds
one of its choices (the database keeps both rules, whatever writes the row), and
the short reference a member quotes, and how an amount of Rupiah is kept."""

import secrets
from typing import Any

from django.conf import settings
from django.db import models

from .money import MONEY_DIGITS, MONEY_PLACES


def new_reference() -> str:
    """A short code the sender can quote: 8 characters, no look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def rupiah_field(verbose_name: Any) -> models.DecimalField:
    """An amount of Rupiah, blank where it is not known. ``lib.money`` reads no
    larger amount than this keeps; ``lib.display`` shows it as ``Rp 1.250.000``."""
    return models.DecimalField(
        verbose_name,
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
    )


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


# A tahun buku the database takes: wide enough for any real book year, narrow enough
# to refuse a date's day or a mistyped figure written into the year.
TAHUN_BUKU_RANGE = (1900, 2200)


def plausible_tahun_buku(name: str) -> models.CheckConstraint:
    """The database refuses a ``tahun_buku`` outside ``TAHUN_BUKU_RANGE``."""
    first, last = TAHUN_BUKU_RANGE
    return models.CheckConstraint(
        condition=models.Q(tahun_buku__gte=first, tahun_buku__lte=last), name=name
    )
