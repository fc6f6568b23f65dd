"""Objections (keberatan) to a planned dissolution: filed by anyone during the
objection period, decided by staff. An open objection pauses the item's way to F;
an accepted one withdraws the plan (the peringatan is cancelled)."""

import datetime

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
from cooperatives.rules import rat_tahun_buku
from cooperatives.services import cooperative_last_rat_record
from lib.office_text import lazy_text

from ..models import (
    CampaignItem,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
    LetterChoice,
    Objection,
    ObjectionStatus,
)
from ..rules import Ladder, objection_open
from ..selectors import PLANNED_DISSOLUTION
from .confirmations import confirmation_problems
from .evidence import _document, _require_running, audit_evidence, item_recompute
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
    *,
    acting_user: User,
    objection: Objection,
    accept: bool,
    answer: str,
    rat_date: datetime.date | None = None,
    rat_year: int | None = None,
) -> Objection:
    """Answer an objection. Accepted: the dissolution plan is withdrawn (the
    peringatan cancelled with its unsent notices) and no further letter goes to
    the cooperative in this campaign (``rules.next_letter``). Accepted with the
    RAT it shows (``rat_date``, ``rat_year``), that RAT becomes the item's
    evidence, with the objection's document as its berita acara: the class had
    stayed C ("tidak ada RAT") beside a decision of Aktif, in R3 and R4 too."""
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
    proves_rat = rat_date is not None or rat_year is not None
    if proves_rat and not accept:
        raise ValidationError(
            _("RAT yang dibuktikan hanya dicatat bila keberatan diterima.")
        )
    if proves_rat and locked.item.dissolved:
        # Out of the campaign's hands (``CampaignItem.dissolved``), as a
        # confirmation sent before the dissolution is: it had been made class A
        # beside "Dibubarkan", and its last RAT written.
        raise ValidationError(
            _(
                "Koperasi ini sudah dibubarkan; RAT yang dibuktikan keberatan tidak "
                "dicatat sebagai bukti pemutakhiran."
            )
        )
    if proves_rat:
        problems = confirmation_problems(
            locked.item.cooperative, fields={}, rat_date=rat_date, rat_year=rat_year
        )
        if problems:
            raise ValidationError(list(problems.values()))
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
    if proves_rat:
        _rat_evidence(acting_user, locked, rat_date=rat_date, rat_year=rat_year)
    item_recompute(item)
    audit_record(
        actor=acting_user,
        action=AuditAction.ACCEPT if accept else AuditAction.REJECT,
        obj=locked,
        cooperative=item.cooperative,
        message=locked.answer,
    )
    return locked


def _rat_evidence(
    acting_user: User,
    objection: Objection,
    *,
    rat_date: datetime.date | None,
    rat_year: int | None,
) -> Evidence:
    """The RAT an accepted objection shows, as the item's accepted evidence. With
    the objection's document (its berita acara) and the date, the RAT is the
    registry's last RAT too, when later, as for an officer's confirmation."""
    evidence = Evidence.objects.create(
        item=objection.item,
        kind=EvidenceKind.KEBERATAN,
        status=EvidenceStatus.DITERIMA,
        on=timezone.localdate(),
        rat_date=rat_date,
        rat_year=rat_tahun_buku(rat_year, rat_date),
        document=objection.document.name or "",
        notes=f"{objection.reference}: {objection.answer}",
        created_by=acting_user,
        reviewed_by=acting_user,
        reviewed_at=timezone.now(),
    )
    if rat_date is not None and objection.document:
        cooperative_last_rat_record(
            acting_user=acting_user,
            cooperative=objection.item.cooperative,
            rat_date=rat_date,
            tahun_buku=evidence.rat_year,
        )
    audit_evidence(evidence, acting_user, AuditAction.ACCEPT, objection.answer)
    return evidence
