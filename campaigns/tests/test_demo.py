"""The demo's Pemutakhiran 2025, half way through."""

import io

from django.core.management import call_command
from django.test import TestCase

from campaigns.models import Campaign, EvidenceState, ProposedClass
from campaigns.selectors import objection_period_items
from cooperatives.models import CooperativeStatus


class DemoCampaignTests(TestCase):
    campaign: Campaign

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        cls.campaign = Campaign.objects.get(year=2025)

    def test_about_100_of_the_440_aktif_are_proposed_a_or_b(self):
        aktif = self.campaign.items.filter(baseline_status=CooperativeStatus.AKTIF)
        self.assertEqual(aktif.count(), 440)
        active = aktif.filter(proposed_class__in=[ProposedClass.A, ProposedClass.B])
        self.assertTrue(90 <= active.count() <= 120, active.count())

    def test_it_is_half_way(self):
        items = self.campaign.items
        self.assertEqual(items.count(), 587 - 12)  # not the 12 Dibubarkan
        self.assertTrue(
            items.filter(evidence_state=EvidenceState.TERVERIFIKASI).exists()
        )
        self.assertTrue(items.filter(evidence_state=EvidenceState.MENUNGGU).exists())
        self.assertTrue(items.filter(proposed_class=ProposedClass.E).exists())
        self.assertEqual(items.exclude(decision="").count(), 20)
        from django.utils import timezone

        self.assertEqual(len(objection_period_items(today=timezone.localdate())), 2)

    def test_a_second_run_changes_nothing(self):
        before = self.campaign.items.count()
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        self.assertEqual(Campaign.objects.count(), 1)
        self.assertEqual(self.campaign.items.count(), before)
