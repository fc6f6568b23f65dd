"""lib.bulk.bulk_load: the checks it postpones still hold at the end."""

import pytest
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.test import TestCase

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from cooperatives.models import Cooperative, CooperativeFigures
from lib.bulk import BusyBuildingIndexes, bulk_load, insert_rows
from lib.testing import require_or_skip, table_indexes
from tests.personas import make_cooperative

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

    def test_indexes_built_meanwhile_are_there_and_not_built_twice(self):
        make_cooperative("Koperasi Ada")
        before = plain_indexes(Cooperative)
        with transaction.atomic(), bulk_load(Cooperative, rows=2) as load:
            make_cooperative("Koperasi Baru")
            load.build_indexes_meanwhile(Cooperative)
            # Python may work here; the database is busy until wait().
            load.wait()
            assert plain_indexes(Cooperative) == before
            assert load.indexes.get(Cooperative._meta.db_table) is None
        assert plain_indexes(Cooperative) == before
        assert Cooperative.objects.count() == 2

    def test_a_query_while_indexes_build_meanwhile_is_refused_until_wait(self):
        # Sent, it would sit behind the whole build on the one connection.
        make_cooperative("Koperasi Ada")
        table = Cooperative._meta.db_table
        with transaction.atomic(), bulk_load(Cooperative, rows=2) as load:
            make_cooperative("Koperasi Baru")
            load.indexes[table].insert(0, "SELECT pg_sleep(0.2)")
            load.build_indexes_meanwhile(Cooperative)
            with pytest.raises(BusyBuildingIndexes):
                Cooperative.objects.count()
            load.wait()
            assert Cooperative.objects.count() == 2

    def test_an_index_that_fails_meanwhile_fails_the_load(self):
        make_cooperative("Koperasi Ada")
        before = plain_indexes(Cooperative)
        table = Cooperative._meta.db_table
        with (
            pytest.raises(ProgrammingError),
            transaction.atomic(),
            bulk_load(Cooperative, rows=2) as load,
        ):
            load.indexes[table].append(f"CREATE INDEX broken ON {table} (no_column)")
            load.build_indexes_meanwhile(Cooperative)
            load.wait()
        assert plain_indexes(Cooperative) == before  # rolled back

    def test_an_error_while_indexes_build_waits_for_them_before_rolling_back(self):
        make_cooperative("Koperasi Ada")
        before = plain_indexes(Cooperative)
        table = Cooperative._meta.db_table
        with (
            pytest.raises(ValueError, match="Python failed"),
            transaction.atomic(),
            bulk_load(Cooperative, rows=2) as load,
        ):
            load.indexes[table].insert(0, "SELECT pg_sleep(0.3)")
            load.build_indexes_meanwhile(Cooperative)
            raise ValueError("Python failed")
        # The rollback found the connection free and restored every index.
        assert plain_indexes(Cooperative) == before
        assert Cooperative.objects.count() == 1


def plain_indexes(model):
    return {
        definition
        for definition in table_indexes(model).values()
        if not definition.startswith("CREATE UNIQUE")
    }
