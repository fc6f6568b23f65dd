"""The 404 and the expired-form pages speak to whoever reached them: a member of
the public in the public site's frame, staff and officers in theirs."""

from django.test import Client
from django.urls import reverse

from tests.personas import PersonaTestCase


class ErrorPageTests(PersonaTestCase):
    def test_a_member_of_the_public_gets_the_public_404(self):
        response = self.client.get("/publik/koperasi/999999/")
        self.assertContains(response, "Halaman tidak ditemukan", status_code=404)
        self.assertNotContains(response, "bukan milik koperasi Anda", status_code=404)
        self.assertContains(response, "Cek Koperasi", status_code=404)  # its frame

    def test_an_officer_is_told_it_may_be_another_cooperatives(self):
        response = self.client_for(self.officer_a).get(
            reverse("cooperatives:edit", args=[self.coop_b.pk])
        )
        self.assertContains(response, "bukan milik koperasi Anda", status_code=404)

    def test_an_expired_public_form_says_nothing_was_sent(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            reverse("public:concern", args=[self.coop_a.pk]), {"message": "x" * 40}
        )
        self.assertContains(response, "isinya belum terkirim", status_code=403)
        self.assertNotContains(response, "tidak hilang", status_code=403)

    def test_staff_keep_the_staff_advice(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.staff)
        response = client.post(reverse("cooperatives:create"), {"name": "x"})
        self.assertContains(
            response, "data yang sudah tersimpan tidak hilang", status_code=403
        )

    def test_text_over_the_limit_is_said_so(self):
        response = self.client_for(self.staff).post(
            reverse("cooperatives:edit", args=[self.coop_a.pk]),
            {"address": "x" * (3 * 1024 * 1024)},
        )
        self.assertContains(response, "terlalu panjang", status_code=400)
        self.assertContains(response, "lebih dari 2 MB teks", status_code=400)
