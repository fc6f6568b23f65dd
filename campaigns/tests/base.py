"""A campaign opened over the personas' registry, for the view and service tests."""

from django.utils import timezone

from accounts.models import User
from campaigns.models import Campaign, CampaignItem, CampaignStatus
from campaigns.services import (
    campaign_create,
    campaign_open_execute,
    campaign_open_request,
)
from cooperatives.models import Cooperative, CooperativeStatus, StatusChange
from cooperatives.services import cooperative_change_status
from tests.personas import PersonaTestCase


def open_campaign(year: int = 2025, **kwargs: object) -> Campaign:
    """A campaign for ``year``, opened; the one running before is closed first
    (one runs at a time)."""
    Campaign.objects.filter(status=CampaignStatus.BERJALAN).update(
        status=CampaignStatus.DITUTUP
    )
    campaign = campaign_create(acting_user=None, year=year, **kwargs)  # type: ignore[arg-type]
    job = campaign_open_request(acting_user=None, campaign=campaign)
    campaign_open_execute(job_id=job.pk)
    campaign.refresh_from_db()
    return campaign


def dissolve(cooperative: Cooperative, *, by: User) -> StatusChange:
    """Dissolved today on the cooperative's own page (outside any campaign)."""
    return cooperative_change_status(
        acting_user=by,
        cooperative=cooperative,
        new_status=CooperativeStatus.DIBUBARKAN,
        reason="Keputusan Menteri",
        effective_date=timezone.localdate(),
    )


class CampaignTestCase(PersonaTestCase):
    """The personas, coop A with a RAT for 2025 (class A), coop B none (class C)."""

    campaign: Campaign
    item_a: CampaignItem
    item_b: CampaignItem

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.coop_a.last_rat_year = 2025
        cls.coop_a.save()
        cls.campaign = open_campaign()
        cls.item_a = cls.campaign.items.get(cooperative=cls.coop_a)
        cls.item_b = cls.campaign.items.get(cooperative=cls.coop_b)
