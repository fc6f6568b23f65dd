"""The public site's one write: a member's concern."""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from cooperatives.models import Cooperative
from lib.followup import handled_record
from notifications.services import notification_queue

from .models import Concern


class RateLimited(Exception):
    """Too many concerns from one address in the last hour."""


def sender_hash(ip: str) -> str:
    """A keyed hash of the sender's address: comparable, not reversible."""
    return hmac.new(
        settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256
    ).hexdigest()


def _count_one(sender: str) -> int:
    """Counts this sender's concerns in the current hour (cache; one per process
    without a shared cache, which only makes the limit per worker)."""
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"public:concerns:{sender}:{hour}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key)


def concern_submit(
    *,
    cooperative: Cooperative,
    ip: str,
    message: str,
    name: str = "",
    contact: str = "",
    is_member: bool = False,
) -> Concern:
    """Store a concern; refused with ``RateLimited`` past PUBLIC_CONCERNS_PER_HOUR
    from one address. The sender gets a confirmation e-mail (through the
    notification service) when they gave one."""
    sender = sender_hash(ip)
    if _count_one(sender) > settings.PUBLIC_CONCERNS_PER_HOUR:
        raise RateLimited
    with transaction.atomic():
        concern = Concern.objects.create(
            cooperative=cooperative,
            message=message.strip(),
            name=name.strip(),
            contact=contact.strip(),
            is_member=is_member,
            sender_hash=sender,
        )
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            obj=concern,
            cooperative=cooperative,
            message=f"Laporan masyarakat {concern.reference}",
        )
        if _is_email(concern.contact):
            # Rendered now, sent after commit by the notification task (retried).
            notification_queue(
                template="public/email/concern",
                context={"concern": concern, "office": settings.OFFICE_NAME},
                recipients=[concern.contact],
            )
    return concern


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


@transaction.atomic
def concern_mark_handled(*, acting_user: User, concern: Concern, note: str) -> Concern:
    locked = Concern.objects.select_for_update().get(pk=concern.pk)
    refusal = _("Tulis tindak lanjutnya: apa yang sudah dilakukan atas laporan ini.")
    if not handled_record(locked, user=acting_user, note=note, refusal=refusal):
        return locked
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=locked,
        cooperative=locked.cooperative,
        message=f"Laporan masyarakat {locked.reference} ditangani.",
    )
    return locked
