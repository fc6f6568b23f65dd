"""Something that came in from outside (a member's concern, a WhatsApp message to
the office) and staff deal with: who handled it, when, and what was done."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import user_ref

# Characters that show nothing (a zero-width space): a note of only these says
# nothing either.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


class Handled(models.Model):
    handled_at = models.DateTimeField(_("ditangani"), null=True, blank=True)
    handled_by = user_ref(_("ditangani oleh"), blank=True)
    handled_note = models.TextField(_("catatan tindak lanjut"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None


def handled_record(row: Handled, *, user: Any, note: str, refusal: Any) -> bool:
    """Record on ``row`` (locked by the caller) that ``user`` handled it, doing
    ``note``. False when it was handled already (a second press, another staff
    member first): the first follow-up stays. "Handled" alone tells the next
    person nothing, so a note that says nothing raises ``ValidationError``
    (``refusal``)."""
    if row.is_handled:
        return False
    if not note.strip().strip(_INVISIBLE).strip():
        raise ValidationError(refusal)
    row.handled_at, row.handled_by = timezone.now(), user
    row.handled_note = note.strip()
    row.save(update_fields=["handled_at", "handled_by", "handled_note"])
    return True
