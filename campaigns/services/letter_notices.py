"""A letter's notices to the cooperative's officers (e-mail or WhatsApp, as each
prefers, through the notification service): queued when the letter is made, held
until its date when it is dated ahead, withdrawn when it is cancelled (a
cooperative proved active before a letter dated ahead went out, or an objection to
its dissolution was accepted): they announced a letter that no longer stands."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record_many, audit_row
from cooperatives.selectors import officer_contacts
from lib.office_text import Text, office_language
from lib.phone import whatsapp_link
from notifications.contacts import Contact
from notifications.models import Channel
from notifications.services import notification_queue, notifications_withdraw
from notifications.texts import notification_text

from ..models import CampaignItem, CampaignLetter, LetterChoice


def peringatan_withdrawn(item_ids: Iterable[int]) -> None:
    """Items whose peringatan was cancelled no longer announce a dissolution (the
    public list, the objection period): their peringatan date is cleared, unless
    another peringatan of theirs stands."""
    standing = CampaignLetter.objects.filter(
        item_id=OuterRef("pk"),
        kind=LetterChoice.PERINGATAN,
        cancelled_at__isnull=True,
    )
    CampaignItem.objects.filter(pk__in=item_ids, peringatan_on__isnull=False).exclude(
        Exists(standing)
    ).update(peringatan_on=None)


def letter_topic(letter: CampaignLetter | int) -> str:
    """What a letter's notices are filed under (``Notification.topic``)."""
    pk = letter if isinstance(letter, int) else letter.pk
    return f"campaign_letter:{pk}"


@transaction.atomic
def letters_cancel(
    letters: QuerySet[CampaignLetter], *, why: Text, actor: User | None = None
) -> int:
    """Cancel ``letters`` (those not cancelled yet), withdraw their unsent
    notices, and say in the trail why (``why``) and who (``actor``; the system
    when None), all or nothing; returns how many letters. Locks the letters."""
    cancelled = list(
        letters.filter(cancelled_at__isnull=True)
        .select_related("item__cooperative")
        .select_for_update(of=("self",))
    )
    ids = [letter.pk for letter in cancelled]
    CampaignLetter.objects.filter(pk__in=ids).update(cancelled_at=timezone.now())
    notifications_withdraw(topics=[letter_topic(pk) for pk in ids])
    with office_language():  # the trail's words: the letter's kind, the reason
        rows = [
            audit_row(
                actor=actor,
                action=AuditAction.REVOKE,
                model=CampaignLetter,
                object_id=letter.pk,
                object_repr=str(letter),
                cooperative_id=letter.item.cooperative_id,
                message=str(why),
            )
            for letter in cancelled
        ]
    audit_record_many(rows)
    return len(ids)


def verification_url(letter: CampaignLetter) -> str:
    return settings.SITE_URL + reverse(
        "campaigns:verify_letter", args=[letter.verification_token]
    )


def _recipients(item: CampaignItem) -> list[Contact]:
    """The active officers, each on the channel they prefer, and the cooperative's
    own e-mail address."""
    contacts = officer_contacts(item.cooperative)
    own = item.cooperative.email
    if own and own.lower() not in {c.address.lower() for c in contacts}:
        contacts.append(Contact(Channel.EMAIL, own, item.cooperative.name))
    return contacts


# The notice that goes with a letter (e-mail, or the WhatsApp template "letter").
LETTER_NOTICE = "campaigns/email/letter"


def _letter_context(letter: CampaignLetter, item: CampaignItem) -> dict[str, Any]:
    return {
        "letter": letter,
        "item": item,
        "url": verification_url(letter),
        "office": settings.OFFICE_NAME,
    }


# When a letter dated ahead is announced on its day: the office's morning.
NOTICE_HOUR = datetime.time(8, 0)


def notice_time(letter: CampaignLetter) -> datetime.datetime | None:
    """When the notice of a letter dated ahead may go: the morning of its date
    (one sent a month early announced a letter that is cancelled if the
    cooperative proves active before its date). None for a letter of today."""
    if letter.issued_on <= timezone.localdate():
        return None
    return timezone.make_aware(datetime.datetime.combine(letter.issued_on, NOTICE_HOUR))


def letter_notices_queue(letter: CampaignLetter, item: CampaignItem) -> None:
    """Queue the letter's notice to each officer (e-mail or WhatsApp, as they
    prefer) through the notification service, which records and retries each;
    for a letter dated ahead, held until its day."""
    recipients = _recipients(item)
    if not recipients:
        return
    context = _letter_context(letter, item)
    notification_queue(
        template=LETTER_NOTICE,
        context=context,
        recipients=recipients,
        topic=letter_topic(letter),
        not_before=notice_time(letter),
        whatsapp_params=[
            item.cooperative.name,
            LetterChoice(letter.kind).label,
            letter.number,
            letter.issued_on,
            context["url"],
        ],
    )
    CampaignLetter.objects.filter(pk=letter.pk).update(
        emailed_to=", ".join(c.address for c in recipients)[:255]
    )


def letter_whatsapp_link(letter: CampaignLetter, phone: str) -> str:
    """``https://wa.me/62…?text=…`` with the letter's notice (the text the
    WhatsApp template sends) for staff to send from their own WhatsApp; "" for a
    number that is not one (``lib.phone``: ``0812…`` becomes ``62812…``)."""
    text = notification_text(LETTER_NOTICE, _letter_context(letter, letter.item))
    return whatsapp_link(phone, text) or ""
