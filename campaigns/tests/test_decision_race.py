"""A decision for a list against a dissolution made meanwhile on the cooperative's
own page (another request, its own transaction). The decision locked only its
items, so the dissolution went through while it ran and the decision then took
the cooperative from Dibubarkan to Tidak Aktif (found on PostgreSQL)."""

import threading

from django.db import connection, connections
from django.test import TransactionTestCase

from campaigns.services import items_decide
from campaigns.tests.base import dissolve, open_campaign
from cooperatives.models import CooperativeStatus, StatusChange
from lib.testing import missing_services, require_or_skip
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
        dissolution: list[object] = []

        def dissolve_it() -> None:
            try:
                dissolution.append(dissolve(cooperative, by=staff))
            except Exception as exc:  # seen by the assertion below
                dissolution.append(exc)
            finally:
                connections.close_all()

        other = threading.Thread(target=dissolve_it)

        def dissolve_once_the_items_are_locked(execute, sql, params, many, context):
            result = execute(sql, params, many, context)
            locking_items = "FOR UPDATE" in sql and "campaigns_campaignitem" in sql
            if locking_items and not other.is_alive() and not dissolution:
                other.start()
                # Given its time: without the cooperative's lock it commits now,
                # before this decision changes the status.
                other.join(timeout=1)
            return result

        with connection.execute_wrapper(dissolve_once_the_items_are_locked):
            items_decide(
                acting_user=staff,
                items=items,
                new_status=CooperativeStatus.TIDAK_AKTIF,
                reason="Tanpa RAT",
            )
        other.join()
        assert len(dissolution) == 1 and isinstance(dissolution[0], StatusChange), (
            dissolution
        )
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
