import datetime

from django.urls import reverse

from audit.models import AuditEvent
from cooperatives.models import Cooperative, CooperativeStatus, Kelurahan, StatusChange
from tests.personas import PersonaTestCase


class AccessRulesTests(PersonaTestCase):
    """Every view: Dinas succeeds, an outsider officer gets 404, an officer of the
    cooperative itself gets 403 on writes, anonymous users are sent to log in."""

    def object_urls(self, coop):
        return {
            "detail": reverse("cooperatives:detail", args=[coop.pk]),
            "edit": reverse("cooperatives:edit", args=[coop.pk]),
            "status": reverse("cooperatives:status_change", args=[coop.pk]),
            "figures": reverse("cooperatives:figures_edit", args=[coop.pk]),
            "officer_add": reverse("cooperatives:officer_add", args=[coop.pk]),
        }

    def test_dinas_users_open_every_page(self):
        for user in (self.staff, self.admin):
            client = self.client_for(user)
            for url in [
                reverse("home"),
                reverse("cooperatives:list"),
                reverse("cooperatives:create"),
                *self.object_urls(self.coop_a).values(),
            ]:
                with self.subTest(user=user.username, url=url):
                    assert client.get(url).status_code == 200

    def deactivate_url(self, coop):
        officer = coop.officers.get()
        return reverse("cooperatives:officer_deactivate", args=[officer.pk])

    def assert_every_object_view_answers(self, client, urls, status):
        for name, url in urls.items():
            with self.subTest(view=name):
                assert client.get(url).status_code == status
                assert client.post(url, {}).status_code == status
        deactivate = client.post(
            self.deactivate_url(self.coop_a), {"end_date": "2025-01-01"}
        )
        assert deactivate.status_code == status

    def test_an_officer_of_another_cooperative_gets_404_everywhere(self):
        client = self.client_for(self.officer_b)
        self.assert_every_object_view_answers(
            client, self.object_urls(self.coop_a), 404
        )

    def test_an_officer_reads_their_own_cooperative_but_cannot_change_it(self):
        client = self.client_for(self.officer_a)
        urls = self.object_urls(self.coop_a)
        assert client.get(urls.pop("detail")).status_code == 200
        self.assert_every_object_view_answers(client, urls, 403)

    def test_officers_are_refused_registry_wide_pages(self):
        client = self.client_for(self.officer_a)
        for url in (reverse("cooperatives:list"), reverse("cooperatives:create")):
            with self.subTest(url=url):
                assert client.get(url).status_code == 403

    def test_officers_see_their_own_cooperatives_on_the_home_page(self):
        response = self.client_for(self.officer_a).get(reverse("home"))
        self.assertContains(response, self.coop_a.name)
        self.assertNotContains(response, self.coop_b.name)

    def test_anonymous_users_are_sent_to_log_in(self):
        urls = [
            reverse("home"),
            reverse("cooperatives:list"),
            reverse("cooperatives:create"),
            *self.object_urls(self.coop_a).values(),
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.anonymous.get(url)
                assert response.status_code == 302
                assert response.url.startswith(reverse("login"))

    def test_post_only_views_reject_get(self):
        url = self.deactivate_url(self.coop_a)
        assert self.client_for(self.staff).get(url).status_code == 405


class WriteViewsTests(PersonaTestCase):
    def form_data(self, **overrides):
        data = {
            "nik": "6471999999999999",
            "name": "Koperasi  Epsilon   Abadi",
            "nomor_badan_hukum": "77/BH/XVI/2005",
            "tanggal_badan_hukum": "2005-03-01",
            "address": "Jl. MT Haryono",
            "kelurahan": Kelurahan.objects.get(name="Damai").pk,
            "jenis": "pemasaran",
            "pola": "konvensional",
            "bentuk": "primer",
            "sektor_usaha": "Perdagangan",
            "phone": "0812",
            "email": "epsilon@example.com",
        }
        data.update(overrides)
        return data

    def test_staff_register_a_cooperative(self):
        response = self.client_for(self.staff).post(
            reverse("cooperatives:create"), self.form_data()
        )
        coop = Cooperative.objects.get(nik="6471999999999999")
        self.assertRedirects(response, coop.get_absolute_url())
        assert coop.name == "Koperasi Epsilon Abadi"

    def test_bad_input_gets_messages_in_bahasa_indonesia(self):
        response = self.client_for(self.staff).post(
            reverse("cooperatives:create"),
            self.form_data(nik="12", tanggal_badan_hukum="2999-01-01", jenis="bank"),
        )
        assert response.status_code == 200
        self.assertContains(response, "NIK harus berupa 13 sampai 16 digit angka.")
        self.assertContains(response, "Tanggal tidak boleh di masa depan.")
        self.assertContains(response, "Masukkan pilihan yang valid")
        assert not Cooperative.objects.filter(name__contains="Epsilon").exists()

    def test_a_duplicate_nik_is_explained_not_a_500(self):
        response = self.client_for(self.staff).post(
            reverse("cooperatives:create"), self.form_data(nik=self.coop_b.nik)
        )
        self.assertContains(response, "Koperasi dengan NIK ini sudah terdaftar.")

    def test_staff_edit_and_see_the_change_in_the_audit_trail(self):
        client = self.client_for(self.staff)
        url = reverse("cooperatives:edit", args=[self.coop_a.pk])
        data = self.form_data(nik=self.coop_a.nik, name="Koperasi Alpha Baru")
        response = client.post(url, data)
        self.assertRedirects(response, self.coop_a.get_absolute_url())
        page = client.get(self.coop_a.get_absolute_url())
        self.assertContains(page, "Koperasi Alpha Sejahtera")
        self.assertContains(page, "Koperasi Alpha Baru")
        self.assertContains(page, self.staff.username)

    def test_staff_change_the_status_with_a_reason(self):
        client = self.client_for(self.staff)
        url = reverse("cooperatives:status_change", args=[self.coop_a.pk])
        response = client.post(
            url,
            {
                "new_status": CooperativeStatus.TIDAK_AKTIF,
                "effective_date": "2025-02-01",
                "reason": "Tidak menyelenggarakan RAT sejak 2021",
            },
        )
        self.assertRedirects(response, self.coop_a.get_absolute_url())
        change = StatusChange.objects.get(cooperative=self.coop_a)
        assert change.changed_by == self.staff
        page = client.get(self.coop_a.get_absolute_url())
        self.assertContains(page, "Tidak menyelenggarakan RAT sejak 2021")

    def test_a_status_change_without_reason_is_refused(self):
        url = reverse("cooperatives:status_change", args=[self.coop_a.pk])
        response = self.client_for(self.staff).post(
            url,
            {"new_status": "dibubarkan", "effective_date": "2025-02-01", "reason": " "},
        )
        assert response.status_code == 200
        assert not StatusChange.objects.exists()

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

    def test_staff_add_and_deactivate_an_officer(self):
        client = self.client_for(self.staff)
        client.post(
            reverse("cooperatives:officer_add", args=[self.coop_b.pk]),
            {"name": "Rahmat Hidayat", "position": "sekretaris"},
        )
        officer = self.coop_b.officers.get(name="Rahmat Hidayat")
        client.post(
            reverse("cooperatives:officer_deactivate", args=[officer.pk]),
            {"end_date": datetime.date(2025, 3, 1).isoformat()},
        )
        officer.refresh_from_db()
        assert officer.is_active is False
        assert AuditEvent.objects.filter(cooperative=self.coop_b).count() == 2
