"""The demo's Pemutakhiran 2025, half way through: opened over the demo registry
(about 100 of the 440 aktif proposed A or B from their RAT history), some field
visits, officer confirmations waiting for review, decisions for part of class A,
and two cooperatives whose peringatan opened the objection period. Called from
``seed_demo`` in one line; idempotent."""

import datetime
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from cooperatives.models import Officer

from .models import Campaign, CampaignItem, ProposedClass
from .services import (
    campaign_create,
    campaign_open_execute,
    campaign_open_request,
    confirmation_submit,
    items_decide,
    visit_record,
)
from .services.letters import letter_job_execute, letter_job_request

YEAR = 2025
VISITS = (
    "tidak_ditemukan",
    "ditemukan_tidak_aktif",
    "pindah_alamat",
    "ditemukan_aktif",
    "tidak_ditemukan",
    "sudah_bubar",
)


def load_demo_campaign(*, staff: User) -> int:
    """Returns the number of cooperatives in the campaign (0 if it existed)."""
    if Campaign.objects.filter(year=YEAR).exists():
        return 0
    campaign = campaign_create(acting_user=staff, year=YEAR)
    job = campaign_open_request(acting_user=staff, campaign=campaign)
    campaign_open_execute(job_id=job.pk)
    campaign.refresh_from_db()
    items = campaign.items.select_related("cooperative").order_by("cooperative__nik")
    today = timezone.localdate()
    c_items = list(items.filter(proposed_class=ProposedClass.C))
    for index, item in enumerate(c_items[:30]):
        visit_record(
            acting_user=staff,
            item=item,
            on=today - timedelta(days=30 - index),
            result=VISITS[index % len(VISITS)],
            notes="Kunjungan bersama staf kelurahan.",
        )
    _confirmations(campaign)
    a_items = list(items.filter(proposed_class=ProposedClass.A)[:20])
    items_decide(
        acting_user=staff,
        items=a_items,
        new_status="aktif",
        reason="RAT tahun buku 2025 dilaporkan.",
    )
    _ladder(campaign, staff, c_items[40:42], today)
    return campaign.items.count()


def _confirmations(campaign: Campaign) -> None:
    """The demo officers' cooperatives: one confirmation waiting for review."""
    for officer in Officer.objects.filter(user__username="pengurus2").select_related(
        "cooperative"
    ):
        item = CampaignItem.objects.get(
            campaign=campaign, cooperative=officer.cooperative
        )
        confirmation_submit(
            acting_user=officer.user,
            item=item,
            fields={"phone": "0542 733 100"},
            board="",
            rat_date=datetime.date(YEAR + 1, 3, 20),
            rat_year=YEAR,
        )


def _ladder(
    campaign: Campaign, staff: User, items: list[CampaignItem], today: datetime.date
) -> None:
    """The whole ladder for two cooperatives, the peringatan a week ago: they are
    on the public announcement list."""
    day = today - timedelta(days=7 + 3 * 31)
    for kind in ("pemberitahuan", "teguran_1", "teguran_2", "peringatan"):
        job = letter_job_request(
            acting_user=staff,
            campaign=campaign,
            kind=kind,
            issued_on=day,
            filters={},
            item_ids=[item.pk for item in items],
            history=True,
        )
        letter_job_execute(job_id=job.pk)
        day += timedelta(days=31)
