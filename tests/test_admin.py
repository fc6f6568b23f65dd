from django.urls import reverse

from audit.models import AuditEvent
from lib.testing import PersonaTestCase


class AdminTests(PersonaTestCase):
    def test_every_admin_list_opens_for_an_administrator(self):
        client = self.client_for(self.admin)
        for model in (
            "cooperatives/cooperative",
            "cooperatives/kelompok",
            "cooperatives/kelurahan",
            "cooperatives/kecamatan",
            "cooperatives/kabupatenkota",
            "cooperatives/officer",
            "cooperatives/cooperativefigures",
            "cooperatives/statuschange",
            "audit/auditevent",
            "reports/reportrun",
            "accounts/user",
        ):
            with self.subTest(model=model):
                assert client.get(f"/admin/{model}/").status_code == 200

    def test_the_audit_trail_and_registry_are_read_only_in_the_admin(self):
        client = self.client_for(self.admin)
        url = reverse("admin:cooperatives_cooperative_change", args=[self.coop_a.pk])
        page = client.get(url)
        assert page.status_code == 200
        self.assertNotContains(page, 'name="_save"')
        response = client.post(url, {"name": "Diubah lewat admin"})
        assert response.status_code == 403
        assert reverse("admin:audit_auditevent_add")
        assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
        assert not AuditEvent.objects.exists()

    def test_officers_and_staff_have_no_admin(self):
        for user in (self.officer_a, self.staff):
            response = self.client_for(user).get("/admin/")
            assert response.status_code == 302
