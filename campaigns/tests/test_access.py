"""Every staff page of a campaign: an officer (of any cooperative) gets a 404, the
anonymous visitor the login page; POST-only views refuse GET."""

from django.urls import reverse

from campaigns.models import CampaignLetter, Evidence, Objection
from campaigns.tests.base import CampaignTestCase


class AccessTests(CampaignTestCase):
    evidence: Evidence
    objection: Objection
    letter: CampaignLetter

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.evidence = Evidence.objects.create(
            item=cls.item_b, kind="kunjungan", on="2026-01-01"
        )
        cls.objection = Objection.objects.create(
            item=cls.item_b, name="A", contact="B", text="C"
        )
        cls.letter = CampaignLetter.objects.create(
            item=cls.item_b,
            kind="pemberitahuan",
            sequence=1,
            number="001/X/2025",
            issued_on="2026-01-01",
            verification_token="00000000-0000-0000-0000-0000000000aa",
            job=cls.campaign.jobs.get(),
        )

    def staff_urls(self) -> list[tuple[str, str]]:
        kel = self.coop_b.kelurahan_id
        return [
            ("get", reverse("campaigns:list")),
            ("get", reverse("campaigns:detail", args=[2025])),
            ("post", reverse("campaigns:open", args=[2025])),
            ("post", reverse("campaigns:bulk_decide", args=[2025])),
            ("post", reverse("campaigns:close", args=[2025])),
            ("get", reverse("campaigns:job", args=[self.letter.job_id])),
            ("get", reverse("campaigns:job_download", args=[self.letter.job_id])),
            ("get", reverse("campaigns:item", args=[self.item_b.pk])),
            ("post", reverse("campaigns:item_decide", args=[self.item_b.pk])),
            ("post", reverse("campaigns:review", args=[self.evidence.pk])),
            ("get", reverse("campaigns:visit_kelurahan", args=[2025])),
            ("get", reverse("campaigns:visit_list", args=[2025, kel])),
            ("get", reverse("campaigns:visit", args=[self.item_b.pk])),
            (
                "get",
                reverse(
                    "campaigns:evidence_file", args=[self.evidence.pk, "dokumen", 0]
                ),
            ),
            ("get", reverse("campaigns:letters", args=[2025])),
            ("get", reverse("campaigns:objections", args=[2025])),
            ("post", reverse("campaigns:objection_decide", args=[self.objection.pk])),
            ("get", reverse("campaigns:objection_document", args=[self.objection.pk])),
            ("get", reverse("campaigns:downloads", args=[2025])),
            ("get", reverse("campaigns:download", args=[2025, "hasil"])),
        ]

    def test_officers_get_404_everywhere(self):
        for officer in (self.officer_a, self.officer_b):
            client = self.client_for(officer)
            for method, url in self.staff_urls():
                with self.subTest(url=url, officer=str(officer)):
                    response = getattr(client, method)(url)
                    self.assertEqual(response.status_code, 404)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        for method, url in self.staff_urls():
            with self.subTest(url=url):
                response = getattr(self.anonymous, method)(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/akun/login/", response["Location"])

    def test_post_only_views_refuse_get(self):
        client = self.client_for(self.staff)
        for method, url in self.staff_urls():
            if method == "post":
                with self.subTest(url=url):
                    self.assertEqual(client.get(url).status_code, 405)

    def test_an_officer_reaches_only_their_own_letter(self):
        url = reverse("campaigns:letter_pdf", args=[self.letter.pk])
        self.assertEqual(self.client_for(self.officer_a).get(url).status_code, 404)
