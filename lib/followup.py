"""Something that came in from outside (a member's concern, a WhatsApp message to
the office) and staff deal with: who handled it, when, and what was done."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .display import moment_shown
from .models import user_ref
from .text import shows_something, storable, visible_line, without_invisible


class HandledQuerySet(models.QuerySet[Any]):
    def waiting(self) -> "HandledQuerySet":
        """What no one has handled yet."""
        return self.filter(handled_at__isnull=True)


class Handled(models.Model):
    handled_at = models.DateTimeField(_("ditangani"), null=True, blank=True)
    handled_by = user_ref(_("ditangani oleh"), blank=True)
    handled_note = models.TextField(_("catatan tindak lanjut"), blank=True)

    objects = HandledQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None


def handled_record(row: Handled, *, user: Any, note: str, refusal: Any) -> bool:
    """Record on ``row`` (locked by the caller) that ``user`` handled it, doing
    ``note``. False when it was handled already by the same sending (a second
    press); ``ValidationError`` naming the first follow-up when someone else was
    first. "Handled" alone tells the next person nothing, so a note that shows
    nothing (blank, or only invisible or blank-looking characters) raises
    ``ValidationError`` (``refusal``)."""
    text = without_invisible(storable(note)).strip()
    if row.is_handled:
        if row.handled_by_id == getattr(user, "pk", None) and row.handled_note == text:
            return False  # the same sending again (a double tap)
        # Another staff member was first: their follow-up stays, and this one is
        # said to be not kept (it had been thanked as saved, and dropped).
        raise ValidationError(
            gettext(
                "Sudah ditangani oleh %(who)s pada %(date)s: “%(note)s”. Catatan "
                "Anda tidak disimpan."
            )
            % {
                "who": row.handled_by or "—",
                "date": moment_shown(row.handled_at),
                "note": row.handled_note,
            }
        )
    if not shows_something(visible_line(text)):
        raise ValidationError(refusal)
    row.handled_at, row.handled_by = timezone.now(), user
    row.handled_note = text
    row.save(update_fields=["handled_at", "handled_by", "handled_note"])
    return True
