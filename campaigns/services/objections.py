"""Objections (keberatan) to a planned dissolution: filed by anyone during the
objection period, decided by staff. An open objection pauses the item's way to F;
an accepted one withdraws the plan (the peringatan is cancelled)."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from lib.office_text import lazy_text

from ..models import CampaignItem, LetterChoice, Objection, ObjectionStatus
from ..rules import Ladder, objection_open
from ..selectors import PLANNED_DISSOLUTION
from .evidence import _document, _require_running, item_recompute
from .letter_notices import letters_cancel

# At most this many objections from one address per hour (a form anyone can post).
PER_HOUR = 5


class RateLimited(Exception):
    pass


def objection_period_open(item: CampaignItem) -> bool:
    if item.proposed_class not in PLANNED_DISSOLUTION or item.dissolved:
        return False
    ladder = Ladder(
        peringatan_on=item.peringatan_on,
        objection_months=item.campaign.objection_months,
    )
    return objection_open(ladder, timezone.localdate())


@transaction.atomic
def objection_file(
    *,
    item: CampaignItem,
    name: str,
    contact: str,
    text: str,
    document: UploadedFile | None,
    ip: str,
) -> Objection:
    key = f"campaign-objection:{ip}"
    if (cache.get_or_set(key, 0, 3600) or 0) >= PER_HOUR:
        raise RateLimited
    locked = (
        CampaignItem.objects.select_for_update()
        .select_related("campaign", "cooperative")
        .get(pk=item.pk)
    )
    _require_running(locked)
    if not objection_period_open(locked):
        raise ValidationError(
            _("Masa keberatan untuk koperasi ini tidak sedang dibuka.")
        )
    objection = Objection(
        item=locked, name=name.strip(), contact=contact.strip(), text=text.strip()
    )
    upload = _document(document, "keberatan")
    if upload is not None:
        objection.document.save(*upload, save=False)
    objection.save()
    item_recompute(locked)
    audit_record(
        actor=None,
        action=AuditAction.SUBMIT,
        obj=objection,
        cooperative=locked.cooperative,
        message=lazy_text(
            gettext_lazy("Keberatan diajukan oleh %(name)s."), name=objection.name
        ),
    )
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)
    return objection


@transaction.atomic
def objection_decide(
    *, acting_user: User, objection: Objection, accept: bool, answer: str
) -> Objection:
    """Answer an objection. Accepted: the dissolution plan is withdrawn (the
    peringatan cancelled with its unsent notices) and no further letter goes to
    the cooperative in this campaign (``rules.next_letter``)."""
    locked = (
        Objection.objects.select_for_update()
        .select_related("item__campaign", "item__cooperative")
        .get(pk=objection.pk)
    )
    _require_running(locked.item)
    if locked.status != ObjectionStatus.TERBUKA:
        raise ValidationError(_("Keberatan ini sudah diputuskan."))
    if not answer.strip():
        raise ValidationError(_("Tulis jawaban atas keberatan."))
    locked.status = ObjectionStatus.DITERIMA if accept else ObjectionStatus.DITOLAK
    locked.answer = answer.strip()
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "answer", "decided_at"])
    item = locked.item
    if accept:
        letters_cancel(
            item.letters.filter(kind=LetterChoice.PERINGATAN),
            why=gettext_lazy("Keberatan atas rencana pembubaran diterima."),
            actor=acting_user,
        )
        item.peringatan_on = None
        item.save(update_fields=["peringatan_on"])
    item_recompute(item)
    audit_record(
        actor=acting_user,
        action=AuditAction.ACCEPT if accept else AuditAction.REJECT,
        obj=locked,
        cooperative=item.cooperative,
        message=locked.answer,
    )
    return locked
