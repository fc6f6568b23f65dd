import io

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent
from cooperatives.models import Cooperative, CooperativeFigures, Officer


class DemoDashboardTests(TestCase):
    """The demo Balikpapan matches the office's published figures on the dashboard."""

    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())

    def test_the_dashboard_shows_587_registered_and_440_aktif_by_jenis(self):
        client = self.client
        client.force_login(User.objects.get(username="staf"))
        data = client.get(reverse("home")).context["data"]
        assert data.total == 587
        by_status = {item["value"]: item["count"] for item in data.by_status}
        assert by_status["aktif"] == 440
        assert sum(by_status.values()) == 587
        by_jenis = {row["key"]: row["total"] for row in data.rows}
        assert by_jenis == {
            "konsumen": 354,
            "produsen": 33,
            "pemasaran": 14,
            "jasa": 19,
            "simpan_pinjam:konvensional": 15,
            "simpan_pinjam:syariah": 5,
        }
        by_kecamatan = dict(
            zip((k.name for k in data.kecamatan), data.column_totals, strict=True)
        )
        assert by_kecamatan == {
            "Balikpapan Barat": 36,
            "Balikpapan Kota": 144,
            "Balikpapan Selatan": 82,
            "Balikpapan Tengah": 62,
            "Balikpapan Timur": 40,
            "Balikpapan Utara": 76,
        }

    def test_the_all_status_table_counts_every_cooperative(self):
        self.client.force_login(User.objects.get(username="admin"))
        data = self.client.get(reverse("home"), {"status": "all"}).context["data"]
        assert data.grand_total == 587

    def test_three_years_of_figures_and_one_login_per_role(self):
        years = set(CooperativeFigures.objects.values_list("tahun_buku", flat=True))
        assert years == {2023, 2024, 2025}
        roles = set(User.objects.values_list("role", flat=True))
        assert roles == {"admin", "staff", "officer"}
        officer = User.objects.get(username="pengurus")
        assert Cooperative.objects.visible_to(officer).count() == 1

    def test_a_second_run_changes_nothing(self):
        def state():
            return (
                list(Cooperative.objects.order_by("pk").values()),
                CooperativeFigures.objects.count(),
                Officer.objects.count(),
                AuditEvent.objects.count(),
                User.objects.count(),
            )

        before = state()
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        assert state() == before
