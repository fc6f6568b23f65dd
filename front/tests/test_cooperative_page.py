"""The cooperative's page (front/): what its panels show."""

from django.contrib.contenttypes.models import ContentType

from audit.models import AuditAction, AuditEvent
from cooperatives.models import CooperativeFigures
from tests.personas import PersonaTestCase


class AuditTrailTests(PersonaTestCase):
    def test_an_amount_in_the_trail_is_never_split_across_lines(self):
        figures = CooperativeFigures.objects.get(cooperative=self.coop_a)
        AuditEvent.objects.create(
            action=AuditAction.UPDATE,
            content_type=ContentType.objects.get_for_model(figures),
            object_id=str(figures.pk),
            object_repr=str(figures),
            cooperative=self.coop_a,
            changes={
                "aset": {
                    "label": "aset",
                    "old": "Rp 1.250.000",
                    "new": "Rp 2.317.301.000",
                }
            },
        )
        for user in (self.staff, self.officer_a):
            page = self.client_for(user).get(self.coop_a.get_absolute_url())
            self.assertContains(page, "Rp\u00a01.250.000</del>")
            self.assertContains(page, "Rp\u00a02.317.301.000</ins>")


class OfficerPanelTests(PersonaTestCase):
    def test_two_sitting_ketua_are_pointed_out(self):
        from cooperatives.models import Officer, Position

        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertNotContains(page, 'data-testid="several-ketua"')
        # The persona officer is coop A's sitting Ketua; a new one is entered.
        Officer.objects.create(
            cooperative=self.coop_a, name="Siti Rahmawati", position=Position.KETUA
        )
        page = self.client_for(self.staff).get(self.coop_a.get_absolute_url())
        self.assertContains(page, 'data-testid="several-ketua"')
        self.assertContains(page, "Siti Rahmawati")
