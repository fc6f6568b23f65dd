"""rat_edit: the officer's report form, its checks and messages."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from reports.models import RatReport, RatStatus

from .rat_testing import (
    MEETING,
    YEAR,
    OfficerDraftTestCase,
    complete_values,
    form_data,
    ready_report,
)


class RatEditTests(OfficerDraftTestCase):
    def test_a_draft_saves_with_amounts_typed_as_rupiah(self):
        response = self.client.post(self.edit, form_data())
        self.assertRedirects(response, self.edit)
        self.report.refresh_from_db()
        self.assertEqual(self.report.aset, 1250000000)
        self.assertEqual(self.report.meeting_date, MEETING)
        self.assertContains(self.client.get(self.edit), "1.250.000.000")

    def test_an_unbalanced_draft_saves_and_the_summary_says_why(self):
        response = self.client.post(self.edit, form_data(aset=1250000001), follow=True)
        self.assertContains(response, "Draf laporan tersimpan.")
        self.assertContains(response, 'id="check-summary"')
        self.assertContains(
            response, '<a href="#id_aset">Aset</a>: Aset (Rp 1.250.000.001) harus sama'
        )
        self.report.refresh_from_db()
        self.assertEqual(self.report.aset, 1250000001)

    def test_an_amount_under_a_million_survives_a_refused_field(self):
        # "450.000" came back as "450" beside a refused field; saving again said
        # the officer's own draft was "Sudah diubah orang lain" and stored 450.
        response = self.client.post(
            self.edit, form_data(beban="450.000", modal_luar="2 M")
        )
        self.assertContains(response, 'value="450.000"')
        self.report.refresh_from_db()
        self.assertEqual(self.report.beban, 450000)
        data = response.context["form"].data.dict()
        data["modal_luar"] = "0"
        response = self.client.post(self.edit, data)
        self.assertRedirects(response, self.edit)
        self.report.refresh_from_db()
        self.assertEqual(self.report.beban, 450000)

    def test_the_officers_own_draft_is_not_someone_elses_change(self):
        # The page's mark of the values it showed (EditedMeanwhile) still held
        # those of the first page after a draft saved part of them, and the next
        # save took the officer's own draft for someone else's change.
        seen = self.client.get(self.edit).context["form"].initial["seen"]
        response = self.client.post(
            self.edit, {**form_data(beban="450.000", modal_luar="2 M"), "seen": seen}
        )
        data = response.context["form"].data.dict()
        data.update(modal_luar="0", beban="500.000")
        response = self.client.post(self.edit, data)
        self.assertRedirects(response, self.edit)
        self.report.refresh_from_db()
        self.assertEqual(self.report.beban, 500000)

    def test_a_negative_amount_is_refused_in_plain_words(self):
        response = self.client.post(self.edit, form_data(volume_usaha="-500.000"))
        self.assertEqual(
            response.context["form"].errors["volume_usaha"], ["Tidak boleh negatif."]
        )

    def test_wrong_types_get_a_message_not_an_error_page(self):
        data = form_data()
        data.update(aset="satu juta", members_male="-3", meeting_date="31/31/2025")
        response = self.client.post(self.edit, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is-invalid", count=None)
        self.assertContains(response, "Draf tersimpan, kecuali isian yang ditandai")
        # The summary at the top names each refused field and leads to it.
        summary = response.content.decode().split('id="check-summary"')[1]
        summary = summary.split("</div>")[0]
        for anchor in ("id_aset", "id_members_male", "id_meeting_date"):
            self.assertIn(f'<a href="#{anchor}">', summary)
        self.report.refresh_from_db()
        self.assertIsNone(self.report.members_male)
        self.assertIsNone(self.report.aset)
        # What was right is kept.
        self.assertEqual(self.report.kewajiban, 450000000)

    def test_a_meeting_dated_at_the_end_of_the_calendar_breaks_nothing(self):
        # The draft keeps the field refused (not "in the future", a check a draft
        # saves with), and a date stored before that rule breaks no deadline.
        from reports import services
        from reports.rat import Schedule

        data = form_data()
        data.update(meeting_date="9999-12-31")
        response = self.client.post(self.edit, data)
        self.assertContains(response, "Tanggal tidak boleh sesudah tahun 2100.")
        self.report.refresh_from_db()
        self.assertIsNone(self.report.meeting_date)
        far = datetime.date(9999, 12, 31)
        RatReport.objects.filter(pk=self.report.pk).update(meeting_date=far)
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        staff = self.client_for(self.staff)
        completeness = reverse("reports:rat_completeness")
        page = staff.get(completeness, {"tahun": self.report.tahun_buku})
        self.assertEqual(page.status_code, 200)
        schedule = Schedule(self.report.tahun_buku, far, 30)
        self.assertEqual(schedule.report_due(far), datetime.date.max)
        services.rat_reminders_send(today=timezone.localdate())

    def test_an_endless_board_list_is_refused(self):
        response = self.client.post(
            self.edit, form_data(pengurus_terpilih="Budi — Ketua\n" * 20000)
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("pengurus_terpilih", response.context["form"].errors)
        self.report.refresh_from_db()
        self.assertLess(len(self.report.pengurus_terpilih), 2001)

    def test_a_line_break_counts_once_as_the_browser_counts_it(self):
        lines = "\r\n".join(["Budi Santoso — Ketua"] * 95)  # 1,994 in the box
        response = self.client.post(self.edit, form_data(pengurus_terpilih=lines))
        self.assertRedirects(response, self.edit)
        self.report.refresh_from_db()
        self.assertEqual(len(self.report.pengurus_terpilih), 95 * 20 + 94)

    def test_submitting_with_a_refused_value_says_it_was_not_sent_and_why(self):
        # "2,5 M" in an amount: the page said only "Draf tersimpan, kecuali…", and
        # the problems that also stop the submission came one try later.
        data = form_data(volume_usaha="2,5 M", beban="")
        data["action"] = "submit"
        response = self.client.post(self.edit, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Laporan belum diajukan.")
        summary = response.content.decode().split('id="check-summary"')[1]
        summary = summary.split("</div>")[0]
        self.assertIn("Perbaiki dulu sebelum diajukan", summary)
        self.assertIn('<a href="#id_volume_usaha">', summary)
        self.assertIn('<a href="#id_beban">', summary)  # needed for submitting
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, RatStatus.DRAFT)

    def test_a_refused_value_is_not_judged_again_by_its_saved_value(self):
        self.client.post(self.edit, form_data())  # balanced, saved
        # Kewajiban changed and saved, aset refused: the saved aset no longer
        # balances, but it is not what the officer sees in the field.
        data = form_data(aset="-5.000.000", kewajiban=500000000)
        response = self.client.post(self.edit, data)
        summary = response.content.decode().split('id="check-summary"')[1]
        summary = summary.split("</div>")[0]
        self.assertIn('<a href="#id_aset">', summary)
        # Not "Aset (Rp 1.250.000.000) harus sama…", the old value's check.
        self.assertNotIn("Rp 1.250.000.000", summary)

    def test_amounts_out_of_range_are_refused_on_the_form(self):
        data = form_data()
        data.update(aset="-5.000.000", kewajiban="99999999999999999999")
        response = self.client.post(self.edit, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is-invalid")
        self.report.refresh_from_db()
        self.assertIsNone(self.report.aset)
        # A loss is a negative SHU and equity, and is accepted.
        data = form_data(
            shu=-5000000,
            ekuitas=-100000000,
            aset=350000000,
            shu_cadangan=None,
            shu_anggota=None,
            shu_lainnya=None,
        )
        self.assertRedirects(self.client.post(self.edit, data), self.edit)

    def test_a_member_jump_saves_and_asks_for_its_confirmation(self):
        self.coop_a.figures.create(tahun_buku=YEAR - 1, members_male=20)
        response = self.client.post(self.edit, form_data(), follow=True)
        self.assertContains(response, "berubah lebih dari 50%")
        self.assertContains(response, '<a href="#id_confirm_member_jump">')
        self.report.refresh_from_db()
        self.assertEqual(self.report.members_male, 40)
        response = self.client.post(self.edit, form_data(confirm_member_jump=True))
        self.assertRedirects(response, self.edit)
        self.assertNotContains(self.client.get(self.edit), "berubah lebih dari 50%")
        # Staff reviewing the report are told what the officer confirmed.
        staff = self.client_for(self.staff).get(self.report.get_absolute_url())
        self.assertContains(staff, 'id="confirmed-checks"')
        self.assertContains(staff, "(20 menjadi")
        self.assertContains(staff, "pengurus menyatakan itu benar")

    def test_a_failed_submission_lists_each_problem_by_its_field(self):
        data = form_data(members_present=None, beban=None, action="submit")
        response = self.client.post(self.edit, data, follow=True)
        self.assertRedirects(response, self.edit + "?periksa=ajukan")
        self.assertContains(response, "Perbaiki dulu sebelum diajukan")
        self.assertContains(
            response,
            '<a href="#id_members_present">Anggota hadir</a>: Wajib diisi sebelum',
        )
        self.assertContains(response, '<a href="#id_beban">Beban</a>: Wajib diisi')
        self.assertContains(response, '<a href="#attachments">Lampiran</a>: Lampiran')
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, RatStatus.DRAFT)
        self.assertEqual(self.report.aset, 1250000000)

    def test_the_problems_are_listed_in_the_order_of_the_fields(self):
        # A sum's check ("SHU untuk cadangan") came before "Tanggal RAT", the
        # form's first field; documents come last.
        data = form_data(meeting_date=None, shu_cadangan=1, action="submit")
        response = self.client.post(self.edit, data, follow=True)
        page = response.content.decode()
        summary = page.split('id="check-summary"')[1].split("</ul>")[0]
        anchors = re.findall(r'<li><a href="#([a-z_]+)"', summary)
        self.assertEqual(anchors[0], "id_meeting_date", anchors)
        self.assertEqual(anchors[-1], "attachments", anchors)
        assert anchors.index("id_meeting_date") < anchors.index("id_shu_cadangan")

    def test_the_form_opens_with_last_years_figures(self):
        self.coop_a.figures.filter(tahun_buku=YEAR).delete()  # none of its own year
        self.coop_a.figures.create(
            tahun_buku=YEAR - 1,
            members_male=30,
            members_female=25,
            aset=Decimal("900000000"),
            modal_sendiri=Decimal("600000000"),
            volume_usaha=Decimal("1500000000"),
        )
        form = self.client.get(self.edit).context["form"]
        self.assertEqual(form["members_male"].value(), 30)
        self.assertEqual(form["aset"].value(), "900.000.000")
        self.assertEqual(form["kewajiban"].value(), "300.000.000")
        self.assertEqual(form["ekuitas"].value(), "600.000.000")
        self.assertIsNone(form["meeting_date"].value())
        page = self.client.get(self.edit)
        self.assertContains(page, "tahun lalu: Rp 900.000.000")
        self.assertContains(page, "tahun lalu: 30")
        # The page says where the figures it opens with come from.
        self.assertContains(page, f"diisi dari data tahun buku {YEAR - 1} (tahun lalu)")
        self.assertContains(page, 'inputmode="numeric"', count=None)
        self.assertContains(page, "Pilih cara pelaksanaan")
        self.assertNotContains(page, "---------")
        # The summary's "Tahun lalu" column says what the form says.
        summary = self.client.get(reverse("reports:rat_detail", args=[self.report.pk]))
        rows = {row.name: row.last_year for row in summary.context["rows"]}
        self.assertEqual(rows["kewajiban"], "Rp 300.000.000")
        self.assertEqual(rows["aset"], "Rp 900.000.000")
        # Once saved, a field the officer emptied stays empty: last year's figure
        # is only the hint beside it, never taken unseen by the next save.
        data = form_data(aset=None)
        self.assertRedirects(self.client.post(self.edit, data), self.edit)
        page = self.client.get(self.edit)
        self.assertIsNone(page.context["form"]["aset"].value())
        self.assertContains(page, "tahun lalu: Rp 900.000.000")
        self.assertNotContains(page, 'id="opened-with"')
        self.client.post(self.edit, data)
        self.report.refresh_from_db()
        self.assertIsNone(self.report.aset)

    def test_last_years_meeting_is_shown_beside_the_date_and_never_taken(self):
        # "Tahun lalu —" beside Tanggal RAT while the registry had last year's
        # meeting from the ODS.
        import datetime

        self.coop_a.last_rat_date = datetime.date(YEAR, 2, 5)  # tahun buku YEAR-1
        self.coop_a.last_rat_year = YEAR - 1
        self.coop_a.save()
        page = self.client.get(self.edit)
        self.assertContains(page, f"tahun lalu: 5 Februari {YEAR}")
        self.assertIsNone(page.context["form"]["meeting_date"].value())
        summary = self.client.get(reverse("reports:rat_detail", args=[self.report.pk]))
        rows = {row.name: row.last_year for row in summary.context["rows"]}
        self.assertEqual(rows["meeting_date"], f"5 Februari {YEAR}")

    def test_last_years_figures_sent_as_they_opened_wait_for_a_confirmation(self):
        values = complete_values()
        self.coop_a.figures.create(
            tahun_buku=YEAR - 1,
            aset=values["aset"],
            modal_sendiri=values["ekuitas"],
            volume_usaha=values["volume_usaha"],
            shu=values["shu"],
        )
        ready_report(self.officer_a, self.coop_a)  # every document uploaded
        data = form_data()
        data["action"] = "submit"
        # The draft saves; the submission waits, and the summary says why.
        response = self.client.post(self.edit, data, follow=True)
        self.assertContains(response, "sama persis dengan tahun lalu")
        self.assertContains(response, '<a href="#id_confirm_same_figures">')
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, RatStatus.DRAFT)
        # Confirmed, it goes, and the staff reviewing it read what was confirmed.
        data["confirm_same_figures"] = "on"
        self.client.post(self.edit, data)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, RatStatus.DIAJUKAN)
        staff = self.client_for(self.staff)
        page = staff.get(reverse("reports:rat_detail", args=[self.report.pk]))
        self.assertContains(page, "Angka keuangan sama persis dengan tahun lalu")
        # Figures changed after the box was ticked are no longer said to be the
        # same (the flag stays set).
        type(self.report).objects.filter(pk=self.report.pk).update(
            aset=values["aset"] + 1, kewajiban=values["kewajiban"] + 1
        )
        page = staff.get(reverse("reports:rat_detail", args=[self.report.pk]))
        self.assertNotContains(page, "Angka keuangan sama persis dengan tahun lalu")

    def test_last_years_accepted_report_comes_before_the_figures(self):
        self.coop_a.figures.filter(tahun_buku=YEAR).delete()  # none of its own year
        self.coop_a.figures.create(tahun_buku=YEAR - 1, aset=Decimal("1"))
        previous = RatReport.objects.create(
            cooperative=self.coop_a,
            tahun_buku=YEAR - 1,
            status=RatStatus.DITERIMA,
            aset=Decimal("700000000"),
            pendapatan=Decimal("90000000"),
            meeting_mode="daring",
            receipt_number="RAT/2023/000001",
            submitted_at=timezone.now(),
        )
        form = self.client.get(self.edit).context["form"]
        self.assertEqual(form["aset"].value(), "700.000.000")
        self.assertEqual(form["pendapatan"].value(), "90.000.000")
        self.assertEqual(form["meeting_mode"].value(), "daring")
        # A report sent back for fixing is not what the office accepted.
        previous.status = RatStatus.PERLU_PERBAIKAN
        previous.save()
        form = self.client.get(self.edit).context["form"]
        self.assertEqual(form["aset"].value(), "1")

    def test_the_registrys_figures_of_the_reports_own_year_come_first(self):
        # An ODS import had brought this year's figures; the form opened with
        # last year's beside them ("tahun lalu") as if they were this year's.
        self.coop_a.figures.filter(tahun_buku=YEAR).update(
            members_male=12, aset=Decimal("1400000000"), modal_sendiri=None
        )
        self.coop_a.figures.create(
            tahun_buku=YEAR - 1,
            members_male=7,
            aset=Decimal("900000000"),
            modal_sendiri=Decimal("600000000"),
        )
        RatReport.objects.create(
            cooperative=self.coop_a,
            tahun_buku=YEAR - 1,
            status=RatStatus.DITERIMA,
            aset=Decimal("900000000"),
            pendapatan=Decimal("90000000"),
            meeting_mode="luring",
            quorum=20,
            receipt_number="RAT/2023/000009",
            submitted_at=timezone.now(),
        )
        page = self.client.get(self.edit)
        form = page.context["form"]
        self.assertEqual(form["members_male"].value(), 12)
        # How the cooperative meets carries over beside this year's figures.
        self.assertEqual(form["meeting_mode"].value(), "luring")
        self.assertEqual(form["quorum"].value(), 20)
        self.assertEqual(form["aset"].value(), "1.400.000.000")
        # Never a mix of two years: last year's income is only the hint.
        self.assertIsNone(form["pendapatan"].value())
        self.assertIsNone(form["ekuitas"].value())
        self.assertContains(page, "tahun lalu: Rp 90.000.000")
        self.assertContains(page, "tahun lalu: Rp 900.000.000")
        self.assertContains(
            page, f"diisi dari data keragaan tahun buku {YEAR} yang tercatat di Dinas"
        )

    def test_saved_values_are_not_replaced_by_last_years(self):
        self.coop_a.figures.create(tahun_buku=YEAR - 1, aset=Decimal("900000000"))
        self.client.post(self.edit, form_data())
        form = self.client.get(self.edit).context["form"]
        self.assertEqual(form["aset"].value(), "1.250.000.000")


class EditedMeanwhileTests(OfficerDraftTestCase):
    """Two tabs (or two officers) on one draft: the one saved last no longer
    writes back the figures the other changed."""

    def test_a_figure_saved_in_another_tab_is_kept(self):
        from cooperatives.tests.test_cooperative_edit import as_shown

        page = self.client.get(self.edit)
        self.assertContains(page, 'type="hidden" name="seen"')
        first = as_shown(page)
        second = as_shown(self.client.get(self.edit))
        self.client.post(self.edit, {**second, "aset": "2.000.000"})
        self.client.post(self.edit, {**first, "members_male": "41"})
        self.report.refresh_from_db()
        self.assertEqual(self.report.aset, 2000000)
        self.assertEqual(self.report.members_male, 41)

    def test_the_prefill_saved_in_another_tab_is_no_ones_change(self):
        # Both tabs opened the new report with the registry's figures; the
        # second saved them, and the first's own figure was refused as a clash
        # ("Sudah diubah menjadi 10") with values it had shown itself.
        from cooperatives.tests.test_cooperative_edit import as_shown

        first = as_shown(self.client.get(self.edit))
        second = as_shown(self.client.get(self.edit))
        self.assertEqual(first["members_male"], second["members_male"])
        self.client.post(self.edit, second)
        response = self.client.post(self.edit, {**first, "members_male": "41"})
        self.assertNotContains(response, "Sudah diubah menjadi", status_code=302)
        self.report.refresh_from_db()
        self.assertEqual(self.report.members_male, 41)
        # Left as shown in one tab, a figure another tab changed keeps its change.
        third = as_shown(self.client.get(self.edit))
        self.client.post(self.edit, {**third, "aset": "2.000.000"})
        self.client.post(self.edit, {**first, "members_male": "41"})
        self.report.refresh_from_db()
        self.assertEqual(self.report.aset, 2000000)

    def test_a_change_back_to_the_prefill_is_not_undone_by_a_page_shown_again(self):
        # A's page, shown again after a partial save, still took the first
        # prefill for what it showed: C's change back to it was undone unseen.
        from cooperatives.tests.test_cooperative_edit import as_shown

        first = as_shown(self.client.get(self.edit))
        prefilled = first["aset"]
        page = self.client.post(
            self.edit, {**first, "aset": "2.000.000", "members_female": "-3"}
        )
        self.assertEqual(page.status_code, 200)  # saved but for members_female
        again = {**as_shown(page), "seen": page.context["form"].data["seen"]}
        other = as_shown(self.client.get(self.edit))
        self.client.post(self.edit, {**other, "aset": prefilled})
        self.client.post(self.edit, {**again, "members_female": "3"})
        self.report.refresh_from_db()
        self.assertEqual(self.report.aset, Decimal("1250000"))
        self.assertEqual(self.report.members_female, 3)

    def test_a_prefill_emptied_in_another_tab_stays_empty(self):
        # One tab emptied a prefilled figure and saved; a tab opened before
        # wrote the prefill back over it.
        from cooperatives.tests.test_cooperative_edit import as_shown

        first = as_shown(self.client.get(self.edit))
        second = as_shown(self.client.get(self.edit))
        self.client.post(self.edit, {**first, "aset": "", "members_present": "5"})
        self.client.post(self.edit, {**second, "pengurus_terpilih": "Budi — Ketua"})
        self.report.refresh_from_db()
        self.assertIsNone(self.report.aset)
        self.assertEqual(self.report.pengurus_terpilih, "Budi — Ketua")

    def test_two_tabs_opened_across_an_import_keep_one_years_figures(self):
        from cooperatives.models import CooperativeFigures
        from cooperatives.tests.test_cooperative_edit import as_shown

        CooperativeFigures.objects.filter(tahun_buku=YEAR).delete()
        self.coop_a.figures.create(
            tahun_buku=YEAR - 1, aset=Decimal("900000"), members_male=7
        )
        first = as_shown(self.client.get(self.edit))  # last year's
        self.coop_a.figures.create(tahun_buku=YEAR, aset=Decimal("1400000"))
        self.client.post(self.edit, as_shown(self.client.get(self.edit)))
        self.client.post(self.edit, first)
        self.report.refresh_from_db()
        self.assertEqual(self.report.aset, Decimal("1400000"))
        self.assertIsNone(self.report.members_male)
