"""Officer invitations: a one-time link by e-mail or WhatsApp, with which an
officer sets a password and gets a login tied to their position; and, for an
officer who has a login and forgot its password, a link to set a new one, sent by
staff on the officer's channel (most officers have WhatsApp, not e-mail)."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.services import user_create
from audit.models import AuditAction
from audit.services import audit_record
from lib.office_text import lazy_text
from lib.phone import whatsapp_link
from notifications.contacts import Contact
from notifications.models import Channel, Notification, NotificationStatus
from notifications.services import notification_send_now
from notifications.whatsapp import whatsapp_configured

from ..models import Officer, OfficerInvitation
from ..models.officers import (
    INVITATION_TEMPLATE,
    PASSWORD_LINK_TEMPLATE,
    invitation_topic,
    password_link_topic,
)
from ..selectors import invitation_contact, officer_contact


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("cooperatives:invitation_accept", args=[token])


def _invitation_contact(officer: Officer) -> Contact:
    """Where the invitation goes: the officer's preferred channel, else the other;
    WhatsApp only when the API is configured or staff can send it themselves."""
    contact = invitation_contact(officer)
    if contact is None and officer.phone:
        # The page offers no invitation then, but says the same.
        raise ValidationError(
            _(
                "%(phone)s bukan nomor HP: isi nomor HP atau e-mail untuk mengundang "
                "pengurus ini."
            )
            % {"phone": officer.phone}
        )
    if contact is None:
        raise ValidationError(
            _(
                "Isi dulu alamat e-mail atau nomor HP (WhatsApp) pengurus ini; "
                "undangan dikirim ke sana."
            )
        )
    return contact


@transaction.atomic
def officer_invite(*, acting_user: User, officer: Officer) -> OfficerInvitation:
    """Send ``officer`` a link valid for INVITATION_VALID_DAYS, by e-mail or
    WhatsApp as they prefer. Earlier unused links for the same officer stop
    working. The token is only in the message: the notification record keeps the
    message without it. Without the WhatsApp API, a WhatsApp invitation is handed
    to the staff member who asked for it (``invitation.manual_link``, a wa.me link
    with the message filled in) to send from their own WhatsApp."""
    locked = (
        Officer.objects.select_for_update()
        .select_related("cooperative")
        .get(pk=officer.pk)
    )
    if not locked.is_active:
        raise ValidationError(_("Pengurus ini sudah tidak aktif."))
    if locked.user_id is not None:
        raise ValidationError(_("Pengurus ini sudah punya akun."))
    contact = _invitation_contact(locked)
    by_whatsapp = contact.channel == Channel.WHATSAPP
    now = timezone.now()
    # Sent by the office (e-mail, or WhatsApp through its API), a click sent
    # twice is one invitation: two WhatsApp messages went out with two links.
    # Handed to staff to send themselves, each link is shown once, so it is made.
    if not by_whatsapp or whatsapp_configured():
        again = _sent_just_now(locked, contact, now)
        if again is not None:
            return again
    earlier = locked.invitations.filter(accepted_at__isnull=True, expires_at__gt=now)
    if by_whatsapp:
        # Each WhatsApp link is shown once, on the page that made it: a double
        # click made two, and the page the browser kept showed the one the other
        # had replaced. Links made moments ago stay valid beside the new one.
        earlier = earlier.exclude(created_at__gte=now - _RESENT_WITHIN)
    earlier.update(expires_at=now)
    token = secrets.token_urlsafe(32)
    invitation = OfficerInvitation.objects.create(
        officer=locked,
        email="" if by_whatsapp else contact.address,
        phone=contact.address if by_whatsapp else "",
        token_hash=_hash(token),
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.INVITE,
        obj=locked,
        cooperative=locked.cooperative,
        message=lazy_text(
            gettext_lazy("Undangan untuk %(recipient)s."), recipient=invitation.sent_to
        ),
    )
    url = invitation_url(token)
    message: dict[str, Any] = {
        "template": INVITATION_TEMPLATE,
        "context": {
            "officer": locked,
            "url": url,
            "expires_at": invitation.expires_at,
            "office": settings.OFFICE_NAME,
        },
        "contact": contact,
        "secret": url,
        "topic": invitation_topic(locked),
        "whatsapp_params": [
            locked.name,
            locked.cooperative.name,
            invitation.expires_at,
            url,
        ],
    }
    # Sent now, while staff wait for the answer: a refused or undeliverable
    # invitation is reported to them at once (``invitation.message``).
    invitation.message, text = notification_send_now(**message)
    if text:
        invitation.manual_link = whatsapp_link(contact.address, text) or ""
    return invitation


# An e-mail invitation asked for again this soon is the same click sent twice; a
# staff member sending it again on purpose ("it did not arrive") takes longer.
_RESENT_WITHIN = timedelta(seconds=10)


def _sent_just_now(
    officer: Officer, contact: Contact, now: datetime.datetime
) -> OfficerInvitation | None:
    """The invitation sent to ``contact`` moments ago, if its message went: a
    double click sent four e-mails, the first three with links already dead."""
    address = contact.address
    to = {"phone" if contact.channel == Channel.WHATSAPP else "email": address}
    recent = (
        officer.invitations.filter(
            **to,
            accepted_at__isnull=True,
            expires_at__gt=now,
            created_at__gte=now - _RESENT_WITHIN,
        )
        .order_by("-pk")
        .first()
    )
    if recent is None:
        return None
    sent = (
        Notification.objects.filter(
            topic=invitation_topic(officer),
            recipient=address,
            created_at__gte=recent.created_at,
        )
        .order_by("pk")
        .first()
    )
    if sent is None or sent.status == NotificationStatus.FAILED:
        return None
    recent.message = sent
    return recent


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


def invitation_accepted_recently(token: str) -> OfficerInvitation | None:
    """The invitation this link stands for if it was accepted within the last
    day: the form sent twice (a double tap, or back and send again) leads to the
    account the first sending made, not to "link not valid"."""
    since = timezone.now() - datetime.timedelta(days=1)
    return (
        OfficerInvitation.objects.select_related("officer")
        .filter(token_hash=_hash(token), accepted_at__gt=since)
        .first()
    )


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
        message=lazy_text(
            gettext_lazy("Undangan diterima; akun %(username)s dibuat."),
            username=username,
        ),
    )
    return user


# Links sent for one officer in 24 hours at the most.
PASSWORD_LINKS_PER_DAY = 3


@dataclass
class PasswordLink:
    """A password link sent (``message``), or handed to the staff member to send
    from their own WhatsApp (``manual_link``, shown once)."""

    message: Notification
    sent_to: str
    expires_at: datetime.datetime
    manual_link: str = ""


def password_link_url(user: User) -> str:
    """Django's own reset link: it works until the password is set or the user
    logs in, and at most PASSWORD_RESET_TIMEOUT seconds."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


@transaction.atomic
def officer_send_password_link(*, acting_user: User, officer: Officer) -> PasswordLink:
    """Send the officer's login a link to set a new password, on the officer's
    channel (their own e-mail or phone, else their login's). The message names
    the username too, which an officer who forgot the password often forgot as
    well. Like an invitation, the link is never stored; a click sent twice within
    moments sends one message."""
    # The officer's row only: its login is an outer join (PostgreSQL refuses to
    # lock the nullable side of one).
    locked = (
        Officer.objects.select_for_update(of=("self",))
        .select_related("cooperative", "user")
        .get(pk=officer.pk)
    )
    user = locked.user
    if not locked.is_active:
        raise ValidationError(_("Pengurus ini sudah tidak aktif."))
    if user is None:
        raise ValidationError(
            _("Pengurus ini belum punya akun: kirim undangan akun, bukan tautan.")
        )
    if not user.is_active or user.role != Role.OFFICER:
        raise ValidationError(
            _("Akun %(username)s tidak dapat diatur ulang dari halaman ini.")
            % {"username": user.username}
        )
    contact = officer_contact(locked)
    if contact is None:
        raise ValidationError(
            _(
                "Isi dulu alamat e-mail atau nomor HP (WhatsApp) pengurus ini; "
                "tautan dikirim ke sana."
            )
        )
    now = timezone.now()
    expires_at = now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    topic = password_link_topic(locked)
    recent = (
        Notification.objects.filter(
            topic=topic,
            recipient=contact.address,
            created_at__gte=now - _RESENT_WITHIN,
        )
        .exclude(status__in=(NotificationStatus.FAILED, NotificationStatus.MANUAL))
        .order_by("-pk")
        .first()
    )
    if recent is not None:
        return PasswordLink(recent, contact.address, expires_at)
    sent_today = Notification.objects.filter(
        topic=topic, created_at__gte=now - timedelta(days=1)
    ).count()
    if sent_today >= PASSWORD_LINKS_PER_DAY:
        # Each one reaches the officer's phone (a WhatsApp template is paid for):
        # a link that did not arrive is a wrong number, not a click short.
        raise ValidationError(
            _(
                "Sudah %(n)s tautan kata sandi dikirim untuk pengurus ini dalam 24 "
                "jam terakhir. Periksa nomor HP atau e-mailnya bersama pengurus, "
                "lalu coba lagi besok."
            )
            % {"n": sent_today}
        )
    url = password_link_url(user)
    audit_record(
        actor=acting_user,
        action=AuditAction.PASSWORD_LINK,
        obj=locked,
        cooperative=locked.cooperative,
        message=lazy_text(
            gettext_lazy("Tautan kata sandi baru untuk akun %(username)s ke %(to)s."),
            username=user.username,
            to=contact.address,
        ),
    )
    message, text = notification_send_now(
        template=PASSWORD_LINK_TEMPLATE,
        context={
            "officer": locked,
            "username": user.username,
            "url": url,
            "expires_at": expires_at,
            "office": settings.OFFICE_NAME,
        },
        contact=contact,
        secret=url,
        topic=topic,
        whatsapp_params=[locked.name, user.username, expires_at, url],
    )
    manual = whatsapp_link(contact.address, text) or "" if text else ""
    return PasswordLink(message, contact.address, expires_at, manual)
