"""Status letters (surat keterangan status koperasi): issued by Dinas staff, verified
by anyone from the QR code on the letter, withdrawn when issued in error."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from lib.office_text import lazy_text

from ..models import Cooperative, StatusLetter

# A second click on "Terbitkan" within this window returns the letter just issued.
REPEAT_WINDOW = timedelta(minutes=2)


def _next_sequence(year: int) -> int:
    last = StatusLetter.objects.filter(year=year).aggregate(n=Max("sequence"))["n"]
    return (last or 0) + 1


@transaction.atomic
def status_letter_issue(
    *, acting_user: User, cooperative: Cooperative, purpose: str
) -> StatusLetter:
    """Issue a letter stating ``cooperative``'s status today. Numbers run per year
    without gaps or repeats (0001/SKS/<code>/<year>); the same request twice within
    two minutes gives back the first letter."""
    purpose = " ".join(purpose.split())
    if not purpose:
        raise ValidationError(_("Isi keperluan surat."))
    locked = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    now = timezone.now()
    repeat = StatusLetter.objects.filter(
        cooperative=locked,
        purpose=purpose,
        status=locked.status,
        issued_by=acting_user,
        issued_at__gte=now - REPEAT_WINDOW,
        revoked_at__isnull=True,
    ).first()
    if repeat is not None:
        return repeat
    year = timezone.localdate(now).year
    for _attempt in range(5):
        sequence = _next_sequence(year)
        try:
            with transaction.atomic():
                letter = StatusLetter.objects.create(
                    cooperative=locked,
                    year=year,
                    sequence=sequence,
                    number=f"{sequence:04d}/SKS/{settings.STATUS_LETTER_CODE}/{year}",
                    purpose=purpose,
                    name=locked.name,
                    nik=locked.nik or "",
                    status=locked.status,
                    last_rat_date=locked.last_rat_date_shown,
                    last_rat_year=locked.last_rat_year,
                    valid_until=timezone.localdate(now)
                    + timedelta(days=settings.STATUS_LETTER_VALID_DAYS),
                    issued_by=acting_user,
                    verification_token=uuid.uuid4(),
                )
            break
        except IntegrityError:
            # Another letter took this number at the same moment: take the next.
            continue
    else:
        raise ValidationError(_("Nomor surat tidak dapat dibuat; coba lagi."))
    audit_record(
        actor=acting_user,
        action=AuditAction.ISSUE,
        obj=letter,
        cooperative=locked,
        message=lazy_text(
            gettext_lazy("Surat keterangan status %(number)s untuk %(purpose)s."),
            number=letter.number,
            purpose=purpose,
        ),
    )
    return letter


@transaction.atomic
def status_letter_revoke(
    *, acting_user: User, letter: StatusLetter, reason: str
) -> StatusLetter:
    """Withdraw a letter: its verification page then says it no longer holds."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Tulis alasan pencabutan."))
    locked = StatusLetter.objects.select_for_update().get(pk=letter.pk)
    if locked.is_revoked:
        raise ValidationError(_("Surat ini sudah dicabut."))
    locked.revoked_at = timezone.now()
    locked.revoked_by = acting_user
    locked.revoke_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(
        actor=acting_user,
        action=AuditAction.REVOKE,
        obj=locked,
        cooperative=locked.cooperative,
        changes={
            "revoke_reason": {
                "label": gettext_lazy("alasan pencabutan"),
                "old": "",
                "new": reason,
            }
        },
        message=lazy_text(
            gettext_lazy("Surat %(number)s dicabut."), number=locked.number
        ),
    )
    return locked
