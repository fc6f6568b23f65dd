"""A decision for a list against a dissolution made meanwhile on the cooperative's
own page (another request, its own transaction). The decision locked only its
items, so the dissolution went through while it ran and the decision then took
the cooperative from Dibubarkan to Tidak Aktif (found on PostgreSQL)."""

from django.test import TransactionTestCase

from campaigns.services import items_decide
from campaigns.tests.base import dissolve, open_campaign
from cooperatives.models import CooperativeStatus, StatusChange
from lib.testing import missing_services, require_or_skip
from tests.meanwhile import Meanwhile
from tests.personas import make_cooperative, make_user


class DissolvedMeanwhileTests(TransactionTestCase):
    # Flushed afterwards without its post-migrate rows being made again: the
    # transactional tests after it reload the database as the migrations left it.
    serialized_rollback = True

    def test_a_dissolution_during_a_decision_is_not_undone_by_it(self):
        # Two connections, one waiting for the other's lock: SQLite's in-memory
        # test database has one writer at a time and cannot show it.
        require_or_skip(missing_services())
        from accounts.models import Role

        staff = make_user("staf-balapan", Role.STAFF)
        cooperative = make_cooperative("KUD Bubar Sekarang", last_rat_year=2010)
        make_cooperative("KUD Tetap Ada", last_rat_year=2010)
        campaign = open_campaign(2025)
        items = list(campaign.items.all())
        dissolution = Meanwhile(
            lambda: dissolve(cooperative, by=staff),
            # Once the decision holds its items.
            after=lambda sql: "FOR UPDATE" in sql and "campaigns_campaignitem" in sql,
        )
        with dissolution:
            items_decide(
                acting_user=staff,
                items=items,
                new_status=CooperativeStatus.TIDAK_AKTIF,
                reason="Tanpa RAT",
            )
        assert isinstance(dissolution.result, StatusChange)
        cooperative.refresh_from_db()
        self.assertEqual(cooperative.status, CooperativeStatus.DIBUBARKAN)
        self.assertEqual(
            list(
                StatusChange.objects.filter(cooperative=cooperative)
                .order_by("pk")
                .values_list("to_status", flat=True)
            ),
            [CooperativeStatus.TIDAK_AKTIF, CooperativeStatus.DIBUBARKAN],
        )
