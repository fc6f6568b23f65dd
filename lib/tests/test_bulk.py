"""lib.bulk.bulk_load: the checks it postpones still hold at the end."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import TestCase

from cooperatives.models import Cooperative, CooperativeFigures
from lib.bulk import bulk_load, insert_rows
from lib.testing import make_cooperative, require_or_skip

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
            bulk_load(Cooperative, related=(CooperativeFigures,)),
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
        with bulk_load(Cooperative) as load:
            ids = load.reserve_ids(5)
        assert ids == list(range(ids[0], ids[0] + 5))
        assert ids[0] > before
        assert make_cooperative("Sesudah").pk > ids[-1]
        assert load.reserve_ids(0) == []
