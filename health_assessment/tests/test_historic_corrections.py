"""A recorded historic result is never revised through the scoring path: its
correction is a new historic record that replaces it."""

from django.urls import reverse

from health_assessment import services
from health_assessment.models import Assessment, AssessmentStatus
from tests.personas import PersonaTestCase

from .test_services import complete_draft


class HistoricCorrectionTests(PersonaTestCase):
    def record(self, score="62,45", reason="", year=2015):
        return services.assessment_record_historic(
            cooperative=self.coop_a,
            tahun_buku=year,
            instrument="Permen 14/2009",
            final_score=score,
            label="Kurang Sehat",
            acting_user=self.staff,
            reason=reason,
        )

    def test_revising_a_historic_result_is_refused_and_makes_no_draft(self):
        old = self.record()
        client = self.client_for(self.staff)
        response = client.post(
            reverse("health_assessment:revise", args=[old.pk]),
            {"reason": "Salah ketik"},
            follow=True,
        )
        self.assertContains(response, "Hasil lama yang dicatat tidak dapat direvisi")
        assert not Assessment.objects.filter(status=AssessmentStatus.DRAFT).exists()
        assert client.get(old.get_absolute_url()).status_code == 200

    def test_a_corrected_historic_record_replaces_the_old_one(self):
        old = self.record()
        with self.assertRaisesMessage(services.AssessmentRefused, "alasan koreksi"):
            self.record(score="72")
        new = self.record(score="72", reason="Skor salah salin dari arsip.")
        old.refresh_from_db()
        assert (new.revision, new.revision_of, new.is_in_force) == (2, old, True)
        assert old.is_superseded and new.revision_reason.startswith("Skor salah")
        page = self.client_for(self.staff).get(new.get_absolute_url())
        assert page.status_code == 200

    def test_a_year_with_a_scored_result_takes_no_historic_record(self):
        draft = services.assessment_start(
            cooperative=self.coop_a, tahun_buku=2024, acting_user=self.staff
        )
        services.assessment_finalise(
            assessment=complete_draft(self, draft), acting_user=self.staff
        )
        with self.assertRaisesMessage(services.AssessmentRefused, "sudah punya"):
            self.record(reason="apa pun", year=2024)
