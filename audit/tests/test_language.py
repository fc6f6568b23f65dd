"""The audit trail is the office's record: written in its language (Indonesian)
whoever acted and whatever language their pages were in. One trail had read "male
members: 331 -> 560" and "7 December 2026" beside "Pengajuan ke-1"."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy

from audit.models import AuditAction, AuditEvent
from reports.models import RatReport
from reports.tests.rat_testing import YEAR, form_data, ready_report, submit_on_page
from tests.personas import PersonaTestCase


class AuditLanguageTests(PersonaTestCase):
    def english(self, user):
        client = self.client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    def test_an_officer_on_english_pages_writes_the_trail_in_indonesian(self):
        officer = self.english(self.officer_a)
        start = reverse("reports:rat_start", args=[self.coop_a.pk])
        page = officer.post(start, {"tahun_buku": YEAR}, follow=True)
        self.assertContains(page, "financial year")  # the pages are English
        report = RatReport.objects.get(cooperative=self.coop_a)
        edit = reverse("reports:rat_edit", args=[report.pk])
        officer.post(edit, {**form_data(), "action": "save"})
        saved = AuditEvent.objects.filter(
            action=AuditAction.UPDATE, object_id=str(report.pk)
        ).latest("pk")
        labels = {change["label"] for change in saved.changes.values()}
        self.assertIn("anggota pria", labels)
        self.assertNotIn("male members", labels)
        meeting = saved.changes["meeting_date"]["new"]
        self.assertRegex(meeting, r"^\d{1,2} (Januari|Februari|Maret|April|Mei) \d{4}$")
        self.assertEqual(saved.changes["aset"]["new"], "Rp 1.250.000.000")

    def test_messages_and_registry_changes_are_indonesian_too(self):
        report = ready_report(self.officer_a, self.coop_a)
        submit_on_page(self.english(self.officer_a), report)
        submitted = AuditEvent.objects.get(
            action=AuditAction.SUBMIT, object_id=str(report.pk)
        )
        self.assertIn("Pengajuan ke-1", submitted.message)
        staff = self.english(self.staff)
        edit = reverse("cooperatives:edit", args=[self.coop_a.pk])
        page = staff.get(edit)
        self.assertEqual(page.status_code, 200)
        data = dict(page.context["form"].initial)
        data = {k: ("" if v is None else v) for k, v in data.items()}
        data["phone"] = "0542 123456"
        staff.post(edit, data)
        changed = AuditEvent.objects.filter(
            action=AuditAction.UPDATE, object_id=str(self.coop_a.pk)
        ).latest("pk")
        self.assertEqual(changed.changes["phone"]["label"], "telepon")

    def test_a_return_sent_from_english_pages_names_the_fields_in_indonesian(self):
        # "Assets: — → Aset beda dengan neraca." in the office's trail.
        from reports.tests.rat_testing import submitted_report

        report = submitted_report(self.officer_a, self.coop_a)
        self.english(self.staff).post(
            reverse("reports:rat_return", args=[report.pk]),
            {"note": "Periksa neraca.", "komentar_aset": "Aset beda dengan neraca."},
        )
        returned = AuditEvent.objects.get(
            action=AuditAction.RETURN, object_id=str(report.pk)
        )
        self.assertEqual(returned.changes["aset"]["label"], "Aset")

    def test_a_decision_on_english_pages_is_recorded_in_indonesian(self):
        # "keputusan: Active -> Tidak Aktif", and the status history kept
        # "Data update 2025: ..." for good.
        from campaigns.tests.base import open_campaign
        from cooperatives.models import StatusChange

        campaign = open_campaign()
        item = campaign.items.get(cooperative=self.coop_b)
        staff = self.english(self.staff)
        url = reverse("campaigns:item_decide", args=[item.pk])
        staff.post(url, {"new_status": "aktif", "reason": "Masih berkegiatan"})
        staff.post(url, {"new_status": "tidak_aktif", "reason": "Tidak ditemukan"})
        change = StatusChange.objects.filter(cooperative=self.coop_b).latest("pk")
        self.assertEqual(change.reason, "Pemutakhiran 2025: Tidak ditemukan")
        decided = AuditEvent.objects.filter(
            object_id=str(item.pk), changes__has_key="decision"
        ).latest("pk")
        self.assertEqual(decided.changes["decision"]["old"], "Aktif")
        self.assertEqual(decided.changes["decision"]["new"], "Tidak Aktif")


class AuditReadInTheReadersLanguageTests(PersonaTestCase):
    """The trail keeps the office's words; a page shows a message made with
    values in its reader's language where the catalogue knows it."""

    def test_an_english_reader_reads_the_message_in_english(self):
        report = ready_report(self.officer_a, self.coop_a)
        submit_on_page(self.client_for(self.officer_a), report)
        submitted = AuditEvent.objects.get(
            action=AuditAction.SUBMIT, object_id=str(report.pk)
        )
        self.assertIn("Pengajuan ke-1", submitted.message)
        self.assertEqual(
            submitted.message_words["message"],
            "Pengajuan ke-%(n)s, tanda terima %(receipt)s.",
        )
        page = reverse("cooperatives:detail", args=[self.coop_a.pk])
        staff = self.client_for(self.staff)
        self.assertContains(staff.get(page), "(Pengajuan ke-1, tanda terima")
        staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = staff.get(page)
        self.assertContains(english, "(Submission no. 1, receipt")
        self.assertNotContains(english, "Pengajuan ke-1")

    def test_values_read_in_the_readers_words_and_a_bad_translation_falls_back(
        self,
    ):
        import datetime

        from django.utils import translation

        from lib.office_text import lazy_text, words_read

        words = lazy_text(
            "%(number)s → %(to)s (%(date)s)",
            number="1/X",
            to="Wali Kota",
            date=datetime.date(2026, 12, 7),
        ).kept()
        self.assertEqual(words["values"]["date"], "7 Desember 2026")
        with translation.override("en"):
            self.assertEqual(words_read(words), "1/X → Wali Kota (7 December 2026)")
            broken = {"message": "%(n)s surat %(kind)s diminta.", "values": {}}
            self.assertIsNone(words_read(broken))
            self.assertIsNone(words_read({}))
            # Text a person typed reads as typed: a staff member's reason
            # "Kunjungan 5 Desember 2026" read "5 December" on English pages.
            typed = lazy_text(
                gettext_lazy("Pemutakhiran %(year)s: %(reason)s"),
                year=2025,
                reason="Kunjungan 5 Desember 2026: kantor tutup",
            ).kept()
            self.assertEqual(
                words_read(typed),
                "Data update 2025: Kunjungan 5 Desember 2026: kantor tutup",
            )
        event = AuditEvent(message="Catatan lama", message_words={})
        self.assertEqual(event.message_read, "Catatan lama")
