"""Officer invitations: a one-time link by e-mail, with which an officer sets a
password and gets a login tied to their position."""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import user_create
from audit.models import AuditAction
from audit.services import audit_record
from lib.mail import send_templated_mail

from ..models import Officer, OfficerInvitation

logger = logging.getLogger(__name__)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("cooperatives:invitation_accept", args=[token])


@transaction.atomic
def officer_invite(*, acting_user: User, officer: Officer) -> OfficerInvitation:
    """E-mail ``officer`` a link valid for INVITATION_VALID_DAYS. Earlier unused
    links for the same officer stop working. The token is in the e-mail only."""
    locked = (
        Officer.objects.select_for_update()
        .select_related("cooperative")
        .get(pk=officer.pk)
    )
    if not locked.is_active:
        raise ValidationError(_("Pengurus ini sudah tidak aktif."))
    if locked.user_id is not None:
        raise ValidationError(_("Pengurus ini sudah punya akun."))
    if not locked.email:
        raise ValidationError(
            _("Isi dulu alamat e-mail pengurus ini; undangan dikirim ke sana.")
        )
    now = timezone.now()
    locked.invitations.filter(accepted_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = OfficerInvitation.objects.create(
        officer=locked,
        email=locked.email,
        token_hash=_hash(token),
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.INVITE,
        obj=locked,
        cooperative=locked.cooperative,
        message=_("Undangan dikirim ke %(email)s.") % {"email": locked.email},
    )
    context = {
        "officer": locked,
        "url": invitation_url(token),
        "expires_at": invitation.expires_at,
        "office": settings.OFFICE_NAME,
    }
    transaction.on_commit(lambda: _send_invitation(context, locked.email))
    return invitation


def _send_invitation(context: dict[str, object], email: str) -> None:
    try:
        send_templated_mail("cooperatives/email/invitation", context, [email])
    except OSError:
        logger.exception("Invitation e-mail to %s failed", email)


def invitation_for_token(token: str) -> OfficerInvitation | None:
    """The invitation this link stands for, if it can still be used."""
    invitation = (
        OfficerInvitation.objects.select_related("officer__cooperative")
        .filter(token_hash=_hash(token))
        .first()
    )
    if invitation is None or not _usable(invitation):
        return None
    return invitation


def _usable(invitation: OfficerInvitation) -> bool:
    return (
        invitation.accepted_at is None
        and invitation.expires_at > timezone.now()
        and invitation.officer.is_active
        and invitation.officer.user_id is None
    )


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str) -> User:
    """Create the officer's login and tie it to their position; the link is then
    used up. Refused when the link expired, was used or was replaced."""
    invitation = (
        OfficerInvitation.objects.select_for_update()
        .select_related("officer__cooperative")
        .filter(token_hash=_hash(token))
        .first()
    )
    if invitation is None or not _usable(invitation):
        raise ValidationError(
            _("Tautan undangan ini sudah tidak berlaku. Minta undangan baru ke Dinas.")
        )
    officer = invitation.officer
    first, _space, last = officer.name.partition(" ")
    user = user_create(
        acting_user=None,
        username=username,
        password=password,
        role=Role.OFFICER,
        first_name=first[:150],
        last_name=last[:150],
        email=invitation.email,
    )
    officer.user = user
    officer.save(update_fields=["user"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=officer,
        cooperative=officer.cooperative,
        message=_("Undangan diterima; akun %(username)s dibuat.")
        % {"username": username},
    )
    return user
