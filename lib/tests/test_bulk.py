"""lib.bulk.bulk_load: the checks it postpones still hold at the end."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import TestCase

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from cooperatives.models import Cooperative, CooperativeFigures
from lib.bulk import bulk_load, insert_rows
from lib.testing import make_cooperative, require_or_skip, table_indexes

_FIGURES = ("cooperative_id", "tahun_buku", "aset", "source", "updated_at")


class BulkLoadTests(TestCase):
    def setUp(self):
        if connection.vendor != "postgresql":
            require_or_skip(["PostgreSQL in DATABASE_URL"])

    def figures(self, cooperative_id):
        return [(cooperative_id, 2024, 1000, "ods_import", "2026-11-22T10:00:00+08:00")]

    def test_a_row_that_points_nowhere_fails_the_whole_load(self):
        coop = make_cooperative("Koperasi Ada")
        missing = coop.pk + 1000
        with (
            pytest.raises(IntegrityError),
            transaction.atomic(),
            bulk_load(Cooperative, related=(CooperativeFigures,), rows=2),
        ):
            insert_rows(CooperativeFigures, _FIGURES, self.figures(coop.pk))
            insert_rows(CooperativeFigures, _FIGURES, self.figures(missing))
        assert not CooperativeFigures.objects.exists()
        # The constraint is back: the same dangling row is refused again.
        with pytest.raises(IntegrityError), transaction.atomic():
            insert_rows(CooperativeFigures, _FIGURES, self.figures(missing))
            connection.check_constraints()

    def test_reserved_ids_are_consecutive_and_never_handed_out_again(self):
        before = make_cooperative("Sebelum").pk
        with bulk_load(Cooperative, rows=5) as load:
            ids = load.reserve_ids(5)
        assert ids == list(range(ids[0], ids[0] + 5))
        assert ids[0] > before
        assert make_cooperative("Sesudah").pk > ids[-1]
        assert load.reserve_ids(0) == []

    def test_only_tables_no_larger_than_the_load_lose_their_indexes_meanwhile(self):
        coop = make_cooperative("Koperasi Ada")
        for _ in range(3):
            audit_record(actor=None, action=AuditAction.UPDATE, obj=coop)
        cooperative_before = plain_indexes(Cooperative)
        audit_before = plain_indexes(AuditEvent)
        assert cooperative_before and audit_before
        with bulk_load(Cooperative, related=(AuditEvent,), rows=2):
            # 1 cooperative: rebuilt after the rows; 3 audit rows: kept.
            assert plain_indexes(Cooperative) == set()
            assert plain_indexes(AuditEvent) == audit_before
        assert plain_indexes(Cooperative) == cooperative_before


def plain_indexes(model):
    return {
        definition
        for definition in table_indexes(model).values()
        if not definition.startswith("CREATE UNIQUE")
    }
