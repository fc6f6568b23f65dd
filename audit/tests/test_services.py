"""The audit builder: one row builder for single and bulk writes, and changes that
read as a person reads them (lib.display)."""

import datetime
from decimal import Decimal

from django.utils import translation

from audit.models import AuditAction, AuditEvent
from audit.services import (
    AUDIT_COLUMNS,
    audit_prepare_many,
    audit_record,
    audit_record_many,
    audit_row,
    diff,
    snapshot,
)
from cooperatives.models import Cooperative, CooperativeFigures, Jenis
from tests.personas import PersonaTestCase

COMPARED = [name for name in AUDIT_COLUMNS if name != "created_at"]


def _fields(event):
    return {name: getattr(event, name) for name in COMPARED}


class AuditBuilderTests(PersonaTestCase):
    def setUp(self):
        translation.activate("id")
        self.addCleanup(translation.deactivate)

    def changes(self):
        return {"name": {"label": "nama koperasi", "old": "Lama", "new": "Baru"}}

    def record_one(self):
        return audit_record(
            actor=self.staff,
            action=AuditAction.UPDATE,
            obj=self.coop_a,
            cooperative=self.coop_a,
            changes=self.changes(),
            message="diubah",
        )

    def test_a_single_write_stores_who_what_and_each_change(self):
        event = self.record_one()
        event.refresh_from_db()
        self.assertEqual(event.actor, self.staff)
        self.assertEqual(event.action, AuditAction.UPDATE)
        self.assertEqual(event.object_id, str(self.coop_a.pk))
        self.assertEqual(event.object_repr, str(self.coop_a))
        self.assertEqual(event.cooperative, self.coop_a)
        self.assertEqual(event.changes, self.changes())
        self.assertEqual(event.message, "diubah")

    def test_bulk_rows_are_the_rows_a_single_write_makes(self):
        single = self.record_one()
        rows = [
            audit_row(
                actor=self.staff,
                action=AuditAction.UPDATE,
                model=Cooperative,
                object_id=coop.pk,
                object_repr=str(coop),
                cooperative_id=coop.pk,
                changes=self.changes(),
                message="diubah",
            )
            for coop in (self.coop_a, self.coop_b)
        ]
        with self.assertNumQueries(1):
            audit_record_many(rows)
        # By the order written: object ids are text, and "10" sorts before "9".
        bulk = AuditEvent.objects.exclude(pk=single.pk).order_by("pk")
        self.assertEqual(len(bulk), 2)
        self.assertEqual(_fields(bulk[0]), _fields(single))
        self.assertEqual(bulk[1].cooperative, self.coop_b)

    def test_prepared_rows_are_written_only_when_asked(self):
        row = audit_row(
            actor=None,
            action=AuditAction.CREATE,
            model=Cooperative,
            object_id=self.coop_b.pk,
            object_repr="x" * 300,
            cooperative_id=self.coop_b.pk,
            when=datetime.datetime(2025, 1, 2, 3, 4, tzinfo=datetime.UTC),
        )
        write = audit_prepare_many([row])
        self.assertFalse(AuditEvent.objects.exists())
        write()
        event = AuditEvent.objects.get()
        self.assertEqual(event.object_repr, "x" * 255)
        self.assertEqual(event.changes, {})
        self.assertIsNone(event.actor)
        self.assertEqual(
            event.created_at, datetime.datetime(2025, 1, 2, 3, 4, tzinfo=datetime.UTC)
        )

    def test_changes_read_as_a_person_reads_them(self):
        figures = CooperativeFigures.objects.get(cooperative=self.coop_a)
        before = snapshot(figures, ("aset", "members_male", "shu"))
        figures.aset = Decimal("2317301000.00")
        figures.members_male = 1250
        changes = diff(figures, before, ("aset", "members_male", "shu"))
        self.assertEqual(
            changes,
            {
                "aset": {
                    "label": "aset",
                    "old": "Rp 1.250.000",
                    "new": "Rp 2.317.301.000",
                },
                "members_male": {"label": "anggota pria", "old": "10", "new": "1.250"},
            },
        )

    def test_a_new_object_lists_only_the_fields_it_has(self):
        self.coop_a.tanggal_badan_hukum = datetime.date(2024, 5, 1)
        self.coop_a.jenis = Jenis.SIMPAN_PINJAM
        fields = ("tanggal_badan_hukum", "jenis", "kelurahan", "address", "email")
        changes = diff(self.coop_a, {}, fields)
        self.assertEqual(changes["tanggal_badan_hukum"]["new"], "1 Mei 2024")
        self.assertEqual(changes["jenis"]["new"], "Simpan Pinjam")
        self.assertEqual(changes["kelurahan"]["new"], "Klandasan Ulu")
        self.assertEqual(changes["jenis"]["old"], "—")
        self.assertNotIn("address", changes)
        self.assertNotIn("email", changes)
