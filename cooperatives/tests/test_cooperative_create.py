"""cooperative_create: staff register a cooperative; bad input is explained."""

from django.urls import reverse

from cooperatives.models import Cooperative

from .view_testing import CooperativeFormTestCase


class CooperativeCreateTests(CooperativeFormTestCase):
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
            self.form_data(nik="12", tanggal_badan_hukum="2099-01-01", jenis="bank"),
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

    def test_a_nomor_badan_hukum_of_another_cooperative_is_refused(self):
        # Accepted here while the ODS import refused it: two cooperatives of one
        # legal entity.
        self.coop_b.nomor_badan_hukum = "77/BH/KEMBAR/2020"
        self.coop_b.save()
        staff = self.client_for(self.staff)
        response = staff.post(
            reverse("cooperatives:create"),
            self.form_data(nomor_badan_hukum="77 bh kembar 2020"),
        )
        self.assertContains(
            response, f"Nomor badan hukum ini sudah terdaftar untuk {self.coop_b.name}."
        )
        assert not Cooperative.objects.filter(name__contains="Epsilon").exists()
        # Nor may an edit give it to another; an edit of anything else passes.
        edit = reverse("cooperatives:edit", args=[self.coop_a.pk])
        page = staff.get(edit)
        data = {
            k: ("" if v is None else v) for k, v in page.context["form"].initial.items()
        }
        refused = staff.post(edit, {**data, "nomor_badan_hukum": "77/BH/KEMBAR/2020"})
        self.assertContains(refused, "sudah terdaftar untuk")
        saved = staff.post(edit, {**data, "phone": "0542 123456"})
        self.assertEqual(saved.status_code, 302)

    def test_a_nik_is_plain_digits_typed_in_groups_or_not(self):
        client = self.client_for(self.staff)
        url = reverse("cooperatives:create")
        # Other scripts' digits would slip past the NIK's uniqueness.
        for nik in ("１２３４５６７８９０１２３４５６", "٣٤٥٦٧٨٩٠١٢٣٤٥٦٧"):
            response = client.post(url, self.form_data(nik=nik))
            self.assertContains(response, "NIK harus berupa 13 sampai 16 digit")
        # Sixteen digits in groups are the NIK, not "17 characters".
        response = client.post(url, self.form_data(nik="6471 9999 9999 9998"))
        coop = Cooperative.objects.get(nik="6471999999999998")
        self.assertRedirects(response, coop.get_absolute_url())

    def test_a_date_before_1900_is_refused(self):
        response = self.client_for(self.staff).post(
            reverse("cooperatives:create"),
            self.form_data(tanggal_badan_hukum="0001-01-01"),
        )
        self.assertContains(response, "Tanggal tidak boleh sebelum tahun 1900.")
        assert not Cooperative.objects.filter(name__contains="Epsilon").exists()

    def test_invisible_characters_are_left_out_of_a_name(self):
        # "Koperasi Epsilon Abadi" with a zero-width space looked the same as the
        # name without it, but searching the name did not find it.
        client = self.client_for(self.staff)
        response = client.post(
            reverse("cooperatives:create"),
            self.form_data(name="Koperasi\u200b Epsilon\u2060 Abadi\u202e"),
        )
        coop = Cooperative.objects.get(nik="6471999999999999")
        self.assertRedirects(response, coop.get_absolute_url())
        assert coop.name == "Koperasi Epsilon Abadi"
        response = client.post(
            reverse("cooperatives:create"),
            self.form_data(name="\u200b\u200b", nik="6471999999999998"),
        )
        self.assertContains(response, "Bidang ini tidak boleh kosong")

    def test_numbers_and_dates_in_other_scripts_digits_are_refused(self):
        response = self.client_for(self.staff).post(
            reverse("cooperatives:create"),
            self.form_data(
                tanggal_badan_hukum="１９９６-05-14", last_rat_year="２０２４"
            ),
        )
        self.assertContains(response, "Tulis angkanya dengan angka 0–9.", count=2)
        assert not Cooperative.objects.filter(nik="6471999999999999").exists()
