"""Officers read only the audit rows decided for them; concerns stay with the Dinas."""

from django.contrib.contenttypes.models import ContentType

from audit.models import AuditAction, AuditEvent
from audit.visibility import OFFICER_SEES
from public.services import concern_submit
from tests.personas import PersonaTestCase


class AuditVisibilityTests(PersonaTestCase):
    def page(self, user) -> str:
        url = self.coop_a.get_absolute_url()
        response = self.client_for(user).get(url)
        assert response.status_code == 200
        return response.content.decode()

    def test_each_kind_of_row_is_shown_to_officers_as_decided(self):
        for index, (label, action) in enumerate(OFFICER_SEES):
            app_label, model = label.split(".")
            AuditEvent.objects.create(
                action=action,
                content_type=ContentType.objects.get_by_natural_key(app_label, model),
                object_id=str(index),
                object_repr=f"penanda-{index}-x",
                cooperative=self.coop_a,
            )
        staff_page, officer_page = self.page(self.staff), self.page(self.officer_a)
        for index, ((label, action), visible) in enumerate(OFFICER_SEES.items()):
            marker = f"penanda-{index}-x"
            with self.subTest(label=label, action=action):
                assert marker in staff_page
                assert (marker in officer_page) is visible

    def test_a_kind_of_row_nobody_decided_on_stays_with_the_dinas(self):
        AuditEvent.objects.create(
            action=AuditAction.EXPORT,
            content_type=ContentType.objects.get_for_model(self.coop_a),
            object_id=str(self.coop_a.pk),
            object_repr="ekspor-tak-diputuskan",
            cooperative=self.coop_a,
        )
        assert "ekspor-tak-diputuskan" in self.page(self.staff)
        assert "ekspor-tak-diputuskan" not in self.page(self.officer_a)

    def test_officers_do_not_learn_that_a_member_complained(self):
        concern = concern_submit(
            cooperative=self.coop_a,
            ip="10.0.0.1",
            message="Pengurus belum mengadakan RAT selama tiga tahun berturut-turut.",
        )
        assert concern.reference in self.page(self.staff)
        officer_page = self.page(self.officer_a)
        assert concern.reference not in officer_page
        assert "Laporan masyarakat" not in officer_page
