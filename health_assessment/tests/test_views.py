"""Assessment pages: what each persona may see and do, and the pages themselves."""

from decimal import Decimal

from django.urls import reverse

from health_assessment import services
from health_assessment.models import Assessment, AssessmentStatus
from tests.personas import PersonaTestCase

from .scoring_testing import FIGURES
from .test_services import complete_draft


class AssessmentViewTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        draft = services.assessment_start(
            cooperative=cls.coop_a, tahun_buku=2023, acting_user=cls.staff
        )
        cls.final = services.assessment_finalise(
            assessment=complete_draft(cls, draft), acting_user=cls.staff
        )
        cls.draft = services.assessment_start(
            cooperative=cls.coop_a, tahun_buku=2024, acting_user=cls.staff
        )

    def urls(self, assessment):
        return {
            name: reverse(f"health_assessment:{name}", args=[assessment.pk])
            for name in ("detail", "edit", "live", "revise", "pdf")
        }

    def test_staff_see_and_work_every_page(self):
        client = self.client_for(self.staff)
        final, draft = self.urls(self.final), self.urls(self.draft)
        page = client.get(final["detail"])
        assert page.status_code == 200
        self.assertContains(page, "92,73")
        self.assertContains(page, "Rencana naik kategori")
        self.assertContains(page, "Buat revisi")
        assert client.get(draft["edit"]).status_code == 200
        assert client.get(final["edit"]).status_code == 302  # final: to the result
        pdf = client.get(final["pdf"])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert client.get(draft["pdf"]).status_code == 404
        stats = client.get(reverse("health_assessment:statistics"))
        self.assertContains(stats, "Statistik kesehatan koperasi")

    def test_outsiders_get_404_for_everything_of_another_cooperative(self):
        client = self.client_for(self.officer_b)
        for assessment in (self.final, self.draft):
            for name, url in self.urls(assessment).items():
                method = client.post if name in ("live", "revise") else client.get
                assert method(url).status_code == 404, (name, assessment)
        for name in ("start", "historic_create"):
            url = reverse(f"health_assessment:{name}", args=[self.coop_a.pk])
            assert client.post(url, {"tahun_buku": 2022}).status_code == 404, name

    def test_officers_see_finalised_results_never_drafts_and_cannot_write(self):
        client = self.client_for(self.officer_a)
        final, draft = self.urls(self.final), self.urls(self.draft)
        page = client.get(final["detail"])
        assert page.status_code == 200
        self.assertNotContains(page, "Buat revisi")
        assert client.get(final["pdf"]).status_code == 200
        for url in draft.values():
            assert client.get(url).status_code in (404, 405)
        assert client.get(draft["detail"]).status_code == 404
        assert client.post(final["revise"], {"reason": "x"}).status_code == 403
        assert client.get(final["edit"]).status_code == 403
        start = reverse("health_assessment:start", args=[self.coop_a.pk])
        assert client.post(start, {"tahun_buku": 2022}).status_code == 403
        stats = reverse("health_assessment:statistics")
        assert client.get(stats).status_code == 403
        coop = client.get(self.coop_a.get_absolute_url())
        self.assertContains(coop, "<td>92,73</td>", html=False)
        self.assertNotContains(coop, "Mulai penilaian")
        self.assertNotContains(coop, self.draft.get_absolute_url())

    def test_anonymous_is_sent_to_login(self):
        for url in self.urls(self.final).values():
            response = self.anonymous.get(url)
            assert response.status_code in (302, 405)
        detail = self.anonymous.get(self.urls(self.final)["detail"])
        assert reverse("login") in detail["Location"]

    def test_post_only_views_reject_get(self):
        client = self.client_for(self.staff)
        for name in ("live", "revise"):
            assert client.get(self.urls(self.draft)[name]).status_code == 405
        start = reverse("health_assessment:start", args=[self.coop_a.pk])
        assert client.get(start).status_code == 405

    def test_start_saves_and_finalises_through_the_worksheet(self):
        client = self.client_for(self.staff)
        start = reverse("health_assessment:start", args=[self.coop_a.pk])
        response = client.post(start, {"tahun_buku": 2022})
        assessment = Assessment.objects.get(tahun_buku=2022)
        self.assertRedirects(
            response, reverse("health_assessment:edit", args=[assessment.pk])
        )
        ruleset = assessment.ruleset.parsed()
        # A ratio's formula in the worksheet's words, not the rule set's names.
        page = client.get(reverse("health_assessment:edit", args=[assessment.pk]))
        self.assertContains(
            page, "Rumus: SHU bersih (setelah pajak) ÷ Total aset × 100"
        )
        self.assertNotContains(page, "shu / total_aset")
        data = {
            f"input_{n}": f"{FIGURES[n]:,}".replace(",", ".")
            for n in (i.name for i in ruleset.inputs)
        }
        data.update(
            {f"item_{item.code}": "on" for i in ruleset.indicators for item in i.items}
        )
        data["total_aset"] = "x"
        live = client.post(
            reverse("health_assessment:live", args=[assessment.pk]), data
        )
        self.assertContains(live, 'id="live-kk_roa" hx-swap-oob="true"')
        self.assertContains(live, "5,00%")
        bad = dict(data, input_shu="banyak")
        response = client.post(
            reverse("health_assessment:edit", args=[assessment.pk]), bad
        )
        assert response.status_code == 200  # form error shown, nothing saved
        self.assertContains(
            response,
            "Draf belum disimpan. Perbaiki isian yang ditandai: SHU bersih (setelah "
            "pajak).",
        )
        # The scores beside it are those of the page as typed, as the live panel
        # gives them, not the saved (empty) draft's.
        live_bad = client.post(
            reverse("health_assessment:live", args=[assessment.pk]), bad
        )
        assert response.context["result"] == live_bad.context["result"]
        # The amount typed is said to be unreadable, not empty ("data kosong"),
        # named by its label on the worksheet (the rule set's "shu" was no name
        # the assessor could find; "beban pokok" named another field).
        unreadable = "isian tidak terbaca: SHU bersih (setelah pajak)"
        self.assertContains(live_bad, unreadable)
        self.assertContains(response, unreadable)
        self.assertNotContains(live_bad, "data kosong: SHU")
        assert response.context["result"] != services.assessment_score(assessment)[2]
        data["action"] = "finalise"
        response = client.post(
            reverse("health_assessment:edit", args=[assessment.pk]), data
        )
        assessment.refresh_from_db()
        assert assessment.status == AssessmentStatus.FINAL
        self.assertRedirects(response, assessment.get_absolute_url())

    def test_a_manual_score_without_its_reason_is_asked_for_not_a_500(self):
        # Picking a manual score before typing its reason (the natural order)
        # broke the live panel, and saving so gave a 500 that lost the page.
        ruleset = self.draft.ruleset.parsed()
        indicator = next(i for i in ruleset.indicators if not i.is_checklist)
        data = {f"skor_{indicator.code}": "4", "input_shu": "1.000.000"}
        client = self.client_for(self.staff)
        live = client.post(self.urls(self.draft)["live"], data)
        assert live.status_code == 200
        response = client.post(self.urls(self.draft)["edit"], data)
        assert response.status_code == 200
        self.assertContains(response, "Tuliskan alasan skor yang ditetapkan manual.")
        self.assertContains(
            response, f"Perbaiki isian yang ditandai: Alasan ({indicator.name})."
        )
        # The refused reason's section is open, not folded away.
        self.assertContains(response, '<details class="small mt-1" open>')
        self.assertContains(response, 'value="1.000.000"')
        assert response.context["result"] == live.context["result"]
        # A reason typed but too long is said so, not missing as well.
        long = client.post(
            self.urls(self.draft)["edit"],
            {**data, f"reason_{indicator.code}": "x" * 600},
        )
        self.assertContains(long, "paling banyak 500 karakter")
        self.assertNotContains(long, "Tuliskan alasan skor yang ditetapkan manual.")

    def test_finalising_is_offered_only_when_it_can_be_done(self):
        # Offered with a manual score lacking its reason, it asked "Finalisasi?"
        # and then refused the whole page; with data missing, it did not say
        # which indicator.
        ruleset = self.draft.ruleset.parsed()
        data = {
            f"input_{n}": f"{FIGURES[n]:,}".replace(",", ".")
            for n in (i.name for i in ruleset.inputs)
        }
        data.update(
            {f"item_{item.code}": "on" for i in ruleset.indicators for item in i.items}
        )
        client = self.client_for(self.staff)
        ready = client.post(self.urls(self.draft)["live"], data).content.decode()
        box = ready.split('id="finalise-box"')[1].split("</span>")[0]
        assert "disabled" not in _button(box) and 'id="finalise-why"' not in box
        indicator = next(i for i in ruleset.indicators if not i.is_checklist)
        manual = {**data, f"skor_{indicator.code}": "3"}
        page = client.post(self.urls(self.draft)["live"], manual).content.decode()
        box = page.split('id="finalise-box"')[1]
        assert "disabled" in _button(box)
        assert f"Perbaiki dulu isian yang ditandai: Alasan ({indicator.name})." in box
        missing = {k: v for k, v in data.items() if k != "input_total_aset"}
        page = client.post(self.urls(self.draft)["live"], missing).content.decode()
        box = page.split('id="finalise-box"')[1]
        assert "belum punya data:" in box and 'href="#live-' in box

    def test_a_second_tab_keeps_what_the_first_one_saved(self):
        # Tab A ticked a checklist and saved; tab B, opened before, saved a figure
        # and wiped A's ticks without a word.
        ruleset = self.draft.ruleset.parsed()
        items = next(i for i in ruleset.indicators if i.is_checklist).items
        edit = self.urls(self.draft)["edit"]
        tab_a, tab_b = self.client_for(self.staff), self.client_for(self.staff)
        seen_a = tab_a.get(edit).context["form"].initial["seen"]
        seen_b = tab_b.get(edit).context["form"].initial["seen"]
        ticks = {f"item_{item.code}": "on" for item in items}
        self.assertRedirects(tab_a.post(edit, {**ticks, "seen": seen_a}), edit)
        self.assertRedirects(
            tab_b.post(edit, {"input_shu": "1.000.000", "seen": seen_b}), edit
        )
        self.draft.refresh_from_db()
        assert all(self.draft.checklist[item.code] for item in items)
        assert Decimal(str(self.draft.figures["shu"])) == Decimal("1000000")
        # Both changed the same figure: refused, naming its value now.
        response = tab_a.post(edit, {**ticks, "input_shu": "2.000.000", "seen": seen_a})
        self.assertContains(response, "Sudah diubah menjadi")
        self.draft.refresh_from_db()
        assert Decimal(str(self.draft.figures["shu"])) == Decimal("1000000")

    def test_a_negative_total_aset_is_refused(self):
        # -3.500.000.000 was scored, finalised and published ("Dalam
        # Pengawasan"), the live panel showing -600.000.000,00 %.
        response = self.client_for(self.staff).post(
            self.urls(self.draft)["edit"], {"input_total_aset": "-3.500.000.000"}
        )
        self.assertContains(response, "Tidak boleh negatif.")
        self.assertContains(response, "Draf belum disimpan")
        # A loss stays a loss.
        response = self.client_for(self.staff).post(
            self.urls(self.draft)["edit"], {"input_shu": "-50.000.000"}
        )
        self.assertRedirects(response, self.urls(self.draft)["edit"])

    def test_amounts_that_cannot_be_below_zero_are_refused_whatever_their_source(
        self,
    ):
        # Only the inputs the registry prefills refused a minus; a negative
        # aset lancar, kewajiban or ATMR was saved and scored.
        for coop, names in (
            (self.coop_a, ("aset_lancar", "kewajiban_lancar", "beban_usaha")),
            (self.coop_b, ("pinjaman_diberikan", "atmr", "simpanan_pokok")),
        ):
            draft = services.assessment_start(
                cooperative=coop, tahun_buku=2024, acting_user=self.staff
            )
            edit = self.urls(draft)["edit"]
            for name in names:
                with self.subTest(name):
                    response = self.client_for(self.staff).post(
                        edit, {f"input_{name}": "-1.000.000"}
                    )
                    self.assertContains(response, "Tidak boleh negatif.")
        # Equity and results may be: a loss, or debts above the assets.
        draft = Assessment.objects.filter(cooperative=self.coop_a).latest("pk")
        for name in ("ekuitas", "shu_kotor"):
            response = self.client_for(self.staff).post(
                self.urls(draft)["edit"], {f"input_{name}": "-1.000.000"}
            )
            self.assertRedirects(response, self.urls(draft)["edit"])

    def test_scores_not_computed_yet_read_as_a_dash_not_none(self):
        # "None" in the score column, and "skor · belum dapat dihitung".
        for language in ("id", "en"):
            client = self.client_for(self.staff)
            client.cookies["django_language"] = language
            page = client.get(self.urls(self.draft)["detail"])
            self.assertNotContains(page, ">None<")
            self.assertNotContains(page, "None</")
            self.assertNotContains(page, " ·  · ")

    def test_this_years_books_are_not_assessed_yet(self):
        from django.utils import timezone

        start = reverse("health_assessment:start", args=[self.coop_a.pk])
        response = self.client_for(self.staff).post(
            start, {"tahun_buku": timezone.localdate().year}, follow=True
        )
        self.assertContains(response, "hanya untuk tahun buku yang sudah berakhir")
        assert not Assessment.objects.filter(
            tahun_buku=timezone.localdate().year
        ).exists()

    def test_finalising_with_missing_data_says_what_is_missing(self):
        client = self.client_for(self.staff)
        response = client.post(
            reverse("health_assessment:edit", args=[self.draft.pk]),
            {"action": "finalise"},
            follow=True,
        )
        self.assertContains(response, "Belum dapat difinalisasi")
        self.draft.refresh_from_db()
        assert self.draft.is_draft

    def test_revision_from_the_result_page(self):
        client = self.client_for(self.staff)
        response = client.post(
            self.urls(self.final)["revise"], {"reason": "Aset salah"}
        )
        revision = Assessment.objects.get(revision=2)
        self.assertRedirects(
            response, reverse("health_assessment:edit", args=[revision.pk])
        )

    def test_historic_result_form(self):
        client = self.client_for(self.staff)
        url = reverse("health_assessment:historic_create", args=[self.coop_a.pk])
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "tahun_buku": 2016,
                "instrument": "Perdep 06/2016",
                "final_score": "67.80",
                "label": "cukup sehat",
            },
        )
        self.assertRedirects(response, self.coop_a.get_absolute_url())
        refused = client.post(
            url,
            {
                "tahun_buku": 2016,
                "instrument": "Perdep 06/2016",
                "final_score": "67.80",
                "label": "cukup sehat",
            },
        )
        self.assertContains(refused, "sudah punya penilaian")

    def test_historic_results_take_a_closed_year_and_a_decimal_comma(self):
        # A result "recorded" for this year was published at once; "75,5", as
        # the pages write scores, was "Masukkan sebuah bilangan."
        from django.utils import timezone

        client = self.client_for(self.staff)
        url = reverse("health_assessment:historic_create", args=[self.coop_a.pk])
        data = {"instrument": "Permen 14/2009", "label": "Sehat"}
        this_year = timezone.localdate().year
        refused = client.post(
            url, {**data, "tahun_buku": this_year, "final_score": "75"}
        )
        self.assertContains(refused, "hanya untuk tahun buku yang sudah berakhir")
        assert not Assessment.objects.filter(tahun_buku=this_year).exists()
        response = client.post(url, {**data, "tahun_buku": 2015, "final_score": "75,5"})
        self.assertRedirects(response, self.coop_a.get_absolute_url())
        assert Assessment.objects.get(tahun_buku=2015).final_score == Decimal("75.5")

    def test_a_year_below_the_range_is_said_once(self):
        start = reverse("health_assessment:start", args=[self.coop_a.pk])
        response = self.client_for(self.staff).post(
            start, {"tahun_buku": "-1"}, follow=True
        )
        page = response.content.decode()
        assert page.count("tidak boleh sebelum tahun 1900") == 1
        assert "1990" not in page

    def test_public_verification_page_confirms_a_result_without_login(self):
        url = reverse("public:verify_assessment", args=[self.final.verification_token])
        page = self.anonymous.get(url)
        self.assertContains(page, "Koperasi Alpha Sejahtera")
        self.assertContains(page, "92,73")
        draft_url = reverse(
            "public:verify_assessment", args=[self.draft.verification_token]
        )
        # A draft is no result the office issued: its code is not registered.
        self.assertContains(
            self.anonymous.get(draft_url), "tidak terdaftar", status_code=404
        )

    def test_statistics_count_results_in_force(self):
        client = self.client_for(self.staff)
        with self.assertNumQueries(5):  # session, user, three grouped counts
            page = client.get(reverse("health_assessment:statistics"))
        assert page.context["data"]["by_year"] == [
            {"label": "2023", "counts": [1, 0, 0, 0], "total": 1}
        ]
        assert page.context["data"]["by_kecamatan"][0]["total"] == 1

    def test_advice_by_items_reads_without_a_space_before_its_points(self):
        from decimal import Decimal

        from django.template.loader import render_to_string

        advice = [
            {
                "code": "x",
                "name": "Kelembagaan",
                "items_needed": 2,
                "target_skor": 2,
                "points": Decimal("0.44"),
            }
        ]
        html = render_to_string("health_assessment/_advice.html", {"advice": advice})
        self.assertIn("penuhi 2 butir lagi untuk skor 2; ", html)

    def test_the_pdf_carries_the_advice_and_a_signature_block(self):
        from django.test import RequestFactory

        from health_assessment.documents import result_html

        request = RequestFactory().get("/")
        request.user = self.staff
        html = result_html(assessment=self.final, request=request)
        self.assertIn("Rencana naik kategori", html)
        self.assertIn('id="advice-list"', html)
        self.assertIn("data-advice=", html)
        self.assertIn('id="signature"', html)
        self.assertIn("Kepala Dinas Koperasi UMKM dan Perindustrian", html)
        self.assertIn(f"Penilai: {self.staff}", html)


def _button(html):
    """The opening tag of the first button in ``html``."""
    return html.split("<button", 1)[1].split(">", 1)[0]
