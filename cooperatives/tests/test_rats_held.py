"""The RATs a cooperative held stay recorded (``RatHeld``) when a later one becomes
its last RAT, however the registry learns of it: registered, edited, recorded from
a report or a confirmation, or imported (and taken back by the import's undo)."""

import datetime

import pytest

from cooperatives.models import Cooperative, RatHeld
from cooperatives.services import (
    cooperative_last_rat_record,
    cooperative_register,
    cooperative_update,
)
from tests.migrating import migrate, migrate_to_latest
from tests.personas import PersonaTestCase, make_cooperative

from .ods_testing import row
from .test_import_service import ImportCase


def held(cooperative: Cooperative) -> dict[int, datetime.date | None]:
    return dict(cooperative.rats_held.values_list("tahun_buku", "held_on"))


class RatsHeldTests(PersonaTestCase):
    def test_registered_edited_and_recorded(self):
        coop = cooperative_register(
            acting_user=self.staff,
            fields={
                "name": "Koperasi RAT Lama",
                "kelurahan": self.coop_a.kelurahan,
                "jenis": "konsumen",
                "last_rat_date": datetime.date(2024, 3, 9),
            },
        )
        self.assertEqual(held(coop), {2023: datetime.date(2024, 3, 9)})
        # The next year's RAT, typed in: 2023's stays.
        cooperative_update(
            acting_user=self.staff,
            cooperative=coop,
            fields={"last_rat_date": datetime.date(2025, 2, 20)},
        )
        self.assertEqual(set(held(coop)), {2023, 2024})
        # A report of an earlier year accepted late counts for that year, though
        # it is not the last RAT.
        cooperative_last_rat_record(
            acting_user=self.staff,
            cooperative=coop,
            rat_date=datetime.date(2023, 4, 1),
            tahun_buku=2022,
        )
        self.assertEqual(set(held(coop)), {2022, 2023, 2024})
        coop.refresh_from_db()
        self.assertEqual(coop.last_rat_tahun_buku, 2024)
        # Corrected back to an earlier date: the later one was a typing mistake.
        cooperative_update(
            acting_user=self.staff,
            cooperative=coop,
            fields={"last_rat_date": datetime.date(2024, 3, 9)},
        )
        self.assertEqual(set(held(coop)), {2022, 2023})


class ImportedRatsTests(ImportCase):
    def test_an_import_adds_the_rat_it_tells_of_and_its_undo_takes_it_back(self):
        coop = make_cooperative("Koperasi Dua Tahun", nik="6471000000000888")
        cooperative_update(
            acting_user=self.staff, cooperative=coop, fields={"last_rat_year": 2023}
        )
        self.assertEqual(set(held(coop)), {2023})
        job = self.preview(
            [
                row(
                    "6471000000000888",
                    "Koperasi Dua Tahun",
                    **{"Tahun RAT Terakhir": 2024},
                )
            ]
        )
        job = self.apply(job)
        coop.refresh_from_db()
        self.assertEqual(coop.last_rat_tahun_buku, 2024)
        self.assertEqual(set(held(coop)), {2023, 2024})
        self.assertEqual(
            RatHeld.objects.get(cooperative=coop, tahun_buku=2024).import_job, job
        )
        self.undo(job)
        self.assertEqual(set(held(coop)), {2023})

    def test_an_undo_leaves_the_rats_of_what_it_leaves_alone(self):
        # The undo deleted every RAT the import had added, also of the
        # cooperatives it did not set back (changed since) or when it undid
        # nothing: R1 2024 lost them while the import stood for them.
        changed = make_cooperative("Koperasi Diubah", nik="6471000000000881")
        kept = make_cooperative("Koperasi Tetap", nik="6471000000000882")
        elsewhere = make_cooperative("Koperasi Lain", nik="6471000000000883")
        for coop in (changed, kept):
            cooperative_update(
                acting_user=self.staff, cooperative=coop, fields={"last_rat_year": 2023}
            )
        # A last RAT not held (left by an older version): not the import's.
        Cooperative.objects.filter(pk=elsewhere.pk).update(last_rat_year=2022)
        job = self.apply(
            self.preview(
                [
                    row(c.nik, c.name, **{"Tahun RAT Terakhir": 2024})
                    for c in (changed, kept)
                ]
            )
        )
        self.assertEqual(held(elsewhere), {}, "a cooperative the file did not name")
        cooperative_update(
            acting_user=self.staff, cooperative=changed, fields={"address": "Jl. B"}
        )
        self.undo(job)
        changed.refresh_from_db()
        kept.refresh_from_db()
        self.assertEqual(changed.last_rat_tahun_buku, 2024)  # left alone
        self.assertEqual(set(held(changed)), {2023, 2024})
        self.assertEqual(kept.last_rat_tahun_buku, 2023)  # set back
        self.assertEqual(set(held(kept)), {2023})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_holds_every_last_rat():
    apps = migrate([("cooperatives", "0017_address_max")])
    Old = apps.get_model("cooperatives", "Cooperative")
    kelurahan = apps.get_model("cooperatives", "Kelurahan").objects.first()
    made = [
        Old.objects.create(name=name, kelurahan=kelurahan, jenis="konsumen", **last)
        for name, last in (
            ("Tanggal saja", {"last_rat_date": datetime.date(2025, 2, 20)}),
            ("Tahun saja", {"last_rat_year": 2023}),
            (
                "Tahun lebih baru dari tanggal",
                {"last_rat_year": 2025, "last_rat_date": datetime.date(2024, 3, 1)},
            ),
            ("Belum pernah", {}),
        )
    ]
    try:
        migrate_to_latest()
        rows = {
            name: list(
                RatHeld.objects.filter(cooperative__name=name).values_list(
                    "tahun_buku", "held_on"
                )
            )
            for name in (c.name for c in made)
        }
        assert rows == {
            "Tanggal saja": [(2024, datetime.date(2025, 2, 20))],
            "Tahun saja": [(2023, None)],
            "Tahun lebih baru dari tanggal": [(2025, None)],
            "Belum pernah": [],
        }
    finally:
        Cooperative.objects.filter(pk__in=[c.pk for c in made]).delete()
        migrate_to_latest()
