from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from health_assessment.models import RuleSetVersion
from health_assessment.services import RULESET_DIR
from tests.personas import PersonaTestCase


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
            "health_assessment/rulesetversion",
            "health_assessment/assessment",
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


class RuleSetAdminTests(PersonaTestCase):
    url = "/admin/health_assessment/rulesetversion/muat/"

    def upload(self, text):
        client = self.client_for(self.admin)
        file = SimpleUploadedFile("aturan.yaml", text.encode(), "application/yaml")
        return client.post(self.url, {"definition": file}, follow=True)

    def test_an_administrator_loads_a_new_version_from_the_list(self):
        client = self.client_for(self.admin)
        listing = client.get("/admin/health_assessment/rulesetversion/")
        self.assertContains(listing, "Muat versi baru")
        assert client.get(self.url).status_code == 200
        text = (RULESET_DIR / "kkpkk-2021-sektor-riil.v1.yaml").read_text("utf-8")
        response = self.upload(text.replace("version: 1", "version: 2", 1))
        self.assertContains(response, "Aturan KKPKK-2021-SR@2 dimuat.")
        row = RuleSetVersion.objects.get(code="KKPKK-2021-SR", version=2)
        assert row.loaded_by == self.admin

    def test_a_broken_definition_is_refused_with_its_problems(self):
        text = (RULESET_DIR / "kkpkk-2021-sektor-riil.v1.yaml").read_text("utf-8")
        broken = text.replace("version: 1", "version: 3", 1).replace(
            'range: "[3, 5)"', 'range: "[3.5, 5)"', 1
        )
        response = self.upload(broken)
        self.assertContains(response, "celah atau tumpang tindih")
        self.assertContains(self.upload("bukan: [yaml"), "tidak dapat dibaca")
        assert not RuleSetVersion.objects.filter(version=3).exists()

    def test_a_changed_definition_under_a_loaded_version_is_refused(self):
        text = (RULESET_DIR / "kkpkk-2021-sektor-riil.v1.yaml").read_text("utf-8")
        response = self.upload(text.replace("name: KKPKK 2021", "name: Lain", 1))
        self.assertContains(response, "Naikkan nomor versi")

    def test_only_administrators_may_load(self):
        staff = self.client_for(self.staff)
        assert staff.get(self.url).status_code == 302  # admin site: to its login
