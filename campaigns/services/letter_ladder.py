"""Which letter of the ladder is due for whom, and from when: what a batch
asks for, what staff are told when none is due, and the answer date each
letter prints."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from ..models import Campaign, CampaignItem, CampaignLetter, ObjectionStatus
from ..rules import (
    LADDER,
    LADDER_CLASSES,
    LetterKind,
    NextLetter,
    days_after,
    may_send,
    next_letter,
)
from ..selectors import DISSOLVED


def letter_respond_by(
    letter: CampaignLetter, campaign: Campaign | None = None
) -> datetime.date | None:
    """The day by which a letter asks the officers to confirm their data, as it
    was printed (``CampaignLetter.respond_by``); for a letter still being made:
    for a pemberitahuan the cut-off date, for a teguran the day the next letter
    may go (None for the peringatan, which gives the objection period instead).
    A notice sent late still gives the time the ladder gives before the next
    letter, not a date already past."""
    if letter.kind not in ASKS_TO_CONFIRM:
        return None
    if letter.respond_by is not None:
        return letter.respond_by
    campaign = campaign or letter.item.campaign
    step = LADDER.index(LetterKind(letter.kind))
    until_next = days_after(letter.issued_on, campaign.intervals_days[step])
    if letter.kind == LetterKind.PEMBERITAHUAN:
        return max(campaign.cutoff_date, until_next)
    return until_next


# The letters that ask the officers to confirm their data, with a one-time link.
ASKS_TO_CONFIRM = (
    LetterKind.PEMBERITAHUAN,
    LetterKind.TEGURAN_1,
    LetterKind.TEGURAN_2,
)


def _steps(campaign: Campaign, items: Any) -> Iterator[tuple[CampaignItem, NextLetter]]:
    """Each item of the ladder's classes, not dissolved, with its next letter."""
    queryset = (
        items.filter(proposed_class__in=[str(k) for k in LADDER_CLASSES])
        .exclude(DISSOLVED)
        .select_related("cooperative__kelurahan__kecamatan", "campaign")
        .prefetch_related("letters", "objections")
        .order_by("cooperative__name", "id")
    )
    for item in queryset:
        standing = [letter for letter in item.letters.all() if not letter.cancelled_at]
        sent = [(LetterKind(letter.kind), letter.issued_on) for letter in standing]
        answer_by = {
            LetterKind(letter.kind): answer
            for letter in standing
            if (answer := letter_respond_by(letter, campaign))
        }
        objections = {o.status for o in item.objections.all()}
        yield (
            item,
            next_letter(
                klass=item.proposed_class,  # type: ignore[arg-type]
                sent=sent,
                intervals_days=campaign.intervals_days,
                open_objection=ObjectionStatus.TERBUKA in objections,
                objection_accepted=ObjectionStatus.DITERIMA in objections,
                answer_by=answer_by,
            ),
        )


def letters_eligible(
    campaign: Campaign, kind: str, issued_on: datetime.date, items: Any
) -> list[CampaignItem]:
    """The items for which ``kind`` is the next letter, the letter before it has
    gone out, and the interval since it passed by ``issued_on``."""
    today = timezone.localdate()
    return [
        item
        for item, step in _steps(campaign, items)
        if step.kind == kind and may_send(step, issued_on, today=today)
    ]


@dataclass(frozen=True)
class Soonest:
    """The first day a letter may be dated for those waiting for it, how many
    they are, and, while the letter before it is dated after today, the day
    from which it may be asked for (the letter before it has gone out)."""

    dated: datetime.date
    count: int
    asked_from: datetime.date | None


def letter_soonest(campaign: Campaign, kind: str, items: Any) -> Soonest | None:
    """When a ``kind`` letter may first go to any of ``items`` that wait for it
    (the interval, the answer date printed before, the letter before it gone
    out): what staff are told when a batch finds none due. None: none waits
    for it."""
    today = timezone.localdate()
    found = []
    for _item, step in _steps(campaign, items):
        if step.kind == kind:
            asked_from = max(step.after or today, today)
            found.append((max(step.earliest or today, asked_from), asked_from))
    if not found:
        return None
    dated = min(day for day, _asked in found)
    asked = max(asked for day, asked in found if day == dated)
    count = sum(1 for day, _asked in found if day == dated)
    return Soonest(dated, count, asked if asked > today else None)


def letters_due_counts(campaign: Campaign, items: Any) -> dict[str, int]:
    """How many of ``items`` wait for each kind of letter today: the campaign
    page's next steps."""
    today = timezone.localdate()
    counts: dict[str, int] = {}
    for _item, step in _steps(campaign, items):
        if step.kind is not None and may_send(step, today, today=today):
            counts[step.kind] = counts.get(step.kind, 0) + 1
    return counts
