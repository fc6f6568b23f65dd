"""The pemutakhiran's rules as pure functions: which class a cooperative is proposed
for, and which letter of the ladder may go out next. Plain data in, plain data out;
no ORM, so every boundary is tested without a database (DECISIONS.md "Pemutakhiran").
"""

import calendar
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Klass(StrEnum):
    A = "A"  # aktif, RAT for the last closed tahun buku
    B = "B"  # RAT within the window, not for the last tahun buku
    C = "C"  # no RAT within the window, no field evidence
    D = "D"  # visited: found, not active
    E = "E"  # visited: not found at its address
    F = "F"  # proposed for dissolution


class VisitResult(StrEnum):
    AKTIF = "ditemukan_aktif"
    TIDAK_AKTIF = "ditemukan_tidak_aktif"
    TIDAK_DITEMUKAN = "tidak_ditemukan"
    PINDAH = "pindah_alamat"
    BUBAR = "sudah_bubar"


class LetterKind(StrEnum):
    PEMBERITAHUAN = "pemberitahuan"
    TEGURAN_1 = "teguran_1"
    TEGURAN_2 = "teguran_2"
    PERINGATAN = "peringatan"


LADDER: tuple[LetterKind, ...] = tuple(LetterKind)
LADDER_CLASSES = frozenset({Klass.C, Klass.D, Klass.E, Klass.F})
_VISIT_CLASS = {
    VisitResult.TIDAK_AKTIF: Klass.D,
    VisitResult.BUBAR: Klass.D,
    VisitResult.TIDAK_DITEMUKAN: Klass.E,
    VisitResult.PINDAH: Klass.E,
}


def window_first_year(*, tahun_buku: int, window_years: int) -> int:
    """The earliest tahun buku of the window ending with ``tahun_buku`` (the last
    closed one)."""
    return tahun_buku - window_years + 1


def rat_in_window(rat_year: int, *, tahun_buku: int, window_years: int) -> bool:
    """A RAT for one of the last ``window_years`` tahun buku up to ``tahun_buku``:
    what shows a cooperative active (DECISIONS.md)."""
    return rat_year >= window_first_year(
        tahun_buku=tahun_buku, window_years=window_years
    )


def class_from_rat(
    rat_year: int | None, *, tahun_buku: int, window_years: int
) -> Klass:
    """A, B or C from the RAT history alone; ``tahun_buku`` is the last closed one."""
    if rat_year is None:
        return Klass.C
    if rat_year >= tahun_buku:
        return Klass.A
    if rat_in_window(rat_year, tahun_buku=tahun_buku, window_years=window_years):
        return Klass.B
    return Klass.C


@dataclass(frozen=True)
class Proof:
    """One accepted piece of evidence. ``active`` is True for a visit that found the
    cooperative active, an accepted confirmation with a RAT or an accepted RAT
    report (``rat_year`` then says for which tahun buku, if known); a visit that
    found it otherwise has ``visit`` set."""

    on: datetime.date
    active: bool = False
    rat_year: int | None = None
    visit: VisitResult | None = None


@dataclass(frozen=True)
class Ladder:
    """Where the letters stand: the peringatan's date, and objections."""

    peringatan_on: datetime.date | None = None
    objection_months: int = 2
    open_objection: bool = False


def propose(
    *,
    rat_year: int | None,
    proofs: Sequence[Proof],
    tahun_buku: int,
    window_years: int,
    ladder: Ladder,
    today: datetime.date,
) -> Klass:
    """The proposed class. The latest accepted evidence decides over the RAT
    history; an active finding gives A when the RAT is for the last tahun buku and
    B otherwise. C, D and E become F once the peringatan's objection period ended
    with no open objection."""
    klass = class_from_rat(rat_year, tahun_buku=tahun_buku, window_years=window_years)
    latest = max(proofs, key=lambda p: p.on, default=None)
    if latest is not None and latest.active:
        # The best RAT any accepted evidence shows: a confirmation of an older
        # RAT, accepted after a newer one, takes nothing away.
        best = max([rat_year or 0] + [p.rat_year or 0 for p in proofs if p.active])
        return Klass.A if best >= tahun_buku else Klass.B
    if latest is not None and latest.visit is not None:
        klass = _VISIT_CLASS.get(latest.visit, klass)
    if klass in (Klass.C, Klass.D, Klass.E) and objection_over(ladder, today):
        return Klass.F
    return klass


def days_after(day: datetime.date, days: int) -> datetime.date:
    """``day`` plus ``days``, at most the calendar's last day: a letter dated
    9999-12-31 (stored before the letters form refused it) fails no page."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.max


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def objection_end(ladder: Ladder) -> datetime.date | None:
    """The last day on which an objection may be filed, or None before the
    peringatan."""
    if ladder.peringatan_on is None:
        return None
    return add_months(ladder.peringatan_on, ladder.objection_months)


def objection_open(ladder: Ladder, today: datetime.date) -> bool:
    """The dissolution is announced and objections may be filed: from the
    peringatan's date (one dated ahead is not yet sent, and is cancelled if the
    cooperative proves active before it) to the period's last day."""
    start, end = ladder.peringatan_on, objection_end(ladder)
    return start is not None and end is not None and start <= today <= end


def objection_not_over(ladder: Ladder, today: datetime.date) -> bool:
    """A peringatan is issued whose objection period has not ended: open, or
    still to come (its letter dated ahead)."""
    end = objection_end(ladder)
    return end is not None and today <= end


def objection_over(ladder: Ladder, today: datetime.date) -> bool:
    end = objection_end(ladder)
    return end is not None and today > end and not ladder.open_objection


@dataclass(frozen=True)
class NextLetter:
    kind: LetterKind | None
    # The first day it may be sent (None: no further letter for this item).
    earliest: datetime.date | None
    reason: str = ""
    # The date of the letter before it (None for the first).
    after: datetime.date | None = None


def next_letter(
    *,
    klass: Klass,
    sent: Sequence[tuple[LetterKind, datetime.date]],
    intervals_days: Sequence[int],
    open_objection: bool = False,
    objection_accepted: bool = False,
    answer_by: Mapping[LetterKind, datetime.date] | None = None,
) -> NextLetter:
    """The next letter of the ladder for an item, and from when it may go.

    ``sent`` lists the letters already issued (cancelled ones left out);
    ``intervals_days[i]`` is the least number of days between letter ``i`` and
    letter ``i + 1``. A or B get no letters; an open objection pauses the ladder
    and an accepted one ends it for the campaign (the next batch had issued the
    withdrawn peringatan again the same day): staff decide the status.
    ``answer_by``: the day each letter sent asked for an answer by; the next one
    does not come before it (an interval shortened since had let a teguran come
    before the pemberitahuan's printed date).
    """
    if klass not in LADDER_CLASSES:
        return NextLetter(None, None, "aktif")
    if open_objection:
        return NextLetter(None, None, "keberatan")
    if objection_accepted:
        return NextLetter(None, None, "keberatan diterima")
    issued = {kind: on for kind, on in sent}
    for step, kind in enumerate(LADDER):
        if kind in issued:
            continue
        if step == 0:
            return NextLetter(kind, None)
        previous = issued[LADDER[step - 1]]
        earliest = days_after(previous, intervals_days[step - 1])
        printed = (answer_by or {}).get(LADDER[step - 1])
        if printed is not None:
            # The day after: the answer date is the officers' to the end.
            earliest = max(earliest, days_after(printed, 1))
        return NextLetter(kind, earliest, after=previous)
    return NextLetter(None, None, "selesai")


def may_send(
    letter: NextLetter, on: datetime.date, *, today: datetime.date | None = None
) -> bool:
    """Whether the letter may be dated ``on``; asked ``today``, also whether the
    letter before it has gone out: one dated later is not yet, so the next is not
    asked for (three batches dated ahead, sent on one day, met every gap on paper
    and opened the public dissolution notice at once)."""
    if letter.kind is None:
        return False
    if today is not None and letter.after is not None and letter.after > today:
        return False
    return letter.earliest is None or on >= letter.earliest
