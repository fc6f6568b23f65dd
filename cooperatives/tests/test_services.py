import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from audit.models import AuditAction, AuditEvent
from cooperatives import services
from cooperatives.models import (
    Cooperative,
    CooperativeFigures,
    CooperativeStatus,
    Jenis,
    Kelurahan,
    Position,
    RecordSource,
)
from tests.personas import PersonaTestCase


def _fields(**overrides):
    fields = {
        "nik": "6471123456789012",
        "name": "Koperasi Gamma Jaya",
        "nomor_badan_hukum": "123/BH/XVI/1999",
        "tanggal_badan_hukum": datetime.date(1999, 7, 12),
        "address": "Jl. Jenderal Sudirman No. 1",
        "kelurahan": Kelurahan.objects.get(name="Prapatan"),
        "jenis": Jenis.JASA,
        "pola": "konvensional",
        "bentuk": "primer",
        "kelompok": None,
        "sektor_usaha": "Transportasi",
        "phone": "0811",
        "email": "",
        "last_rat_date": None,
        "nik_expiry_date": None,
    }
    fields.update(overrides)
    return fields


class RegisterTests(PersonaTestCase):
    def test_it_registers_a_cooperative_with_an_audit_row(self):
        coop = services.cooperative_register(acting_user=self.staff, fields=_fields())
        event = AuditEvent.objects.get(cooperative=coop)
        assert event.action == AuditAction.CREATE
        assert event.actor == self.staff
        assert event.changes["name"]["new"] == "Koperasi Gamma Jaya"
        assert event.changes["kelurahan"]["new"] == "Prapatan"
        assert coop.status == CooperativeStatus.AKTIF
        assert coop.source == RecordSource.MANUAL

    def test_it_rejects_a_nik_already_registered(self):
        with self.assertRaisesMessage(ValidationError, "NIK ini sudah terdaftar"):
            services.cooperative_register(
                acting_user=self.staff, fields=_fields(nik=self.coop_a.nik)
            )
        assert not AuditEvent.objects.exists()

    def test_cooperatives_without_nik_may_coexist(self):
        services.cooperative_register(acting_user=self.staff, fields=_fields(nik=""))
        services.cooperative_register(
            acting_user=self.admin,
            fields=_fields(nik=None, name="Koperasi Delta", nomor_badan_hukum=""),
        )
        assert Cooperative.objects.filter(nik__isnull=True).count() == 2

    def test_it_rejects_a_malformed_nik(self):
        with self.assertRaises(ValidationError):
            services.cooperative_register(
                acting_user=self.staff, fields=_fields(nik="12AB")
            )

    def test_a_double_submission_registers_once(self):
        services.cooperative_register(acting_user=self.staff, fields=_fields(nik=None))
        with self.assertRaisesMessage(ValidationError, "baru saja Anda daftarkan"):
            services.cooperative_register(
                acting_user=self.staff, fields=_fields(nik=None)
            )
        assert Cooperative.objects.filter(name="Koperasi Gamma Jaya").count() == 1


class UpdateTests(PersonaTestCase):
    def test_it_audits_each_changed_field_from_old_to_new(self):
        services.cooperative_update(
            acting_user=self.staff,
            cooperative=self.coop_a,
            fields={"name": "Koperasi Alpha Makmur", "jenis": Jenis.PRODUSEN},
        )
        event = AuditEvent.objects.get(
            cooperative=self.coop_a, action=AuditAction.UPDATE
        )
        assert event.changes == {
            "name": {
                "label": "nama koperasi",
                "old": "Koperasi Alpha Sejahtera",
                "new": "Koperasi Alpha Makmur",
            },
            "jenis": {"label": "jenis", "old": "Konsumen", "new": "Produsen"},
        }

    def test_saving_without_changes_writes_no_audit_row(self):
        services.cooperative_update(
            acting_user=self.staff,
            cooperative=self.coop_a,
            fields={"name": self.coop_a.name},
        )
        assert not AuditEvent.objects.exists()

    def test_status_is_not_an_editable_field(self):
        with self.assertRaises(ValueError):
            services.cooperative_update(
                acting_user=self.staff,
                cooperative=self.coop_a,
                fields={"status": "dibubarkan"},
            )


class LastRatTests(PersonaTestCase):
    def record(self, on, year):
        return services.cooperative_last_rat_record(
            acting_user=self.staff,
            cooperative=self.coop_a,
            rat_date=on,
            tahun_buku=year,
        )

    def last(self):
        self.coop_a.refresh_from_db()
        return self.coop_a.last_rat_date, self.coop_a.last_rat_year

    def test_the_latest_tahun_buku_is_the_last_rat_whatever_was_accepted_after(self):
        march = datetime.date(2026, 3, 20)
        assert self.record(march, 2025)
        assert self.last() == (march, 2025)
        # A meeting held later to catch up an older year is not the last RAT.
        assert not self.record(datetime.date(2026, 5, 1), 2023)
        # An older one accepted late neither.
        assert not self.record(datetime.date(2025, 4, 1), 2024)
        assert self.last() == (march, 2025)
        # The same year held again later (a repeated meeting) is.
        assert self.record(datetime.date(2026, 4, 2), 2025)
        assert self.record(datetime.date(2027, 3, 1), 2026)
        assert self.last() == (datetime.date(2027, 3, 1), 2026)


class StatusChangeTests(PersonaTestCase):
    def change_status(self, **overrides):
        arguments = {
            "acting_user": self.staff,
            "cooperative": self.coop_a,
            "new_status": CooperativeStatus.TIDAK_AKTIF,
            "reason": "Tidak RAT tiga tahun berturut-turut",
            "effective_date": datetime.date(2025, 1, 2),
        }
        return services.cooperative_change_status(**{**arguments, **overrides})

    def test_it_records_the_change_with_reason_and_audit(self):
        change = self.change_status()
        self.coop_a.refresh_from_db()
        assert self.coop_a.status == CooperativeStatus.TIDAK_AKTIF
        assert change.from_status == CooperativeStatus.AKTIF
        event = AuditEvent.objects.get(action=AuditAction.STATUS_CHANGE)
        assert event.changes["status"] == {
            "label": "status",
            "old": "Aktif",
            "new": "Tidak Aktif",
        }
        assert event.message == (
            "Tidak RAT tiga tahun berturut-turut (berlaku sejak 2 Januari 2025)"
        )

    def test_the_same_status_twice_is_refused_with_a_message(self):
        with self.assertRaisesMessage(ValidationError, "sudah Aktif"):
            self.change_status(new_status=CooperativeStatus.AKTIF, reason="dobel")

    def test_a_change_cannot_begin_before_the_previous_one(self):
        self.change_status()  # tidak aktif from 2 January 2025
        with self.assertRaisesMessage(ValidationError, "sebelum perubahan status"):
            self.change_status(
                new_status=CooperativeStatus.AKTIF,
                reason="RAT diadakan lagi",
                effective_date=datetime.date(2024, 12, 31),
            )
        self.change_status(
            new_status=CooperativeStatus.AKTIF,
            reason="RAT diadakan lagi",
            effective_date=datetime.date(2025, 1, 2),
        )
        self.coop_a.refresh_from_db()
        assert self.coop_a.status == CooperativeStatus.AKTIF

    def test_a_future_date_is_refused(self):
        with self.assertRaises(ValidationError):
            self.change_status(
                new_status=CooperativeStatus.DIBUBARKAN,
                effective_date=datetime.date(2999, 1, 1),
            )


class FiguresTests(PersonaTestCase):
    def test_it_updates_the_row_of_an_existing_year(self):
        services.figures_record(
            acting_user=self.staff,
            cooperative=self.coop_a,
            tahun_buku=2024,
            values={"aset": Decimal("2000000"), "shu": Decimal("-5000")},
        )
        figures = CooperativeFigures.objects.get(cooperative=self.coop_a)
        assert figures.aset == Decimal("2000000")
        assert figures.members_male == 10
        event = AuditEvent.objects.get(action=AuditAction.UPDATE)
        # The audit trail reads an amount as the import's rows do (issue 20).
        assert event.changes["aset"]["old"] == "Rp 1.250.000"
        assert event.changes["aset"]["new"] == "Rp 2.000.000"

    def test_negative_counts_and_assets_are_refused(self):
        with self.assertRaisesMessage(ValidationError, "tidak boleh negatif"):
            services.figures_record(
                acting_user=self.staff,
                cooperative=self.coop_a,
                tahun_buku=2023,
                values={"aset": Decimal("-1")},
            )
        assert not CooperativeFigures.objects.filter(tahun_buku=2023).exists()


class OfficerTests(PersonaTestCase):
    def test_deactivating_an_officer_ends_their_access(self):
        officer = self.coop_a.officers.get(user=self.officer_a)
        assert Cooperative.objects.visible_to(self.officer_a).count() == 1
        services.officer_deactivate(
            acting_user=self.staff, officer=officer, end_date=datetime.date(2025, 6, 1)
        )
        assert Cooperative.objects.visible_to(self.officer_a).count() == 0
        with self.assertRaises(ValidationError):
            services.officer_deactivate(
                acting_user=self.staff,
                officer=officer,
                end_date=datetime.date(2025, 6, 1),
            )

    def test_a_term_cannot_end_before_it_began(self):
        officer = services.officer_add(
            acting_user=self.staff,
            cooperative=self.coop_b,
            fields={
                "name": "Siti Rahmawati",
                "position": Position.BENDAHARA,
                "start_date": datetime.date(2026, 12, 1),
            },
        )
        with self.assertRaisesMessage(ValidationError, "sebelum tanggal mulai"):
            services.officer_deactivate(
                acting_user=self.staff,
                officer=officer,
                end_date=datetime.date(2026, 11, 1),
            )
        officer.refresh_from_db()
        assert officer.is_active and officer.end_date is None

    def test_adding_an_officer_is_audited(self):
        services.officer_add(
            acting_user=self.staff,
            cooperative=self.coop_b,
            fields={"name": "Siti Aminah", "position": Position.BENDAHARA},
        )
        event = AuditEvent.objects.get(cooperative=self.coop_b)
        assert event.changes["position"]["new"] == "Bendahara"

    def test_the_same_officer_sent_twice_is_added_once(self):
        fields = {"name": "Siti Aminah", "position": Position.BENDAHARA}
        services.officer_add(
            acting_user=self.staff, cooperative=self.coop_b, fields=fields
        )
        with self.assertRaisesMessage(ValidationError, "sudah terdaftar sebagai"):
            services.officer_add(
                acting_user=self.staff,
                cooperative=self.coop_b,
                fields={**fields, "name": "siti aminah"},
            )
        assert self.coop_b.officers.filter(name__iexact="Siti Aminah").count() == 1
        # Another position, or another person, is another officer.
        services.officer_add(
            acting_user=self.staff,
            cooperative=self.coop_b,
            fields={**fields, "position": Position.SEKRETARIS},
        )
