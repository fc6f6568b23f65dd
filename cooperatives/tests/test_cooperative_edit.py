"""cooperative_edit: a change shows in the audit trail."""

from django.urls import reverse

from .view_testing import CooperativeFormTestCase


class CooperativeEditTests(CooperativeFormTestCase):
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
