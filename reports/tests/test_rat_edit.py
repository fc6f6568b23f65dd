"""rat_edit: the officer's report form, its checks and messages."""

from .rat_testing import MEETING, YEAR, OfficerDraftTestCase, form_data


class RatEditTests(OfficerDraftTestCase):
    def test_a_draft_saves_with_amounts_typed_as_rupiah(self):
        response = self.client.post(self.edit, form_data())
        self.assertRedirects(response, self.edit)
        self.report.refresh_from_db()
        self.assertEqual(self.report.aset, 1250000000)
        self.assertEqual(self.report.meeting_date, MEETING)
        self.assertContains(self.client.get(self.edit), "1.250.000.000")

    def test_an_unbalanced_report_is_not_saved_and_says_why(self):
        response = self.client.post(self.edit, form_data(aset=1250000001))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "harus sama dengan kewajiban + ekuitas")
        self.report.refresh_from_db()
        self.assertIsNone(self.report.aset)

    def test_wrong_types_get_a_message_not_an_error_page(self):
        data = form_data()
        data.update(aset="satu juta", members_male="-3", meeting_date="31/31/2025")
        response = self.client.post(self.edit, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is-invalid", count=None)
        self.report.refresh_from_db()
        self.assertIsNone(self.report.members_male)

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

    def test_a_member_jump_asks_once_and_saves_when_confirmed(self):
        self.coop_a.figures.create(tahun_buku=YEAR - 1, members_male=20)
        response = self.client.post(self.edit, form_data())
        self.assertContains(response, "berubah lebih dari 50%")
        response = self.client.post(self.edit, form_data(confirm_member_jump=True))
        self.assertRedirects(response, self.edit)
