"""Every year a page takes from its address is range-checked: an impossible one is
a message, never a 500."""

from django.urls import reverse

from tests.personas import PersonaTestCase

IMPOSSIBLE = ("9999", "-1", "0", "99999999999", "1800")


class YearParameterTests(PersonaTestCase):
    def test_the_rat_completeness_page_and_its_export(self):
        client = self.client_for(self.staff)
        for year in IMPOSSIBLE:
            with self.subTest(year=year):
                page = client.get(reverse("reports:rat_completeness"), {"tahun": year})
                self.assertContains(page, "Tahun harus antara 1945 dan")
                export = client.get(
                    reverse("reports:rat_missing_export"), {"tahun": year}
                )
                assert export.status_code == 200

    def test_the_rat_queue_filter(self):
        client = self.client_for(self.staff)
        for year in IMPOSSIBLE:
            with self.subTest(year=year):
                page = client.get(reverse("reports:rat_queue"), {"tahun_buku": year})
                self.assertContains(page, "Tahun harus antara 1945 dan")

    def test_the_health_statistics(self):
        client = self.client_for(self.staff)
        for year in IMPOSSIBLE:
            with self.subTest(year=year):
                page = client.get(
                    reverse("health_assessment:statistics"), {"tahun": year}
                )
                self.assertContains(page, "Tahun harus antara 1945 dan")
        page = client.get(reverse("health_assessment:statistics"), {"tahun": "2024"})
        self.assertNotContains(page, "Tahun harus antara")
