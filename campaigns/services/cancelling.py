"""Letters withdrawn: a cooperative proved active before a letter dated ahead went
out, or an objection to its dissolution was accepted. A cancelled letter's notices
not sent yet (e-mail or WhatsApp, waiting for the worker, for their day or for
staff to send by hand) are withdrawn with it: they announced a letter that no
longer stands."""

from django.db.models import QuerySet
from django.utils import timezone

from notifications.services import notifications_withdraw

from ..models import CampaignLetter


def letter_topic(letter: CampaignLetter | int) -> str:
    """What a letter's notices are filed under (``Notification.topic``)."""
    pk = letter if isinstance(letter, int) else letter.pk
    return f"campaign_letter:{pk}"


def letters_cancel(letters: QuerySet[CampaignLetter]) -> int:
    """Cancel ``letters`` (those not cancelled yet) and withdraw their unsent
    notices; returns how many letters."""
    ids = list(letters.filter(cancelled_at__isnull=True).values_list("pk", flat=True))
    CampaignLetter.objects.filter(pk__in=ids).update(cancelled_at=timezone.now())
    notifications_withdraw(topics=[letter_topic(pk) for pk in ids])
    return len(ids)
