"""The one access helper per object type of a campaign. Campaigns, their items,
jobs, evidence and objections are Dinas business: everyone else gets a 404. An
officer reaches only their own cooperative's confirmation (``get_item_for_officer``).
"""

import uuid

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.http import AuthenticatedHttpRequest
from cooperatives.models import Cooperative

from .models import (
    Campaign,
    CampaignItem,
    CampaignJob,
    CampaignLetter,
    CampaignStatus,
    Evidence,
    Objection,
)
from .services.objections import objection_period_open


def _require_dinas(request: AuthenticatedHttpRequest) -> None:
    if not request.user.is_dinas:
        raise Http404


def get_campaign_for_user(request: AuthenticatedHttpRequest, year: int) -> Campaign:
    _require_dinas(request)
    return get_object_or_404(Campaign, year=year)


def get_item_for_user(request: AuthenticatedHttpRequest, pk: int) -> CampaignItem:
    _require_dinas(request)
    return get_object_or_404(
        CampaignItem.objects.select_related(
            "campaign", "cooperative__kelurahan__kecamatan"
        ),
        pk=pk,
    )


def get_item_for_officer(request: AuthenticatedHttpRequest, pk: int) -> CampaignItem:
    """The confirmation page of a cooperative: its own officers (and Dinas) only."""
    visible = Cooperative.objects.visible_to(request.user)
    return get_object_or_404(
        CampaignItem.objects.select_related("campaign", "cooperative"),
        pk=pk,
        cooperative__in=visible,
    )


def get_job_for_user(request: AuthenticatedHttpRequest, pk: int) -> CampaignJob:
    _require_dinas(request)
    return get_object_or_404(CampaignJob.objects.select_related("campaign"), pk=pk)


def get_evidence_for_user(request: AuthenticatedHttpRequest, pk: int) -> Evidence:
    _require_dinas(request)
    return get_object_or_404(
        Evidence.objects.select_related("item__campaign", "item__cooperative"), pk=pk
    )


def get_objection_for_user(request: AuthenticatedHttpRequest, pk: int) -> Objection:
    _require_dinas(request)
    return get_object_or_404(
        Objection.objects.select_related("item__campaign", "item__cooperative"), pk=pk
    )


def get_letter_for_user(request: AuthenticatedHttpRequest, pk: int) -> CampaignLetter:
    """Ladder letters: Dinas, and the cooperative's own officers (it is their
    letter)."""
    visible = Cooperative.objects.visible_to(request.user)
    return get_object_or_404(
        CampaignLetter.objects.select_related("item__cooperative"),
        pk=pk,
        item__cooperative__in=visible,
    )


def get_letter_by_token(token: uuid.UUID) -> CampaignLetter:
    """Anyone holding a ladder letter may verify it and open it: the token is
    only on the letter and in the message that announced it to the officers."""
    return get_object_or_404(
        CampaignLetter.objects.select_related("item__cooperative", "item__campaign"),
        verification_token=token,
    )


class ObjectionPeriodClosed(Http404):
    """A 404 for an item of the running campaign outside its objection period
    (the notice withdrawn, the period over or not begun): the page says so, as
    a link from a page kept a few minutes by a phone or the cache leads here."""

    def __init__(self, item: CampaignItem) -> None:
        super().__init__()
        self.item = item


def get_item_open_to_objection(pk: int) -> CampaignItem:
    """Public: a cooperative on the dissolution notice of the running campaign
    while its objection period is open; an item of that campaign outside it,
    ``ObjectionPeriodClosed``; any other, a 404."""
    item = get_object_or_404(
        CampaignItem.objects.select_related("campaign", "cooperative__kelurahan"),
        pk=pk,
        campaign__status=CampaignStatus.BERJALAN,
    )
    if not objection_period_open(item):
        raise ObjectionPeriodClosed(item)
    return item


def get_item_named_by_receipt(pk: object) -> CampaignItem:
    """Public: the item a signed receipt of this browser names (an objection sent,
    a confirmation by link); the receipt, not the address, is the key."""
    return get_object_or_404(CampaignItem.objects.select_related("cooperative"), pk=pk)
