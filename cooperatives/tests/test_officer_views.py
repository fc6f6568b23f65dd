"""officer_add and officer_deactivate."""

import datetime

from django.urls import reverse

from audit.models import AuditEvent
from tests.personas import PersonaTestCase


class OfficerViewTests(PersonaTestCase):
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
