import io
from collections import Counter

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from cooperatives.models import Cooperative, CooperativeFigures, Officer
from health_assessment.models import Assessment, AssessmentStatus


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
        # The demo login is its cooperative's one sitting ketua (its page warned
        # of two).
        for username in ("pengurus", "pengurus2"):
            cooperative = Cooperative.objects.get(officers__user__username=username)
            ketua = cooperative.officers.filter(is_active=True, position="ketua")
            assert [o.user.username for o in ketua] == [username]

    def test_the_offices_2024_health_results_are_there_and_shown(self):
        results = Assessment.objects.filter(status=AssessmentStatus.FINAL)
        counts = Counter(results.values_list("predikat", flat=True))
        assert counts == {"sehat": 6, "cukup_sehat": 14, "dalam_pengawasan": 6}
        assert set(results.values_list("tahun_buku", flat=True)) == {2023}
        officer = User.objects.get(username="pengurus")
        cooperative = Cooperative.objects.get(officers__user=officer)
        assert results.filter(cooperative=cooperative).exists()
        page = self.client.get(reverse("public:cooperative", args=[cooperative.pk]))
        predikat = results.get(cooperative=cooperative).get_predikat_display()
        self.assertContains(page, predikat)

    def test_the_demo_reports_were_sent_after_their_meetings_mostly_on_time(self):
        # Stamped with the day the demo was loaded, every one read "terlambat".
        from reports.models import RatReport

        sent = RatReport.objects.exclude(first_submitted_at=None)
        on_time = sent.filter(submitted_on_time=True).count()
        assert 0 < sent.count() - on_time < on_time, (on_time, sent.count())
        for report in sent:
            day = timezone.localdate(report.first_submitted_at)
            assert day >= report.meeting_date, report

    def test_a_second_run_changes_nothing(self):
        def state():
            return (
                list(Cooperative.objects.order_by("pk").values()),
                CooperativeFigures.objects.count(),
                Officer.objects.count(),
                AuditEvent.objects.count(),
                Assessment.objects.count(),
                User.objects.count(),
            )

        before = state()
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        assert state() == before
