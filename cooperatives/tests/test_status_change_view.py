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
