"""Keeping the RATs a cooperative held (``RatHeld``): its last RAT moves on, the
tahun buku it held RAT for before stays counted (the rekap's "RAT tahun buku")."""

import datetime

from django.db import connection
from django.db.models import (
    Case,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone

from audit.models import AuditEvent

from ..models import LAST_RAT_TAHUN_BUKU, Cooperative, RatHeld


def rat_held_record(
    *, cooperative_id: int, tahun_buku: int, held_on: datetime.date | None
) -> None:
    """That ``cooperative_id`` held its RAT for ``tahun_buku`` (on ``held_on``,
    when known: a date learnt later is added to the year known without one)."""
    held, made = RatHeld.objects.get_or_create(
        cooperative_id=cooperative_id,
        tahun_buku=tahun_buku,
        defaults={"held_on": held_on},
    )
    if not made and held_on is not None and held.held_on != held_on:
        held.held_on = held_on
        held.save(update_fields=["held_on"])


def rat_held_forget(*, cooperative_id: int, tahun_buku: int) -> None:
    """A last RAT corrected to an earlier one was never held for ``tahun_buku``."""
    RatHeld.objects.filter(
        cooperative_id=cooperative_id, tahun_buku=tahun_buku
    ).delete()


# The day of the last RAT where it is the meeting of the tahun buku recorded
# (``Cooperative.last_rat_date_shown``), as a database expression.
_LAST_RAT_DAY = Case(
    When(
        Q(last_rat_date__isnull=False)
        & (
            Q(last_rat_year__isnull=True)
            | Q(last_rat_year__lte=ExtractYear("last_rat_date") - 1)
        ),
        then=F("last_rat_date"),
    ),
    default=Value(None, output_field=DateField()),
    output_field=DateField(),
)


def rats_held_fill(*, import_job_id: int | None = None) -> int:
    """The last RAT not yet held of every cooperative, or of those an ODS import
    registered or changed (``import_job_id``: its rows are then named, for its
    undo; a cooperative the file did not name is not its to take back), in one
    statement. Returns how many rows were added."""
    cooperatives = Cooperative.objects.filter(
        Q(last_rat_year__isnull=False) | Q(last_rat_date__isnull=False)
    )
    if import_job_id is not None:
        touched = AuditEvent.objects.filter(import_job_id=import_job_id)
        cooperatives = cooperatives.filter(pk__in=touched.values("cooperative_id"))
    last = (
        cooperatives.annotate(
            rat_tahun_buku=LAST_RAT_TAHUN_BUKU,
            rat_day=_LAST_RAT_DAY,
            rat_job=Value(import_job_id, output_field=IntegerField()),
            rat_at=Value(timezone.now(), output_field=DateTimeField()),
        )
        .values_list("pk", "rat_tahun_buku", "rat_day", "rat_job", "rat_at")
        .order_by()
    )
    select, params = last.query.sql_with_params()
    table = connection.ops.quote_name(RatHeld._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(name)
        for name in (
            "cooperative_id",
            "tahun_buku",
            "held_on",
            "import_job_id",
            "recorded_at",
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) {select} "
            "ON CONFLICT (cooperative_id, tahun_buku) DO NOTHING",
            params,
        )
        return cursor.rowcount
