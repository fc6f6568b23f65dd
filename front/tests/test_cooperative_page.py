"""The cooperative's page (front/): what its panels show."""

from django.contrib.contenttypes.models import ContentType

from audit.models import AuditAction, AuditEvent
from cooperatives.models import CooperativeFigures
from tests.personas import PersonaTestCase


class AuditTrailTests(PersonaTestCase):
    def test_an_amount_in_the_trail_is_never_split_across_lines(self):
        figures = CooperativeFigures.objects.get(cooperative=self.coop_a)
        AuditEvent.objects.create(
            action=AuditAction.UPDATE,
            content_type=ContentType.objects.get_for_model(figures),
            object_id=str(figures.pk),
            object_repr=str(figures),
            cooperative=self.coop_a,
            changes={
                "aset": {
                    "label": "aset",
                    "old": "Rp 1.250.000",
                    "new": "Rp 2.317.301.000",
                }
            },
        )
        for user in (self.staff, self.officer_a):
            page = self.client_for(user).get(self.coop_a.get_absolute_url())
            self.assertContains(page, "Rp\u00a01.250.000</del>")
            self.assertContains(page, "Rp\u00a02.317.301.000</ins>")

    def test_the_trail_reads_in_english_for_an_english_reader(self):
        # Only the action word was translated: "tanggal RAT terakhir: 5 Februari
        # 2025 → 14 Maret 2026", "Aktif → Tidak Aktif" on the English page.
        from django.conf import settings

        AuditEvent.objects.create(
            action=AuditAction.UPDATE,
            content_type=ContentType.objects.get_for_model(self.coop_a),
            object_id=str(self.coop_a.pk),
            object_repr=self.coop_a.name,
            cooperative=self.coop_a,
            message="Laporan RAT tahun buku 2025 diterima.",
            changes={
                "status": {"label": "status", "old": "Aktif", "new": "Tidak Aktif"},
                "last_rat_date": {
                    "label": "tanggal RAT terakhir",
                    "old": "5 Februari 2025",
                    "new": "14 Maret 2026",
                },
            },
        )
        client = self.client_for(self.staff)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get(self.coop_a.get_absolute_url())
        self.assertContains(page, "last RAT date: <del")
        self.assertContains(page, ">5 February 2025</del> → <ins")
        self.assertContains(page, ">14 March 2026</ins>")
        self.assertContains(page, '>Active</del> → <ins class="text-success">Inactive<')
        self.assertContains(page, "(RAT report for financial year 2025 accepted.)")
        self.assertContains(page, self.coop_a.name)  # a name stays as it is
        indonesian = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertContains(indonesian, ">5 Februari 2025</del>")


class OfficerPanelTests(PersonaTestCase):
    def test_two_sitting_ketua_are_pointed_out(self):
        from cooperatives.models import Officer, Position

        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertNotContains(page, 'data-testid="several-ketua"')
        # The persona officer is coop A's sitting Ketua; a new one is entered.
        Officer.objects.create(
            cooperative=self.coop_a, name="Siti Rahmawati", position=Position.KETUA
        )
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertContains(page, 'data-testid="several-ketua"')
        self.assertContains(page, "Siti Rahmawati")


class LastRatTests(PersonaTestCase):
    def test_an_earlier_meeting_s_date_is_not_shown_as_the_last_rat(self):
        # An import brought tahun buku 2025 without its day; the page went on
        # showing the meeting of 5 February 2025 (tahun buku 2024) as the last.
        import datetime

        from django.urls import reverse

        from cooperatives.models import Cooperative

        Cooperative.objects.filter(pk=self.coop_a.pk).update(
            last_rat_date=datetime.date(2025, 2, 5), last_rat_year=2025
        )
        for user in (self.staff, self.officer_a):
            page = self.client_for(user).get(self.coop_a.get_absolute_url())
            self.assertContains(page, 'data-testid="last-rat">tahun 2025</dd>')
            self.assertNotContains(page, "5 Februari 2025")
        listed = self.client_for(self.staff).get(reverse("cooperatives:list"))
        self.assertNotContains(listed, "5 Feb 2025")
        Cooperative.objects.filter(pk=self.coop_a.pk).update(last_rat_year=2024)
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertContains(page, 'data-testid="last-rat">5 Februari 2025</dd>')
