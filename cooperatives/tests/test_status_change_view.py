"""cooperative_status_change: a new status needs a reason."""

from django.urls import reverse

from cooperatives.models import CooperativeStatus, StatusChange
from tests.personas import PersonaTestCase


class StatusChangeViewTests(PersonaTestCase):
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

    def test_a_long_reason_is_counted_as_the_box_counted_it(self):
        # 2,000 characters as the browser counts them, its line breaks sent as CR LF.
        reason = "Rapat tidak diadakan.\r\n" * 90 + "x" * 20
        assert len(reason.replace("\r\n", "\n")) == 2000
        url = reverse("cooperatives:status_change", args=[self.coop_a.pk])
        response = self.client_for(self.staff).post(
            url,
            {
                "new_status": CooperativeStatus.TIDAK_AKTIF,
                "effective_date": "2025-02-01",
                "reason": reason,
            },
        )
        self.assertRedirects(response, self.coop_a.get_absolute_url())
        assert StatusChange.objects.get().reason.count("\n") == 90

    def test_a_change_made_since_the_form_opened_is_said_as_such(self):
        # Two staff open the form on an aktif cooperative; the first makes it
        # tidak aktif. The second, choosing tidak aktif too, read "pilihan tidak
        # valid"; choosing dibubarkan, changed a status they had not seen.
        client = self.client_for(self.staff)
        url = reverse("cooperatives:status_change", args=[self.coop_a.pk])
        form = client.get(url)
        self.assertContains(form, 'name="seen_status" value="aktif"')
        sent = {
            "seen_status": "aktif",
            "new_status": CooperativeStatus.TIDAK_AKTIF,
            "effective_date": "2025-02-01",
            "reason": "Tidak menyelenggarakan RAT sejak 2021",
        }
        self.assertRedirects(client.post(url, sent), self.coop_a.get_absolute_url())
        for new_status in (CooperativeStatus.TIDAK_AKTIF, CooperativeStatus.DIBUBARKAN):
            with self.subTest(new_status=new_status):
                response = client.post(url, {**sent, "new_status": new_status})
                assert response.status_code == 200
                self.assertContains(
                    response, "sudah diubah menjadi Tidak Aktif sejak formulir dibuka"
                )
                self.assertNotContains(response, "Pilih pilihan yang valid")
                # Shown again, the form carries today's status: sent again, it
                # is taken.
                self.assertContains(response, 'name="seen_status" value="tidak_aktif"')
        assert StatusChange.objects.count() == 1
        again = {**sent, "seen_status": "tidak_aktif", "new_status": "dibubarkan"}
        self.assertRedirects(client.post(url, again), self.coop_a.get_absolute_url())
        assert StatusChange.objects.count() == 2

    def test_the_service_refuses_a_change_overtaken_under_its_lock(self):
        import datetime

        from django.core.exceptions import ValidationError

        from cooperatives.services import cooperative_change_status

        with self.assertRaisesMessage(ValidationError, "sejak formulir dibuka"):
            cooperative_change_status(
                acting_user=self.staff,
                cooperative=self.coop_a,
                new_status="dibubarkan",
                reason="Dibubarkan oleh RAT",
                effective_date=datetime.date(2025, 2, 1),
                seen_status="tidak_aktif",
            )
        assert not StatusChange.objects.exists()

    def test_a_forged_seen_status_is_not_compared(self):
        url = reverse("cooperatives:status_change", args=[self.coop_a.pk])
        response = self.client_for(self.staff).post(
            url,
            {
                "seen_status": "bogus",
                "new_status": CooperativeStatus.TIDAK_AKTIF,
                "effective_date": "2025-02-01",
                "reason": "Tidak menyelenggarakan RAT sejak 2021",
            },
        )
        self.assertRedirects(response, self.coop_a.get_absolute_url())
