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

    def test_a_negative_count_is_said_once(self):
        url = reverse("cooperatives:figures_edit", args=[self.coop_b.pk])
        response = self.client_for(self.staff).post(
            url, {"tahun_buku": 2025, "members_male": "-1"}
        )
        assert response.content.decode().count("Tidak boleh negatif.") == 1

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


class FiguresOfAYearTests(PersonaTestCase):
    """The form opens with the year's stored figures: opened empty, saving one
    field emptied the year's others (a RAT report's aset and SHU among them)."""

    def setUp(self):
        self.client_ = self.client_for(self.staff)
        self.url = reverse("cooperatives:figures_edit", args=[self.coop_b.pk])
        self.client_.post(
            self.url,
            {"tahun_buku": 2025, "members_male": 40, "aset": "373500000"},
        )

    def test_the_form_opens_with_the_years_figures_and_keeps_them(self):
        page = self.client_.get(self.url + "?tahun=2025")
        form = page.context["form"]
        self.assertContains(page, 'value="373.500.000"')
        assert form["members_male"].value() == 40
        self.assertContains(page, 'data-testid="figure-years"')
        data = {
            name: "" if value is None else value for name, value in form.initial.items()
        }
        data.update({"tahun_buku": 2025, "employees": 5})
        self.assertRedirects(
            self.client_.post(self.url, data), self.coop_b.get_absolute_url()
        )
        figures = self.coop_b.figures.get(tahun_buku=2025)
        assert (figures.employees, figures.aset, figures.members_male) == (
            5,
            373500000,
            40,
        )

    def test_a_year_whose_figures_the_page_did_not_show_is_refused(self):
        # Opened for 2024 (nothing stored), the year typed over as 2025.
        page = self.client_.get(self.url + "?tahun=2024")
        seen = page.context["form"].initial.get("seen", "")
        response = self.client_.post(
            self.url, {"tahun_buku": 2025, "employees": 5, "seen": seen}
        )
        self.assertContains(response, "sudah punya data keragaan")
        figures = self.coop_b.figures.get(tahun_buku=2025)
        assert (figures.employees, figures.aset) == (None, 373500000)

    def test_what_another_saved_meanwhile_is_kept(self):
        page = self.client_.get(self.url + "?tahun=2025")
        data = {
            name: "" if value is None else value
            for name, value in page.context["form"].initial.items()
        }
        # Another member of staff corrects the members meanwhile.
        other = dict(data, members_male=45)
        self.client_for(self.admin).post(self.url, other)
        self.client_.post(self.url, dict(data, employees=5))
        figures = self.coop_b.figures.get(tahun_buku=2025)
        assert (figures.members_male, figures.employees) == (45, 5)


class FiguresRefusedThenKnowinglySavedTests(PersonaTestCase):
    """A year typed whose figures the page did not show is refused with each
    stored figure named, and saving again keeps what was typed; a year written
    with a leading zero is that year."""

    def setUp(self):
        self.staff_client = self.client_for(self.staff)
        self.url = reverse("cooperatives:figures_edit", args=[self.coop_b.pk])
        self.staff_client.post(
            self.url, {"tahun_buku": 2024, "members_male": 30, "aset": "500000"}
        )

    def test_a_leading_zero_is_the_same_year_and_refused_as_it(self):
        # "02024" was checked as the default year and written into 2024.
        page = self.staff_client.get(self.url + "?tahun=2023")
        seen = page.context["form"].initial.get("seen", "")
        response = self.staff_client.post(
            self.url, {"tahun_buku": "02024", "members_male": 31, "seen": seen}
        )
        self.assertContains(response, "sudah punya data keragaan")
        figures = self.coop_b.figures.get(tahun_buku=2024)
        assert (figures.members_male, figures.aset) == (30, 500000)

    def test_saving_again_after_the_refusal_keeps_what_was_typed(self):
        page = self.staff_client.get(self.url + "?tahun=2024")
        assert page.context["form"].fields["tahun_buku"].disabled
        response = self.staff_client.post(
            self.url + "?tahun=2024", {"members_male": 31, "employees": 4}
        )
        self.assertContains(response, "Tersimpan: 30.")
        self.assertContains(response, "Tersimpan: Rp 500.000.")
        form = response.context["form"]
        again = {
            "members_male": 31,
            "employees": 4,
            "seen": form.data["seen"],
        }
        self.assertRedirects(
            self.staff_client.post(self.url + "?tahun=2024", again),
            self.coop_b.get_absolute_url(),
        )
        figures = self.coop_b.figures.get(tahun_buku=2024)
        assert (figures.members_male, figures.employees, figures.aset) == (
            31,
            4,
            None,
        )
