"""The staff pages: list and create, open, the campaign page, an item, decisions."""

import datetime
import re

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from campaigns.models import (
    Campaign,
    CampaignItem,
    CampaignJob,
    CampaignStatus,
    JobStatus,
)
from campaigns.tests.base import CampaignTestCase, dissolve
from cooperatives.models import CooperativeStatus, StatusChange
from tests.personas import make_cooperative


class CampaignListTests(CampaignTestCase):
    url = reverse("campaigns:list")

    def test_staff_see_the_campaigns(self):
        response = self.client_for(self.staff).get(self.url)
        self.assertContains(response, "Pemutakhiran 2025")

    def test_staff_create_a_draft(self):
        response = self.client_for(self.staff).post(
            self.url, {"year": 2026, "window_years": 2}
        )
        campaign = Campaign.objects.get(year=2026)
        self.assertRedirects(response, campaign.get_absolute_url())
        self.assertEqual(campaign.status, CampaignStatus.DRAF)
        self.assertEqual(campaign.window_years, 2)

    def test_a_year_twice_is_a_form_error_not_a_500(self):
        response = self.client_for(self.staff).post(
            self.url, {"year": 2025, "window_years": 3}
        )
        self.assertContains(response, "Pemutakhiran 2025 sudah ada.")

    def test_officers_and_anonymous_are_kept_out(self):
        self.assertEqual(self.client_for(self.officer_a).get(self.url).status_code, 404)
        self.assertEqual(self.anonymous.get(self.url).status_code, 302)


class DeleteDraftTests(CampaignTestCase):
    def test_staff_delete_a_draft_made_by_mistake(self):
        Campaign.objects.create(year=2026, cutoff_date="2027-03-31")
        client = self.client_for(self.staff)
        page = client.get(reverse("campaigns:detail", args=[2026]))
        self.assertContains(page, "Hapus draf</button>")
        response = client.post(reverse("campaigns:delete", args=[2026]), follow=True)
        self.assertContains(response, "Draf pemutakhiran 2026 dihapus.")
        self.assertFalse(Campaign.objects.filter(year=2026).exists())
        self.assertTrue(
            AuditEvent.objects.filter(action="delete", object_repr__contains="2026")
        )

    def test_a_draft_deleted_twice_says_so(self):
        # Two members of staff at once: the one that waited for the lock had
        # a server error, and one a moment later a bare 404.
        from campaigns.services import CampaignGone, campaign_draft_delete

        draft = Campaign.objects.create(year=2026, cutoff_date="2027-03-31")
        Campaign.objects.filter(pk=draft.pk).delete()
        with self.assertRaisesMessage(CampaignGone, "sudah dihapus"):
            campaign_draft_delete(acting_user=self.staff, campaign=draft)
        response = self.client_for(self.staff).post(
            reverse("campaigns:delete", args=[2026]), follow=True
        )
        self.assertContains(response, "Draf pemutakhiran itu sudah dihapus.")
        url = reverse("campaigns:delete", args=[2026])
        self.assertEqual(self.client_for(self.officer_a).post(url).status_code, 404)

    def test_a_running_campaign_is_not_deleted(self):
        client = self.client_for(self.staff)
        page = client.get(reverse("campaigns:detail", args=[2025]))
        self.assertNotContains(page, "Hapus draf")
        response = client.post(reverse("campaigns:delete", args=[2025]), follow=True)
        self.assertContains(response, "Hanya pemutakhiran berstatus Draf")
        self.assertTrue(Campaign.objects.filter(year=2025).exists())

    def test_officers_and_anonymous_are_kept_out(self):
        Campaign.objects.create(year=2026, cutoff_date="2027-03-31")
        url = reverse("campaigns:delete", args=[2026])
        self.assertEqual(self.client_for(self.officer_a).post(url).status_code, 404)
        self.assertEqual(self.anonymous.post(url).status_code, 302)
        self.assertTrue(Campaign.objects.filter(year=2026).exists())


class OpenViewTests(CampaignTestCase):
    def test_one_campaign_runs_at_a_time(self):
        Campaign.objects.create(year=2024, cutoff_date="2025-03-31")
        response = self.client_for(self.staff).post(
            reverse("campaigns:open", args=[2024]), follow=True
        )
        self.assertContains(response, "Pemutakhiran 2025 masih berjalan")
        self.assertEqual(Campaign.objects.get(year=2024).status, CampaignStatus.DRAF)
        # The draft's page says so in place of a button that would be refused.
        page = self.client_for(self.staff).get(reverse("campaigns:detail", args=[2024]))
        self.assertContains(page, 'data-testid="another-running"')
        self.assertContains(page, "Pemutakhiran 2025 sedang berjalan")
        self.assertNotContains(page, "Buka pemutakhiran</button>")

    def test_a_closed_campaign_is_said_closed_not_open(self):
        Campaign.objects.filter(year=2025).update(status=CampaignStatus.DITUTUP)
        response = self.client_for(self.staff).post(
            reverse("campaigns:open", args=[2025]), follow=True
        )
        self.assertContains(response, "Pemutakhiran ini sudah ditutup")

    def test_a_tahun_buku_not_yet_ended_is_not_opened(self):
        this_year = timezone.localdate().year
        Campaign.objects.create(year=this_year, cutoff_date=f"{this_year + 1}-03-31")
        client = self.client_for(self.staff)
        response = client.post(reverse("campaigns:open", args=[this_year]), follow=True)
        self.assertContains(response, f"Tahun buku {this_year} belum berakhir")
        self.assertContains(response, f"dapat dibuka mulai 1 Januari {this_year + 1}")
        campaign = Campaign.objects.get(year=this_year)
        self.assertEqual(campaign.status, CampaignStatus.DRAF)
        self.assertFalse(campaign.jobs.exists())
        # Its page offers no button that is always refused, and says when.
        page = client.get(campaign.get_absolute_url())
        self.assertNotContains(page, "Buka pemutakhiran</button>")
        self.assertContains(page, f"dapat dibuka mulai 1 Januari {this_year + 1}")

    def test_staff_open_a_draft_and_follow_the_job(self):
        Campaign.objects.filter(year=2025).update(status=CampaignStatus.DITUTUP)
        Campaign.objects.create(year=2024, cutoff_date="2025-03-31")
        client = self.client_for(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(reverse("campaigns:open", args=[2024]))
        campaign = Campaign.objects.get(year=2024)
        job = campaign.jobs.get()
        self.assertRedirects(response, job.get_absolute_url())
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.DONE)
        self.assertContains(client.get(job.get_absolute_url()), "Selesai: 2 koperasi.")

    def test_a_second_click_while_it_opens_follows_the_first_job(self):
        # Enqueued twice, two workers (production runs two) would each start
        # the opening over, discarding the other's items.
        Campaign.objects.filter(year=2025).update(status=CampaignStatus.DITUTUP)
        Campaign.objects.create(year=2024, cutoff_date="2025-03-31")
        client = self.client_for(self.staff)
        url = reverse("campaigns:open", args=[2024])
        with self.captureOnCommitCallbacks() as first:
            client.post(url)
        with self.captureOnCommitCallbacks() as second:
            response = client.post(url, follow=True)
        job = Campaign.objects.get(year=2024).jobs.get()
        self.assertEqual(len(first), 1)
        self.assertEqual(second, [])
        self.assertRedirects(response, job.get_absolute_url())
        self.assertContains(response, "sudah diminta dan belum selesai")
        # One no worker took for long was lost on its way: asked again, it is
        # handed out again (it had stayed "Menunggu" for good).
        CampaignJob.objects.filter(pk=job.pk).update(
            created_at=timezone.now() - datetime.timedelta(minutes=11)
        )
        with self.captureOnCommitCallbacks() as third:
            response = client.post(url)
        self.assertEqual(len(third), 1)
        self.assertRedirects(
            response, job.get_absolute_url(), fetch_redirect_response=False
        )
        self.assertEqual(Campaign.objects.get(year=2024).jobs.count(), 1)

    def test_opening_twice_says_so(self):
        response = self.client_for(self.staff).post(
            reverse("campaigns:open", args=[2025]), follow=True
        )
        self.assertContains(response, "sudah dibuka")

    def test_open_is_post_only_and_for_staff(self):
        url = reverse("campaigns:open", args=[2025])
        self.assertEqual(self.client_for(self.staff).get(url).status_code, 405)
        self.assertEqual(self.client_for(self.officer_a).post(url).status_code, 404)

    def test_job_page_is_for_staff(self):
        job = self.campaign.jobs.get()
        url = job.get_absolute_url()
        self.assertEqual(self.client_for(self.staff).get(url).status_code, 200)
        self.assertEqual(self.client_for(self.officer_a).get(url).status_code, 404)


class CampaignPageTests(CampaignTestCase):
    def url(self, **params: str) -> str:
        base = reverse("campaigns:detail", args=[2025])
        return base + (
            "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
        )

    def test_it_shows_counts_and_the_list(self):
        response = self.client_for(self.staff).get(self.url())
        summary = response.context["summary"]
        self.assertEqual(summary.total, 2)
        self.assertEqual(summary.totals.by_class, [1, 0, 1, 0, 0, 0])
        self.assertContains(response, "Koperasi Alpha Sejahtera")
        self.assertContains(response, "0 dari 2 koperasi terverifikasi")

    def test_a_cooperative_moved_since_opening_counts_where_it_is_now(self):
        # Its copy of the kecamatan, made at opening, kept it in the old one on
        # this page and its filter, while the registry and R1 had it moved.
        from cooperatives.models import Kelurahan

        before = self.coop_b.kelurahan.kecamatan
        there = Kelurahan.objects.exclude(kecamatan=before).first()
        type(self.coop_b).objects.filter(pk=self.coop_b.pk).update(kelurahan=there)
        client = self.client_for(self.staff)
        rows = {
            r.name: r.by_class for r in client.get(self.url()).context["summary"].rows
        }
        self.assertEqual(rows[there.kecamatan.name][2], 1)  # class C
        self.assertEqual(rows.get(before.name, [0, 0, 0])[2], 0)
        moved = client.get(self.url(kecamatan=str(there.kecamatan_id)))
        self.assertContains(moved, self.coop_b.name)
        left = client.get(self.url(kecamatan=str(before.pk)))
        self.assertNotContains(left, self.coop_b.name)

    def test_the_next_steps_say_what_waits_and_lead_to_it(self):
        from campaigns.models import Evidence, EvidenceKind, EvidenceStatus
        from campaigns.services import item_recompute

        client = self.client_for(self.staff)
        page = client.get(self.url())
        steps = page.content.decode().split('data-testid="next-steps"')[1]
        steps = steps.split("</section>")[0]
        # Coop B (class C) waits for its first letter.
        self.assertIn("1 koperasi menunggu Surat pemberitahuan pemutakhiran", steps)
        self.assertIn(reverse("campaigns:letters", args=[2025]), steps)
        self.assertNotIn("menunggu diperiksa", steps)
        Evidence.objects.create(
            item=self.item_b,
            kind=EvidenceKind.KUNJUNGAN,
            status=EvidenceStatus.MENUNGGU,
            on=timezone.localdate(),
        )
        item_recompute(self.item_b)
        self.item_b.save()
        page = client.get(self.url())
        self.assertContains(page, "1 koperasi punya bukti yang menunggu diperiksa")
        self.assertContains(page, 'href="?bukti=menunggu#filters"')
        # Past the cut-off, the statuses to decide: as many as the list opens
        # (a cooperative dissolved since opening is none of them).
        self.assertContains(page, "2 koperasi belum diputuskan statusnya")
        dissolve(self.coop_a, by=self.staff)
        page = client.get(self.url())
        self.assertContains(page, "1 koperasi belum diputuskan statusnya")
        listed = client.get(self.url(keputusan="belum"))
        self.assertEqual(listed.context["page"].paginator.count, 1)

    def test_the_list_filters_by_class(self):
        response = self.client_for(self.staff).get(self.url(kelas="C"))
        self.assertEqual(
            [i.cooperative for i in response.context["page"]], [self.coop_b]
        )

    def test_a_map_s_kelurahan_stays_in_the_filter_bar(self):
        # A map's area links to ?kelurahan= alone: the bar showed no kelurahan,
        # and the next filter sent dropped it, listing the whole city (which a
        # decision for all then covered).
        kelurahan = self.coop_b.kelurahan
        response = self.client_for(self.staff).get(self.url(kelurahan=kelurahan.pk))
        self.assertEqual(
            [i.cooperative for i in response.context["page"]], [self.coop_b]
        )
        form = response.content.decode()
        form = form[
            form.index('id="filters"') : form.index(
                "</form>", form.index('id="filters"')
            )
        ]
        self.assertRegex(
            form, rf'<option value="{kelurahan.pk}" data-kecamatan="\d+" selected>'
        )
        self.assertIn(f'<option value="{kelurahan.kecamatan_id}" selected>', form)
        # Typed by hand with a leading zero, it is the same kelurahan, shown.
        response = self.client_for(self.staff).get(
            self.url(kelurahan=f"0{kelurahan.pk}")
        )
        self.assertEqual(
            [i.cooperative for i in response.context["page"]], [self.coop_b]
        )
        self.assertRegex(
            response.content.decode(),
            rf'<option value="{kelurahan.pk}" data-kecamatan="\d+" selected>',
        )

    def test_region_filters_that_are_no_id_are_left_out(self):
        client = self.client_for(self.staff)
        for value in ("\u00b2", "99999999999999999999", "-1", "abc"):
            for name in ("kecamatan", "kelurahan"):
                with self.subTest(name=name, value=value):
                    response = client.get(self.url(**{name: value}))
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(len(response.context["page"]), 2)

    def test_the_page_costs_the_same_queries_for_more_cooperatives(self):
        client = self.client_for(self.staff)
        client.get(self.url())  # session and caches warm
        # 21: one of them the ids of the whole filtered list, whose digest the
        # decision for all of them must find again, and one those of them
        # dissolved since opening, which it passes over; one the RAT reports
        # waiting and one the letters still asking to confirm, which the close
        # prompt names; one the cooperatives in their objection period, which
        # hold it; one the kelurahan of the filter bar; three the letters due
        # today (the items, their letters, their objections).
        with self.assertNumQueries(21):
            client.get(self.url())
        Campaign.objects.create(year=2030, cutoff_date="2031-03-31")  # a draft
        for n in range(30):
            make_cooperative(f"Kop Tambahan {n}", last_rat_year=2020 + n % 6)
        from campaigns.tests.base import open_campaign

        open_campaign(2022)
        with self.assertNumQueries(21):
            client.get(reverse("campaigns:detail", args=[2022]))

    def test_a_cut_off_date_gone_by_is_said(self):
        # "Berjalan, batas 31 Maret 2026" read on 7 December as if still ahead.
        client = self.client_for(self.staff)
        Campaign.objects.filter(pk=self.campaign.pk).update(
            cutoff_date=timezone.localdate() - datetime.timedelta(days=1)
        )
        for url in (self.url(), reverse("campaigns:list")):
            self.assertContains(client.get(url), 'data-testid="past-cutoff"')
        Campaign.objects.filter(pk=self.campaign.pk).update(
            cutoff_date=timezone.localdate()
        )
        for url in (self.url(), reverse("campaigns:list")):
            self.assertNotContains(client.get(url), 'data-testid="past-cutoff"')

    def test_outsiders_get_404(self):
        self.assertEqual(
            self.client_for(self.officer_a).get(self.url()).status_code, 404
        )
        missing = reverse("campaigns:detail", args=[1999])
        self.assertEqual(self.client_for(self.staff).get(missing).status_code, 404)


class DecisionTests(CampaignTestCase):
    def test_staff_decide_one_item_through_the_status_service(self):
        url = reverse("campaigns:item_decide", args=[self.item_b.pk])
        response = self.client_for(self.staff).post(
            url, {"new_status": "tidak_aktif", "reason": "Tidak ada RAT sejak 2019"}
        )
        self.assertRedirects(response, self.item_b.get_absolute_url())
        self.coop_b.refresh_from_db()
        self.assertEqual(self.coop_b.status, CooperativeStatus.TIDAK_AKTIF)
        change = StatusChange.objects.get(cooperative=self.coop_b)
        self.assertIn("Tidak ada RAT sejak 2019", change.reason)
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.decision, CooperativeStatus.TIDAK_AKTIF)
        self.assertTrue(
            AuditEvent.objects.filter(
                cooperative=self.coop_b, action="status_change"
            ).exists()
        )

    def test_with_evidence_waiting_the_item_page_proposes_no_status(self):
        # It offered the class's "Tidak Aktif" beside an officer's confirmation
        # of a RAT not yet examined.
        from campaigns.services import confirmation_submit

        url = self.item_b.get_absolute_url()
        page = self.client_for(self.staff).get(url)
        self.assertEqual(
            page.context["decision_form"]["new_status"].value(), "tidak_aktif"
        )
        self.assertNotContains(page, 'data-testid="decide-after-evidence"')
        confirmation_submit(
            acting_user=self.officer_b,
            item=self.item_b,
            fields={"phone": "0542 123456"},
            board="",
            rat_date=None,
            rat_year=None,
        )
        page = self.client_for(self.staff).get(url)
        self.assertIsNone(page.context["decision_form"]["new_status"].value())
        self.assertContains(page, 'data-testid="decide-after-evidence"')
        # Sent without a choice, it asks for one.
        decide = reverse("campaigns:item_decide", args=[self.item_b.pk])
        refused = self.client_for(self.staff).post(decide, {"reason": "Cek"})
        self.assertContains(refused, "Pilih status yang diputuskan.", status_code=400)

    def test_confirming_the_same_status_records_the_decision_only(self):
        url = reverse("campaigns:item_decide", args=[self.item_a.pk])
        self.client_for(self.staff).post(
            url, {"new_status": "aktif", "reason": "RAT 2025"}
        )
        self.item_a.refresh_from_db()
        self.assertEqual(self.item_a.decision, "aktif")
        self.assertFalse(StatusChange.objects.exists())

    def test_the_same_decision_sent_twice_is_recorded_once(self):
        # A double click wrote the decision twice in the audit trail
        # ("Aktif → Aktif"); another reason is another decision.
        url = reverse("campaigns:item_decide", args=[self.item_b.pk])
        client = self.client_for(self.staff)
        data = {"new_status": "tidak_aktif", "reason": "Tidak ada RAT sejak 2019"}
        client.post(url, data)
        client.post(url, data)
        decisions = AuditEvent.objects.filter(
            object_id=str(self.item_b.pk), action="update", changes__has_key="decision"
        )
        self.assertEqual(decisions.count(), 1)
        self.assertEqual(
            StatusChange.objects.filter(cooperative=self.coop_b).count(), 1
        )
        client.post(url, data | {"reason": "Tidak ada RAT sejak 2018"})
        self.assertEqual(decisions.count(), 2)

    def test_a_decision_without_reason_changes_nothing(self):
        url = reverse("campaigns:item_decide", args=[self.item_b.pk])
        response = self.client_for(self.staff).post(
            url, {"new_status": "tidak_aktif", "reason": " "}
        )
        # The page comes back as chosen (not the proposal's "Aktif", which the
        # next click would record), the reason named as what is missing.
        self.assertContains(response, 'data-testid="decision-error"', status_code=400)
        self.assertContains(
            response, '<option value="tidak_aktif" selected>', status_code=400
        )
        self.coop_b.refresh_from_db()
        self.assertEqual(self.coop_b.status, CooperativeStatus.AKTIF)
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.decision, "")
        # A date the form has no box for (sent by hand) is named too.
        response = self.client_for(self.staff).post(
            url,
            {
                "new_status": "tidak_aktif",
                "reason": "x",
                "effective_date": "2030-01-01",
            },
        )
        self.assertContains(response, "Berlaku sejak:", status_code=400)

    def test_staff_decide_a_filtered_selection_at_once(self):
        make_cooperative("KUD Lama Satu", last_rat_year=2015)
        make_cooperative("KUD Lama Dua")
        from campaigns.tests.base import open_campaign

        open_campaign(2024)
        response = self._class_c_inactive(2024)
        self.assertContains(response, "Keputusan dicatat untuk 3 koperasi")
        self.assertEqual(
            StatusChange.objects.filter(to_status="tidak_aktif").count(), 3
        )
        self.coop_a.refresh_from_db()
        self.assertEqual(self.coop_a.status, CooperativeStatus.AKTIF)

    def test_a_filter_the_list_cannot_use_decides_nothing(self):
        # "kecamatan=abc" (an edited address) was left out of the list: deciding
        # "for every listed cooperative" decided for the whole campaign.
        staff = self.client_for(self.staff)
        page = staff.get(reverse("campaigns:detail", args=[2025]), {"kecamatan": "abc"})
        self.assertContains(page, 'id="unknown-filters"')
        self.assertContains(page, "tidak dikenali dan tidak dipakai: kecamatan")
        self.assertNotContains(page, 'id="bulk-decide"')
        response = staff.post(
            reverse("campaigns:bulk_decide", args=[2025]),
            {
                "kecamatan": "abc",
                "bukti": "lama",
                "new_status": "tidak_aktif",
                "reason": "Tanpa RAT",
                "shown": "2",
            },
            follow=True,
        )
        self.assertContains(
            response, "Saringan daftar tidak dikenali (kecamatan, bukti)"
        )
        self.assertFalse(StatusChange.objects.exists())
        self.assertFalse(CampaignItem.objects.exclude(decision="").exists())

    def _class_c_inactive(self, year):
        """Every class C item of ``year`` decided Tidak Aktif, as the list sends it."""
        return self.client_for(self.staff).post(
            reverse("campaigns:bulk_decide", args=[year]),
            {
                "kelas": "C",
                "new_status": "tidak_aktif",
                "reason": "Tanpa RAT",
                "query": "kelas=C",
                "shown": self._shown(year, kelas="C"),
            },
            follow=True,
        )

    def _shown(self, year=2025, **filters):
        page = self.client_for(self.staff).get(
            reverse("campaigns:detail", args=[year]), filters
        )
        found = re.search(r'name="shown" value="([0-9a-f]+)"', page.content.decode())
        assert found, "no list digest on the page"
        return found.group(1)

    def test_a_list_that_changed_since_it_was_shown_decides_nothing(self):
        shown = self._shown()
        for forged in ("1", "", "abc", "²", "9" * 5000, shown[:-1] + "x"):
            with self.subTest(shown=forged[:10]):
                response = self.client_for(self.staff).post(
                    reverse("campaigns:bulk_decide", args=[2025]),
                    {"new_status": "tidak_aktif", "reason": "x", "shown": forged},
                    follow=True,
                )
                self.assertContains(
                    response, "berubah sejak halaman dibuka (kini 2 koperasi)"
                )
        self.assertFalse(StatusChange.objects.exists())
        self.assertFalse(CampaignItem.objects.exclude(decision="").exists())

    def test_a_refused_decision_for_all_keeps_what_was_written(self):
        staff = self.client_for(self.staff)
        reason = "Tidak menyelenggarakan RAT tiga tahun berturut-turut"
        response = staff.post(
            reverse("campaigns:bulk_decide", args=[2025]),
            {"new_status": "tidak_aktif", "reason": reason, "shown": "usang"},
            follow=True,
        )
        self.assertContains(response, "berubah sejak halaman dibuka")
        self.assertContains(response, 'id="bulk-reason" name="reason" required')
        self.assertContains(response, f'value="{reason}"')
        self.assertContains(response, '<option value="tidak_aktif" selected>')
        # Once: the next visit starts empty.
        again = staff.get(reverse("campaigns:detail", args=[2025]))
        self.assertNotContains(again, f'value="{reason}"')

    def test_a_cooperative_renamed_into_the_filter_since_is_not_decided(self):
        # The list showed one item for "Beta"; then another cooperative was
        # renamed into the filter and this one out of it: the count is the same,
        # the cooperative is not the one seen.
        shown = self._shown(q="Beta")
        type(self.coop_b).objects.filter(pk=self.coop_b.pk).update(name="KSP Gamma")
        type(self.coop_a).objects.filter(pk=self.coop_a.pk).update(
            name="Koperasi Beta Baru"
        )
        response = self.client_for(self.staff).post(
            reverse("campaigns:bulk_decide", args=[2025]),
            {
                "q": "Beta",
                "new_status": "dalam_pembubaran",
                "reason": "Tidak aktif",
                "shown": shown,
            },
            follow=True,
        )
        self.assertContains(response, "berubah sejak halaman dibuka (kini 1 koperasi)")
        self.assertFalse(StatusChange.objects.exists())

    def test_a_nul_in_the_name_filter_is_no_error(self):
        # PostgreSQL refused the query ("A string literal cannot contain NUL").
        page = self.client_for(self.staff).get(
            reverse("campaigns:detail", args=[2025]), {"q": "Be\x00ta"}
        )
        self.assertContains(page, "KSP Beta Mandiri")

    def test_dissolution_is_decided_only_after_the_announcement(self):
        # Any cooperative could be decided "Dalam Proses Pembubaran", class A
        # with its confirmation accepted among them, without letters or an
        # objection period, and the registry changed at once.
        assert self.item_a.proposed_class != "F"
        response = self.client_for(self.staff).post(
            reverse("campaigns:item_decide", args=[self.item_a.pk]),
            {"new_status": "dalam_pembubaran", "reason": "coba"},
        )
        self.assertContains(response, "belum berkelas F", status_code=400)
        self.assertFalse(StatusChange.objects.exists())
        self.item_a.refresh_from_db()
        self.assertEqual(self.item_a.decision, "")

    def test_nothing_changes_status_without_a_decision(self):
        self.client_for(self.staff).get(reverse("campaigns:detail", args=[2025]))
        self.assertFalse(StatusChange.objects.exists())

    def test_decisions_are_staff_only_and_post_only(self):
        url = reverse("campaigns:item_decide", args=[self.item_b.pk])
        data = {"new_status": "tidak_aktif", "reason": "x"}
        self.assertEqual(
            self.client_for(self.officer_b).post(url, data).status_code, 404
        )
        self.assertEqual(self.client_for(self.staff).get(url).status_code, 405)
        bulk = reverse("campaigns:bulk_decide", args=[2025])
        self.assertEqual(
            self.client_for(self.officer_b).post(bulk, data).status_code, 404
        )

    def test_a_decision_for_all_does_not_take_one_out_of_dissolution(self):
        # "Tidak Aktif" for a whole class moved a cooperative in Dalam Proses
        # Pembubaran back to Tidak Aktif; the dialog only counted them.
        type(self.coop_b).objects.filter(pk=self.coop_b.pk).update(
            status=CooperativeStatus.DALAM_PEMBUBARAN
        )
        staff = self.client_for(self.staff)
        page = staff.get(reverse("campaigns:detail", args=[2025]))
        self.assertContains(page, 'data-testid="bulk-in-dissolution"')
        response = staff.post(
            reverse("campaigns:bulk_decide", args=[2025]),
            {"new_status": "tidak_aktif", "reason": "x", "shown": self._shown()},
            follow=True,
        )
        self.assertContains(response, "Keputusan dicatat untuk 1 koperasi")
        self.assertContains(response, "1 koperasi yang sedang Dalam Proses")
        self.coop_b.refresh_from_db()
        self.assertEqual(self.coop_b.status, CooperativeStatus.DALAM_PEMBUBARAN)
        self.item_b.refresh_from_db()
        self.assertEqual(self.item_b.decision, "")
        # For it alone: refused, with why.
        response = staff.post(
            reverse("campaigns:bulk_decide", args=[2025]),
            {
                "q": "Beta",
                "new_status": "aktif",
                "reason": "x",
                "shown": self._shown(q="Beta"),
            },
            follow=True,
        )
        self.assertContains(response, "tidak mengeluarkannya dari proses itu")
        self.coop_b.refresh_from_db()
        self.assertEqual(self.coop_b.status, CooperativeStatus.DALAM_PEMBUBARAN)
        # On its own page, staff may still decide it deliberately.
        staff.post(
            reverse("campaigns:item_decide", args=[self.item_b.pk]),
            {"new_status": "tidak_aktif", "reason": "Keberatan diterima"},
        )
        self.coop_b.refresh_from_db()
        self.assertEqual(self.coop_b.status, CooperativeStatus.TIDAK_AKTIF)

    def test_a_cooperative_dissolved_since_opening_is_not_decided_back(self):
        # Dissolved on its own page while the campaign ran, a class C cooperative
        # was taken back to "Tidak Aktif" by a decision for the whole class.
        make_cooperative("KUD Lama Dua")
        from campaigns.tests.base import open_campaign

        campaign = open_campaign(2024)
        dissolve(self.coop_b, by=self.staff)
        staff = self.client_for(self.staff)
        item = campaign.items.get(cooperative=self.coop_b)
        page = staff.get(item.get_absolute_url())
        self.assertContains(page, 'data-testid="dissolved"')
        self.assertContains(page, "Status kini: <strong>Dibubarkan</strong>")
        self.assertNotContains(page, reverse("campaigns:item_decide", args=[item.pk]))
        listed = staff.get(reverse("campaigns:detail", args=[2024]), {"kelas": "C"})
        self.assertContains(listed, "kini: Dibubarkan")
        # The decision for the list counts and asks about those it reaches.
        self.assertContains(listed, 'data-testid="bulk-dissolved"')
        self.assertContains(listed, "Putuskan untuk 1 koperasi lainnya")
        self.assertContains(listed, "Catat keputusan &quot;[status]&quot; untuk 1 ")
        # "Belum diputuskan" is what is left to decide: not the dissolved one.
        undecided = staff.get(
            reverse("campaigns:detail", args=[2024]),
            {"kelas": "C", "keputusan": "belum"},
        )
        self.assertNotContains(undecided, "kini: Dibubarkan")
        self.assertNotContains(undecided, 'data-testid="bulk-dissolved"')
        # One by one (a form kept open from before): refused, nothing changed.
        response = staff.post(
            reverse("campaigns:item_decide", args=[item.pk]),
            {"new_status": "tidak_aktif", "reason": "Tanpa RAT"},
        )
        self.assertContains(
            response, "sudah Dibubarkan sejak pemutakhiran dibuka", status_code=400
        )
        # For the whole class: the others are decided, the dissolved one passed.
        response = self._class_c_inactive(2024)
        self.assertContains(response, "Keputusan dicatat untuk 1 koperasi")
        self.assertContains(response, "1 koperasi yang sudah Dibubarkan")
        self.coop_b.refresh_from_db()
        self.assertEqual(self.coop_b.status, CooperativeStatus.DIBUBARKAN)
        item.refresh_from_db()
        self.assertEqual(item.decision, "")
        self.assertEqual(
            StatusChange.objects.filter(to_status="tidak_aktif").count(), 1
        )

    def test_item_page_access(self):
        url = self.item_b.get_absolute_url()
        self.assertContains(self.client_for(self.staff).get(url), "KSP Beta Mandiri")
        self.assertEqual(self.client_for(self.officer_b).get(url).status_code, 404)

    def test_the_item_page_names_the_frozen_officers_positions(self):
        staff = self.client_for(self.staff)
        url = self.item_b.get_absolute_url()
        self.assertContains(staff.get(url), f"{self.officer_b} (Ketua)")
        staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        try:
            page = staff.get(url)
        finally:
            translation.activate("id")  # the request left English on in this thread
        self.assertContains(page, f"{self.officer_b} (Chair)")

    def test_closing_stops_decisions(self):
        self.client_for(self.staff).post(reverse("campaigns:close", args=[2025]))
        url = reverse("campaigns:item_decide", args=[self.item_b.pk])
        response = self.client_for(self.staff).post(
            url, {"new_status": "tidak_aktif", "reason": "x"}
        )
        self.assertContains(response, "tidak sedang berjalan", status_code=400)


class ClosingTests(CampaignTestCase):
    def test_a_closed_campaigns_result_stays_as_it_was_closed(self):
        # Counted anew, a cooperative moved after closing changed the result
        # headed "dibekukan", on the page and in the download.
        from campaigns.exports import result_rows
        from cooperatives.models import Kelurahan

        self.client_for(self.staff).post(reverse("campaigns:close", args=[2025]))
        campaign = Campaign.objects.get(year=2025)
        before = list(result_rows(campaign))
        page = self.client_for(self.staff).get(reverse("campaigns:detail", args=[2025]))
        rows_before = [(r.name, r.by_class) for r in page.context["summary"].rows]
        elsewhere = Kelurahan.objects.exclude(
            kecamatan=self.coop_b.kelurahan.kecamatan
        ).first()
        type(self.coop_b).objects.filter(pk=self.coop_b.pk).update(kelurahan=elsewhere)
        assert list(result_rows(campaign)) == before
        page = self.client_for(self.staff).get(reverse("campaigns:detail", args=[2025]))
        assert [
            (r.name, r.by_class) for r in page.context["summary"].rows
        ] == rows_before

    def test_it_waits_for_the_objection_period_and_says_until_when(self):
        # Closing ends the announcement and the objection form (they serve the
        # running campaign): a period still open would be cut short.
        from datetime import timedelta

        from django.utils import formats, timezone

        self.item_b.peringatan_on = timezone.localdate() - timedelta(days=10)
        self.item_b.save()
        ends = formats.date_format(self.item_b.objection_ends_on, "j F Y")
        staff = self.client_for(self.staff)
        page = staff.get(reverse("campaigns:detail", args=[2025]))
        self.assertContains(page, 'data-testid="close-blocked"')
        self.assertContains(
            page,
            f"1 koperasi masih dalam masa keberatan (KSP Beta Mandiri) sampai {ends}",
        )
        self.assertNotContains(page, reverse("campaigns:close", args=[2025]))
        response = staff.post(reverse("campaigns:close", args=[2025]), follow=True)
        self.assertContains(response, "belum dapat ditutup")
        self.assertContains(response, "masih dalam masa keberatan (KSP Beta Mandiri)")
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.status, "berjalan")
        # Once the period is over, the campaign closes.
        self.item_b.peringatan_on = timezone.localdate() - timedelta(days=70)
        self.item_b.save()
        page = staff.get(reverse("campaigns:detail", args=[2025]))
        self.assertNotContains(page, 'data-testid="close-blocked"')
        staff.post(reverse("campaigns:close", args=[2025]))
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.status, "ditutup")

    def test_the_close_prompt_names_the_letters_still_asking_to_confirm(self):
        from datetime import timedelta

        from django.utils import formats, timezone

        from campaigns.models import CampaignLetter

        today = timezone.localdate()
        letter = CampaignLetter.objects.create(
            item=self.item_b,
            kind="pemberitahuan",
            sequence=1,
            number="001/X/2025",
            issued_on=today - timedelta(days=200),
            verification_token="00000000-0000-0000-0000-0000000000ab",
        )
        staff = self.client_for(self.staff)
        page = staff.get(reverse("campaigns:detail", args=[2025]))
        self.assertNotContains(page, "surat pemberitahuan masih meminta konfirmasi")
        letter.issued_on = today
        letter.save()
        until = today + timedelta(days=self.campaign.interval_teguran_1)
        page = staff.get(reverse("campaigns:detail", args=[2025]))
        self.assertContains(
            page,
            "1 surat pemberitahuan masih meminta konfirmasi pengurus sampai "
            f"{formats.date_format(until, 'j F Y')}; tautan konfirmasinya tidak "
            "berlaku lagi setelah ditutup.",
        )
        # Once the officers have confirmed, their letter asks nothing more.
        self.client_for(self.officer_b).post(
            reverse("campaigns:confirm", args=[self.item_b.pk]),
            {"address": "Jl. Baru 1", "phone": "0812 3456 7890"},
        )
        page = staff.get(reverse("campaigns:detail", args=[2025]))
        self.assertNotContains(page, "surat pemberitahuan masih meminta konfirmasi")

    def test_the_close_prompt_names_the_rat_reports_still_waiting(self):
        from reports.tests.rat_testing import submitted_report

        staff = self.client_for(self.staff)
        page = staff.get(reverse("campaigns:detail", args=[2025]))
        self.assertNotContains(page, "laporan RAT masih menunggu diperiksa")
        submitted_report(self.staff, self.coop_b, year=2025)
        page = staff.get(reverse("campaigns:detail", args=[2025]))
        self.assertContains(page, "1 laporan RAT masih menunggu diperiksa")

    def test_it_waits_for_confirmations_under_review_and_says_what_is_left(self):
        from campaigns.models import Evidence

        self.client_for(self.officer_b).post(
            reverse("campaigns:confirm", args=[self.item_b.pk]),
            {"address": "Jl. Baru 1", "phone": "0812 3456 7890"},
        )
        staff = self.client_for(self.staff)
        page = staff.get(reverse("campaigns:detail", args=[2025]))
        self.assertContains(page, "koperasi belum diputuskan dan akan tetap")
        response = staff.post(reverse("campaigns:close", args=[2025]), follow=True)
        self.assertContains(response, "belum dapat ditutup")
        self.assertContains(response, "1 konfirmasi pengurus menunggu diperiksa")
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.status, "berjalan")
        staff.post(
            reverse("campaigns:review", args=[Evidence.objects.get().pk]),
            {"accept": "1"},
        )
        staff.post(reverse("campaigns:close", args=[2025]))
        self.campaign.refresh_from_db()
        self.assertEqual(self.campaign.status, "ditutup")


class EnglishTests(CampaignTestCase):
    def test_the_campaign_page_reads_in_english_after_the_switch(self):
        client = self.client_for(self.staff)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = client.get(reverse("campaigns:detail", args=[2025]))
        self.assertContains(response, "Data update 2025")
        self.assertContains(response, "0 of 2 cooperatives verified; 0 decided.")
        self.assertContains(response, "Proposed class and evidence per district")


class DecidedMeanwhileTests(CampaignTestCase):
    """Two members of staff on one item or one list: the later page's decision
    had flipped the earlier's back ("Keputusan dicatat." to both)."""

    def test_an_items_page_opened_before_anothers_decision_is_refused(self):
        url = reverse("campaigns:item", args=[self.item_b.pk])
        staff, admin = self.client_for(self.staff), self.client_for(self.admin)
        seen = re.search(
            r'name="seen" value="([0-9a-f]+)"', admin.get(url).content.decode()
        ).group(1)
        decide = reverse("campaigns:item_decide", args=[self.item_b.pk])
        first = {"new_status": "tidak_aktif", "reason": "Tidak ada RAT"}
        page = staff.get(url).content.decode()
        mine = re.search(r'name="seen" value="([0-9a-f]+)"', page).group(1)
        staff.post(decide, {**first, "seen": mine})
        response = admin.post(
            decide, {"new_status": "aktif", "reason": "Masih aktif", "seen": seen}
        )
        self.assertContains(
            response, "sudah dicatat sejak halaman dibuka", status_code=400
        )
        self.coop_b.refresh_from_db()
        self.assertEqual(self.coop_b.status, CooperativeStatus.TIDAK_AKTIF)
        # The page given back shows that decision and carries its mark: sent
        # again, knowingly, it goes through.
        again = re.search(
            r'name="seen" value="([0-9a-f]+)"', response.content.decode()
        ).group(1)
        admin.post(
            decide, {"new_status": "aktif", "reason": "Masih aktif", "seen": again}
        )
        self.coop_b.refresh_from_db()
        self.assertEqual(self.coop_b.status, CooperativeStatus.AKTIF)

    def test_a_list_opened_before_anothers_decision_decides_nothing(self):
        detail = reverse("campaigns:detail", args=[2025])
        staff, admin = self.client_for(self.staff), self.client_for(self.admin)

        def shown(client):
            page = client.get(detail, {"kelas": "C"}).content.decode()
            return re.search(r'name="shown" value="([0-9a-f]+)"', page).group(1)

        stale = shown(admin)
        bulk = reverse("campaigns:bulk_decide", args=[2025])
        staff.post(
            bulk,
            {
                "kelas": "C",
                "new_status": "tidak_aktif",
                "reason": "x",
                "shown": shown(staff),
            },
        )
        response = admin.post(
            bulk,
            {"kelas": "C", "new_status": "aktif", "reason": "y", "shown": stale},
            follow=True,
        )
        self.assertContains(response, "ada yang sudah diputuskan sejak itu")
        self.coop_b.refresh_from_db()
        self.assertEqual(self.coop_b.status, CooperativeStatus.TIDAK_AKTIF)
