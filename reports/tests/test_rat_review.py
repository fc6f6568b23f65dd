"""rat_detail, rat_return, rat_accept: the review by staff and the officer's fix."""

from django.conf import settings
from django.urls import reverse

from reports.models import RatReport, RatStatus
from reports.selectors import acceptance_effect
from tests.personas import PersonaTestCase

from .rat_testing import MEETING, form_data, submitted_report


class RatReviewTests(PersonaTestCase):
    def test_comments_per_field_reach_the_officer_and_changes_reach_the_staff(self):
        report = submitted_report(self.officer_a, self.coop_a)
        staff = self.client_for(self.staff)
        page = staff.get(report.get_absolute_url())
        self.assertContains(page, 'name="komentar_aset"')
        self.assertContains(page, "Terima laporan")
        staff.post(
            reverse("reports:rat_return", args=[report.pk]),
            {"note": "Periksa neraca.", "komentar_aset": "Aset beda dengan neraca."},
        )
        officer = self.client_for(self.officer_a)
        edit = officer.get(reverse("reports:rat_edit", args=[report.pk]))
        self.assertContains(edit, "Dinas meminta perbaikan")
        self.assertContains(edit, "Periksa neraca.")
        self.assertContains(edit, "Perlu diperbaiki: Aset beda dengan neraca.")
        data = form_data(aset=1300000000, ekuitas=850000000)
        officer.post(reverse("reports:rat_edit", args=[report.pk]), data)
        officer.post(
            reverse("reports:rat_edit", args=[report.pk]),
            {**data, "action": "submit"},
        )
        page = staff.get(report.get_absolute_url())
        self.assertContains(page, "Yang berubah sejak pengajuan sebelumnya")
        self.assertContains(page, "Rp 1.250.000.000")
        self.assertContains(page, "Rp 1.300.000.000")
        report.refresh_from_db()
        staff.post(
            reverse("reports:rat_accept", args=[report.pk]),
            {"note": "", "seen": acceptance_effect(report).digest},
        )
        report.refresh_from_db()
        self.assertEqual(report.status, RatStatus.DITERIMA)

    def test_a_note_too_long_is_refused_not_dropped(self):
        report = submitted_report(self.officer_a, self.coop_a)
        response = self.client_for(self.staff).post(
            reverse("reports:rat_accept", args=[report.pk]),
            {"note": "x" * 2001, "seen": acceptance_effect(report).digest},
            follow=True,
        )
        self.assertContains(response, "Catatan paling banyak 2.000 huruf.")
        report.refresh_from_db()
        self.assertEqual(report.status, RatStatus.DIAJUKAN)

    def _effect(self, client, report):
        """The part of the report's page that says what accepting replaces."""
        page = client.get(report.get_absolute_url()).content.decode()
        self.assertIn('id="accept-effect"', page)
        return page.split('id="accept-effect"')[1].split("</div>")[0]

    def test_staff_see_the_figures_an_acceptance_replaces(self):
        # Accepting wrote the report's figures over the year's (an ODS import's)
        # without showing them: "akan diperbarui" was all the page said.
        from cooperatives.models import CooperativeFigures, RecordSource

        from .rat_testing import YEAR

        report = submitted_report(self.officer_a, self.coop_a)
        CooperativeFigures.objects.filter(cooperative=self.coop_a).delete()
        staff = self.client_for(self.staff)
        effect = self._effect(staff, report)
        self.assertIn(
            f"Belum ada data keragaan tahun buku {YEAR}; angka laporan", effect
        )
        # The meeting becomes the last RAT, said apart from the figures.
        self.assertIn("registri: — → <strong>14 Maret 2025</strong>", effect)
        CooperativeFigures.objects.create(
            cooperative=self.coop_a,
            tahun_buku=YEAR,
            aset=1_100_000_000,
            members_male=40,
            shu=None,
            source=RecordSource.ODS_IMPORT,
        )
        effect = self._effect(staff, report)
        self.assertIn("(sumber kini: Impor ODS)", effect)
        self.assertIn(
            "<td>Aset</td><td>Rp 1.100.000.000</td><td><strong>Rp 1.250.000.000",
            effect,
        )
        # The same value replaces nothing; a figure the year lacks is filled in.
        self.assertNotIn("Anggota pria", effect)
        self.assertIn("<td>SHU</td><td>—</td><td><strong>Rp 50.000.000", effect)
        # Once the meeting is the last RAT, it is not said again.
        self.coop_a.last_rat_date, self.coop_a.last_rat_year = MEETING, YEAR
        self.coop_a.save()
        CooperativeFigures.objects.filter(cooperative=self.coop_a).update(
            members_female=35,
            aset=1_250_000_000,
            modal_sendiri=800_000_000,
            modal_luar=300_000_000,
            volume_usaha=2_000_000_000,
            shu=50_000_000,
        )
        effect = self._effect(staff, report)
        self.assertIn(f"tahun buku {YEAR} sudah sama dengan laporan", effect)
        self.assertNotIn("<strong>14 Maret 2025</strong>", effect)
        # A blank figure of the year is filled in: said, not "sudah sama".
        CooperativeFigures.objects.filter(cooperative=self.coop_a).update(aset=None)
        effect = self._effect(staff, report)
        self.assertIn("<td>Aset</td><td>—</td><td><strong>Rp 1.250.000.000", effect)
        # The officer sees none of it.
        own = self.client_for(self.officer_a).get(report.get_absolute_url())
        self.assertNotContains(own, 'id="accept-effect"')

    def test_a_figure_far_from_the_registry_s_is_pointed_out_before_accepting(self):
        # Aset Rp 720.000.000 against Rp 6.675.912.000 in the registry (-89%) was
        # accepted without a word: a zero lost, most likely.
        from cooperatives.models import CooperativeFigures, RecordSource

        from .rat_testing import YEAR

        report = submitted_report(self.officer_a, self.coop_a)
        CooperativeFigures.objects.filter(cooperative=self.coop_a).delete()
        CooperativeFigures.objects.create(
            cooperative=self.coop_a,
            tahun_buku=YEAR,
            aset=11_364_000_000,
            shu=45_000_000,
            source=RecordSource.ODS_IMPORT,
        )
        effect = self._effect(self.client_for(self.staff), report)
        self.assertIn('data-testid="jump">-89%</span>', effect)
        self.assertIn("setengahnya atau lebih", effect)
        # SHU 45 juta to 50 juta is no jump.
        self.assertEqual(effect.count('data-testid="jump"'), 1)

    def test_a_change_to_the_figures_since_the_page_opened_refuses_accepting(self):
        # A colleague's correction made after the page was opened was replaced
        # by the report's figure without being shown.
        from cooperatives.models import CooperativeFigures

        from .rat_testing import YEAR

        report = submitted_report(self.officer_a, self.coop_a)
        staff = self.client_for(self.staff)
        page = staff.get(report.get_absolute_url()).content.decode()
        seen = page.split('name="seen" value="')[1].split('"')[0]
        CooperativeFigures.objects.filter(
            cooperative=self.coop_a, tahun_buku=YEAR
        ).update(aset=777_000_000)
        accept = reverse("reports:rat_accept", args=[report.pk])
        # Without what was shown (another client, a page from before): refused.
        response = staff.post(accept, {"note": ""}, follow=True)
        self.assertContains(response, "berubah sejak halaman dibuka")
        response = staff.post(accept, {"note": "", "seen": seen}, follow=True)
        self.assertContains(response, "berubah sejak halaman dibuka")
        report.refresh_from_db()
        self.assertEqual(report.status, RatStatus.DIAJUKAN)
        figures = CooperativeFigures.objects.get(
            cooperative=self.coop_a, tahun_buku=YEAR
        )
        self.assertEqual(figures.aset, 777_000_000)
        # Seen again (the page now shows Rp 777.000.000), it is accepted, even
        # when the page was read in English and the language changed since.
        self.assertContains(response, "<td>Rp 777.000.000</td>")
        staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = staff.get(report.get_absolute_url()).content.decode()
        self.assertIn("From the report", page)
        seen = page.split('name="seen" value="')[1].split('"')[0]
        staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
        response = staff.post(accept, {"note": "", "seen": seen}, follow=True)
        report.refresh_from_db()
        self.assertEqual(report.status, RatStatus.DITERIMA)
        self.assertContains(response, "data keragaan dan tanggal RAT koperasi")

    def test_accepting_says_the_last_rat_stays_when_a_later_one_is_known(self):
        # "… dan tanggal RAT koperasi diperbarui" while the registry kept its
        # later RAT, as the page had said.
        import datetime

        report = submitted_report(self.officer_a, self.coop_a)
        self.coop_a.last_rat_date = datetime.date(2026, 7, 1)
        self.coop_a.last_rat_year = 2025
        self.coop_a.save()
        staff = self.client_for(self.staff)
        report = RatReport.objects.get(pk=report.pk)
        response = staff.post(
            reverse("reports:rat_accept", args=[report.pk]),
            {"note": "", "seen": acceptance_effect(report).digest},
            follow=True,
        )
        self.assertContains(response, "Laporan diterima; data keragaan koperasi")
        self.assertNotContains(response, "dan tanggal RAT")
        self.coop_a.refresh_from_db()
        self.assertEqual(self.coop_a.last_rat_date, datetime.date(2026, 7, 1))

    def test_an_accepted_report_still_shows_last_years_meeting(self):
        # Accepting makes the report's meeting the registry's last RAT; its
        # "Tahun lalu" column then read "—" beside Tanggal RAT for good.
        import datetime

        self.coop_a.last_rat_date = datetime.date(2024, 4, 20)
        self.coop_a.last_rat_year = 2023
        self.coop_a.save()
        report = submitted_report(self.officer_a, self.coop_a)
        staff = self.client_for(self.staff)
        detail = reverse("reports:rat_detail", args=[report.pk])

        def last_year_meeting():
            rows = staff.get(detail).context["rows"]
            return {row.name: row.last_year for row in rows}["meeting_date"]

        self.assertEqual(last_year_meeting(), "20 April 2024")
        staff.post(
            reverse("reports:rat_accept", args=[report.pk]),
            {"note": "", "seen": acceptance_effect(report).digest},
        )
        report.refresh_from_db()
        self.assertEqual(report.status, RatStatus.DITERIMA)
        self.coop_a.refresh_from_db()
        self.assertEqual(self.coop_a.last_rat_date, MEETING)
        self.assertEqual(last_year_meeting(), "20 April 2024")

    def test_a_decision_clicked_twice_is_said_done_not_refused(self):
        # The second click of a double click said "Hanya laporan berstatus
        # Diajukan…" over a report its first click had accepted.
        report = submitted_report(self.officer_a, self.coop_a)
        staff = self.client_for(self.staff)
        url = reverse("reports:rat_accept", args=[report.pk])
        sent = {"note": "", "seen": acceptance_effect(report).digest}
        staff.post(url, sent)
        again = staff.post(url, sent, follow=True)
        self.assertContains(again, "Laporan ini sudah Anda tandai Diterima.")
        self.assertNotContains(again, "Hanya laporan berstatus")
        # Another member of staff, or another decision, is still told why not.
        other = self.client_for(self.admin).post(url, sent, follow=True)
        self.assertContains(other, "Hanya laporan berstatus")
        back = staff.post(
            reverse("reports:rat_return", args=[report.pk]),
            {"note": "Perbaiki neraca"},
            follow=True,
        )
        self.assertContains(back, "Hanya laporan berstatus")
        self.assertNotContains(back, "sudah Anda tandai")

    def test_a_field_note_is_text_on_the_officer_s_page_not_html(self):
        # Help text is printed as HTML: a note with markup ran as script.
        report = submitted_report(self.officer_a, self.coop_a)
        self.client_for(self.staff).post(
            reverse("reports:rat_return", args=[report.pk]),
            {"note": "", "komentar_aset": '"><img src=x onerror=alert(9)>'},
        )
        edit = self.client_for(self.officer_a).get(
            reverse("reports:rat_edit", args=[report.pk])
        )
        self.assertNotContains(edit, "<img src=x")
        self.assertContains(
            edit, "Perlu diperbaiki: &quot;&gt;&lt;img src=x onerror=alert(9)&gt;"
        )

    def test_a_note_on_a_document_stands_beside_it(self):
        # The note was only in the list at the page's top, without a link, and
        # missing beside the document, in the form and on the summary alike.
        report = submitted_report(self.officer_a, self.coop_a)
        self.client_for(self.staff).post(
            reverse("reports:rat_return", args=[report.pk]),
            {"note": "", "komentar_berita_acara": "Tanda tangan tidak terbaca."},
        )
        officer = self.client_for(self.officer_a)
        edit = officer.get(reverse("reports:rat_edit", args=[report.pk]))
        self.assertContains(
            edit, '<li><a href="#attachments">Berita acara RAT</a>: Tanda tangan'
        )
        self.assertContains(edit, 'data-testid="attachment-comments"')
        self.assertContains(edit, "Perlu diperbaiki: Tanda tangan tidak terbaca.")
        summary = officer.get(report.get_absolute_url())
        self.assertContains(summary, "<td>Tanda tangan tidak terbaca.</td>")

    def test_a_return_with_field_notes_only_says_where_to_look(self):
        from django.template.loader import render_to_string

        report = submitted_report(self.officer_a, self.coop_a)
        staff = self.client_for(self.staff)
        staff.post(
            reverse("reports:rat_return", args=[report.pk]),
            {"note": "", "komentar_aset": "Aset beda dengan neraca."},
        )
        page = staff.get(report.get_absolute_url())
        self.assertContains(page, "1 isian yang ditandai di bawah.")
        text = render_to_string(
            "reports/email/rat_returned_whatsapp.txt",
            {
                "report": report,
                "review": report.reviews.latest("id"),
                "comments": [("Aset", "Aset beda dengan neraca.")],
                "url": "https://contoh.invalid/",
                "office": "Dinas",
            },
        )
        self.assertNotIn("Catatan Dinas: -", text)
        self.assertIn("Isian yang perlu diperbaiki:\n- Aset: Aset beda", text)


class ChangedDocumentsTests(PersonaTestCase):
    def test_a_document_sent_again_is_listed_even_with_the_same_bytes(self):
        from reports import services
        from reports.models import AttachmentKind

        from .rat_testing import PDF, upload

        report = submitted_report(self.officer_a, self.coop_a)
        staff = self.client_for(self.staff)
        staff.post(
            reverse("reports:rat_return", args=[report.pk]),
            {"note": "Neraca belum ditandatangani."},
        )
        report.refresh_from_db()
        services.rat_attachment_add(
            acting_user=self.officer_a,
            report=report,
            kind=AttachmentKind.NERACA,
            upload=upload("Neraca 2025 ttd.pdf", PDF),
        )
        services.rat_report_submit(acting_user=self.officer_a, report=report)
        page = staff.get(report.get_absolute_url())
        self.assertContains(page, "Yang berubah sejak pengajuan sebelumnya")
        self.assertContains(page, "Neraca 2025 ttd.pdf (isi berkas sama)")

    def test_a_return_whose_note_shows_nothing_is_refused(self):
        # Zero-width spaces were taken as the note: returned, with no reason the
        # officers could read.
        report = submitted_report(self.officer_a, self.coop_a)
        staff = self.client_for(self.staff)
        response = staff.post(
            reverse("reports:rat_return", args=[report.pk]),
            {"note": "\u200b\u200b\u200b", "komentar_aset": "\u200b"},
            follow=True,
        )
        self.assertContains(response, "Tuliskan apa yang perlu diperbaiki")
        report.refresh_from_db()
        self.assertEqual(report.status, RatStatus.DIAJUKAN)

    def test_the_officers_answer_the_notes_and_staff_read_it(self):
        # Staff asked which funds "SHU untuk dana lain" covers; the officer had
        # only a money field there, and resubmitted with no word back.
        report = submitted_report(self.officer_a, self.coop_a)
        staff = self.client_for(self.staff)
        staff.post(
            reverse("reports:rat_return", args=[report.pk]),
            {"note": "Sebutkan dana apa saja dalam SHU untuk dana lain."},
        )
        officer = self.client_for(self.officer_a)
        edit = reverse("reports:rat_edit", args=[report.pk])
        self.assertContains(officer.get(edit), 'name="reply"')
        answer = "Dana sosial Rp 5 juta,\ndana pendidikan Rp 3 juta."
        # Kept with the draft: a save first, then the submission.
        officer.post(edit, {**form_data(), "reply": answer, "action": "save"})
        self.assertContains(officer.get(edit), "Dana sosial Rp 5 juta")
        # The summary says it waits to go with the resubmission.
        summary = officer.get(report.get_absolute_url())
        self.assertContains(summary, 'id="reply-draft"')
        self.assertNotContains(
            staff.get(report.get_absolute_url()), "Dana sosial Rp 5 juta"
        )
        officer.post(edit, {**form_data(), "reply": answer, "action": "submit"})
        report.refresh_from_db()
        self.assertEqual(report.status, RatStatus.DIAJUKAN)
        self.assertEqual(report.reply, "")
        page = staff.get(report.get_absolute_url())
        self.assertContains(page, "Tanggapan pengurus pada pengajuan ke-2")
        self.assertContains(page, "dana pendidikan Rp 3 juta.")
        self.assertEqual(report.submissions.get(number=2).reply, answer)

    def test_a_first_submission_takes_no_answer(self):
        officer = self.client_for(self.officer_a)
        report = submitted_report(self.officer_a, self.coop_a)
        self.assertNotContains(officer.get(report.get_absolute_url()), 'id="reply"')
        self.assertEqual(report.submissions.get().reply, "")

    def test_the_e_mail_tells_officers_without_a_login_how_to_get_one(self):
        # Sent to every active officer; the sekretaris without an account found
        # only a login page behind the link.
        from django.core import mail

        report = submitted_report(self.officer_a, self.coop_a)
        with self.captureOnCommitCallbacks(execute=True):
            self.client_for(self.staff).post(
                reverse("reports:rat_return", args=[report.pk]),
                {"note": "Periksa neraca."},
            )
        returned = [m for m in mail.outbox if "diperbaiki" in m.subject]
        self.assertTrue(returned)
        self.assertIn("dapat meminta undangan akun kepada Dinas", returned[-1].body)

    def test_staff_fixing_a_returned_report_write_no_answer_in_the_officers_name(self):
        report = submitted_report(self.officer_a, self.coop_a)
        staff = self.client_for(self.staff)
        staff.post(
            reverse("reports:rat_return", args=[report.pk]), {"note": "Periksa."}
        )
        edit = reverse("reports:rat_edit", args=[report.pk])
        self.assertNotContains(staff.get(edit), 'name="reply"')
        staff.post(edit, {**form_data(), "reply": "ditulis staf", "action": "submit"})
        report.refresh_from_db()
        self.assertEqual(report.submissions.latest("number").reply, "")
        self.assertNotContains(staff.get(report.get_absolute_url()), "ditulis staf")

    def test_an_answer_that_shows_nothing_is_no_answer(self):
        report = submitted_report(self.officer_a, self.coop_a)
        self.client_for(self.staff).post(
            reverse("reports:rat_return", args=[report.pk]), {"note": "Periksa."}
        )
        officer = self.client_for(self.officer_a)
        edit = reverse("reports:rat_edit", args=[report.pk])
        blank = "\u2800\u3164\u200b"
        officer.post(edit, {**form_data(), "reply": blank, "action": "submit"})
        report.refresh_from_db()
        self.assertEqual(report.submissions.latest("number").reply, "")


class ResubmittedSinceTests(PersonaTestCase):
    """A page opened on one submission does not accept or send back the next: a
    report returned by one member of staff and resubmitted was accepted from
    another's older page, and a note written about submission 1 went back as
    the return of submission 2."""

    def test_a_decision_from_a_page_of_an_earlier_submission_is_refused(self):
        from reports import services

        report = submitted_report(self.officer_a, self.coop_a)
        staff = self.client_for(self.staff)
        page = staff.get(reverse("reports:rat_detail", args=[report.pk]))
        self.assertContains(page, 'name="submission" value="1"')
        seen = acceptance_effect(report).digest
        services.rat_report_return(
            acting_user=self.admin, report=report, note="Perbaiki", field_comments={}
        )
        services.rat_report_submit(acting_user=self.officer_a, report=report)
        report.refresh_from_db()
        assert report.submission_count == 2
        accept = staff.post(
            reverse("reports:rat_accept", args=[report.pk]),
            {"note": "", "seen": seen},
            follow=True,
        )
        self.assertContains(accept, "diajukan kembali sejak halaman dibuka")
        back = staff.post(
            reverse("reports:rat_return", args=[report.pk]),
            {"note": "Catatan untuk pengajuan pertama", "submission": "1"},
            follow=True,
        )
        self.assertContains(back, "diajukan kembali sejak halaman dibuka")
        report.refresh_from_db()
        assert report.status == RatStatus.DIAJUKAN
        assert report.reviews.count() == 1
        # From a page of this submission, it goes through.
        staff.post(
            reverse("reports:rat_accept", args=[report.pk]),
            {"note": "", "seen": acceptance_effect(report).digest},
        )
        report.refresh_from_db()
        assert report.status == RatStatus.DITERIMA
