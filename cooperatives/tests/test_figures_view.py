"""figures_edit: yearly figures typed as Rupiah."""

from django.urls import reverse

from tests.personas import PersonaTestCase


class FiguresViewTests(PersonaTestCase):
    def test_staff_record_yearly_figures_shown_in_rupiah(self):
        client = self.client_for(self.staff)
        url = reverse("cooperatives:figures_edit", args=[self.coop_b.pk])
        response = client.post(
            url,
            {
                "tahun_buku": 2025,
                "members_male": 40,
                "members_female": 60,
                "aset": "1250000",
            },
        )
        self.assertRedirects(response, self.coop_b.get_absolute_url())
        self.assertContains(client.get(self.coop_b.get_absolute_url()), "Rp 1.250.000")

    def test_negative_assets_are_refused_in_the_form(self):
        url = reverse("cooperatives:figures_edit", args=[self.coop_b.pk])
        response = self.client_for(self.staff).post(
            url, {"tahun_buku": 2025, "aset": "-5"}
        )
        assert response.status_code == 200
        assert not self.coop_b.figures.exists()

    def test_a_tahun_buku_before_1900_is_said_in_words(self):
        url = reverse("cooperatives:figures_edit", args=[self.coop_b.pk])
        response = self.client_for(self.staff).post(url, {"tahun_buku": 0})
        self.assertContains(response, "Tahun buku tidak boleh sebelum tahun 1900.")
        self.assertNotContains(response, "figures_tahun_buku_plausible")
        assert not self.coop_b.figures.exists()

    def test_figures_are_read_as_people_type_them(self):
        client = self.client_for(self.staff)
        url = reverse("cooperatives:figures_edit", args=[self.coop_b.pk])
        response = client.post(
            url,
            {
                "tahun_buku": 2024,
                "members_male": "1.000",  # a thousand, not 1
                "aset": "Rp 1.250.000,-",
                "shu": "-50.000",
            },
        )
        self.assertRedirects(response, self.coop_b.get_absolute_url())
        figures = self.coop_b.figures.get(tahun_buku=2024)
        assert figures.members_male == 1000
        assert figures.aset == 1_250_000
        assert figures.shu == -50_000
        # Beyond what every database keeps exactly: refused, the page still works.
        response = client.post(
            url, {"tahun_buku": 2023, "volume_usaha": "9999999999999999.99"}
        )
        assert response.status_code == 200
        assert not self.coop_b.figures.filter(tahun_buku=2023).exists()
        assert client.get(self.coop_b.get_absolute_url()).status_code == 200
