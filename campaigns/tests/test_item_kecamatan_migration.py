"""Migration campaigns 0008 drops the items' copy of the kecamatan, and fills it
from the registry when reversed."""

import datetime

import pytest

from tests.migrating import migrate, migrate_to_latest

BEFORE = [("campaigns", "0007_evidence_from_objection")]
AFTER = [("campaigns", "0008_item_kecamatan_from_registry")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_copy_goes_and_comes_back_from_where_the_cooperative_is():
    apps = migrate(AFTER)
    Kelurahan = apps.get_model("cooperatives", "Kelurahan")
    Cooperative = apps.get_model("cooperatives", "Cooperative")
    Campaign = apps.get_model("campaigns", "Campaign")
    Item = apps.get_model("campaigns", "CampaignItem")
    teritip = Kelurahan.objects.get(name="Teritip")
    coop = Cooperative.objects.create(
        name="Koperasi Pindah", kelurahan=teritip, jenis="konsumen", status="aktif"
    )
    campaign = Campaign.objects.create(
        year=2025, cutoff_date=datetime.date(2025, 12, 31)
    )
    item = Item.objects.create(
        campaign=campaign,
        cooperative=coop,
        baseline={},
        baseline_status="aktif",
        proposed_class="C",
    )
    try:
        apps = migrate(BEFORE)
        back = apps.get_model("campaigns", "CampaignItem").objects.get(pk=item.pk)
        assert back.kecamatan_id == teritip.kecamatan_id
        migrate(AFTER)
    finally:
        migrate_to_latest()
