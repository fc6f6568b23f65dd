"""The RAT deadlines and form checks, without a database."""

import datetime
import io
from decimal import Decimal

from django.test import SimpleTestCase

from reports.attachments import AttachmentRejected, sniff
from reports.rat import (
    ATTACHMENTS_KEY,
    REQUIRED_ATTACHMENTS,
    SAME_AS_LAST_YEAR,
    Schedule,
    last_day_after,
    report_problems,
)

from .rat_testing import PDF, complete_values, jpeg_bytes, png_bytes

D = datetime.date
SCHEDULE = Schedule(2025, D(2026, 6, 30), 30)
TODAY = D(2026, 11, 22)


def problems(
    values, *, last_year=None, complete=False, attachments=(), last_values=None
):
    found = report_problems(
        values,
        schedule=SCHEDULE,
        today=TODAY,
        last_year_members=last_year,
        last_year=last_values,
        complete=complete,
        attachments=attachments,
    )
    return {(p.field, p.confirm) for p in found}, found


class DeadlineTests(SimpleTestCase):
    def test_the_meeting_deadline_is_the_last_day_of_the_nth_month(self):
        cases = [
            (2025, 6, D(2026, 6, 30)),
            (2025, 3, D(2026, 3, 31)),
            (2023, 2, D(2024, 2, 29)),  # leap year
            (2025, 12, D(2026, 12, 31)),
            (2025, 13, D(2027, 1, 31)),
        ]
        for year, months, expected in cases:
            with self.subTest(year=year, months=months):
                self.assertEqual(last_day_after(year, months), expected)

    def test_the_report_is_due_days_after_the_meeting_or_after_the_last_allowed_day(
        self,
    ):
        self.assertEqual(SCHEDULE.report_due(D(2026, 3, 14)), D(2026, 4, 13))
        self.assertEqual(SCHEDULE.report_due(None), D(2026, 7, 30))
        self.assertEqual(SCHEDULE.meeting_from, D(2026, 1, 1))


class CheckTests(SimpleTestCase):
    def values(self, **overrides):
        return complete_values(**{"meeting_date": D(2026, 3, 14), **overrides})

    def test_a_complete_consistent_report_has_no_problems(self):
        keys, _ = problems(
            self.values(), complete=True, attachments=REQUIRED_ATTACHMENTS
        )
        self.assertEqual(keys, set())

    def test_aset_must_equal_kewajiban_plus_ekuitas(self):
        keys, found = problems(self.values(aset=Decimal("1250000001")))
        self.assertEqual(keys, {("aset", "")})
        self.assertIn("Rp 1.250.000.001", found[0].message)
        self.assertIn("Rp 1.250.000.000", found[0].message)

    def test_the_balance_is_not_judged_while_a_part_is_missing(self):
        keys, _ = problems(self.values(kewajiban=None))
        self.assertEqual(keys, set())

    def test_the_meeting_date_must_fall_in_the_allowed_period(self):
        cases = [
            (D(2025, 12, 31), {("meeting_date", "")}),  # before the books closed
            (D(2026, 1, 1), set()),
            (D(2026, 6, 30), set()),  # the last allowed day
            (D(2026, 7, 1), {("meeting_date", "confirm_late_meeting")}),
            (D(2026, 11, 23), {("meeting_date", "")}),  # in the future
        ]
        for meeting, expected in cases:
            with self.subTest(meeting=meeting):
                keys, _ = problems(self.values(meeting_date=meeting))
                self.assertEqual(keys, expected)

    def test_a_late_meeting_passes_once_confirmed(self):
        keys, _ = problems(
            self.values(meeting_date=D(2026, 8, 1), confirm_late_meeting=True)
        )
        self.assertEqual(keys, set())

    def test_a_member_count_jumping_more_than_half_asks_for_confirmation(self):
        # 75 members this year.
        cases = [(50, False), (150, False), (49, True), (151, True), (None, False)]
        for last_year, asks in cases:
            with self.subTest(last_year=last_year):
                keys, _ = problems(self.values(), last_year=last_year)
                expected = {("members_male", "confirm_member_jump")} if asks else set()
                self.assertEqual(keys, expected)
        keys, _ = problems(self.values(confirm_member_jump=True), last_year=10)
        self.assertEqual(keys, set())

    def test_last_years_figures_sent_unchanged_ask_for_confirmation(self):
        # The form opens with last year's figures: sent as it opened, the report
        # carried last year's books (the walk-through submitted exactly that).
        values = self.values()
        same = {name: values[name] for name in SAME_AS_LAST_YEAR}
        keys, found = problems(values, last_values=same)
        self.assertEqual(keys, {("aset", "confirm_same_figures")})
        self.assertIn("sama persis dengan tahun lalu", str(found[0].message))
        keys, _ = problems({**values, "confirm_same_figures": True}, last_values=same)
        self.assertEqual(keys, set())
        # One figure updated is this year's books; too little known is no ground.
        changed = {**same, "volume_usaha": values["volume_usaha"] + 1}
        self.assertEqual(problems(values, last_values=changed)[0], set())
        few = {"aset": values["aset"], "shu": values["shu"]}
        self.assertEqual(problems(values, last_values=few)[0], set())

    def test_more_present_than_members_is_an_error(self):
        keys, _ = problems(self.values(members_present=76))
        self.assertEqual(keys, {("members_present", "")})

    def test_the_shu_distribution_must_add_up(self):
        keys, _ = problems(self.values(shu_lainnya=Decimal("4000000")))
        self.assertEqual(keys, {("shu_cadangan", "")})
        # A draft may leave the distribution blank; a submission may not.
        blank = {"shu_cadangan": None, "shu_anggota": None, "shu_lainnya": None}
        keys, _ = problems(self.values(**blank))
        self.assertEqual(keys, set())
        keys, _ = problems(
            self.values(**blank), complete=True, attachments=REQUIRED_ATTACHMENTS
        )
        self.assertEqual(keys, {("shu_cadangan", "")})
        # A loss has nothing to distribute.
        keys, _ = problems(
            self.values(shu=Decimal("-5000000"), **blank),
            complete=True,
            attachments=REQUIRED_ATTACHMENTS,
        )
        self.assertEqual(keys, set())

    def test_a_submission_needs_every_required_field_the_quorum_and_documents(self):
        keys, found = problems(
            {"meeting_date": D(2026, 3, 14), "members_present": 10, "quorum": 20},
            complete=True,
            attachments=[REQUIRED_ATTACHMENTS[0]],
        )
        fields = {field for field, _ in keys}
        self.assertTrue({"meeting_mode", "aset", "shu", "members_male"} <= fields)
        self.assertIn(ATTACHMENTS_KEY, fields)
        self.assertIn("members_present", fields)
        messages = " ".join(p.message for p in found)
        self.assertIn("Kuorum tidak tercapai: hadir 10, kuorum 20", messages)
        self.assertIn("Daftar hadir", messages)
        self.assertNotIn("Berita acara", messages)


class SniffTests(SimpleTestCase):
    """Attachments are judged by content: name and declared type do not matter."""

    def sniff(self, data, limit=1024 * 1024):
        return sniff(io.BytesIO(data), max_bytes=limit)

    def test_pdf_jpeg_and_png_are_recognised(self):
        self.assertEqual(self.sniff(PDF).content_type, "application/pdf")
        self.assertEqual(self.sniff(jpeg_bytes()).content_type, "image/jpeg")
        self.assertEqual(self.sniff(png_bytes()).content_type, "image/png")
        self.assertEqual(self.sniff(PDF).size, len(PDF))

    def test_anything_else_is_refused_with_a_message(self):
        cases = {
            "an executable": b"MZ\x90\x00\x03" + b"\x00" * 100,
            "html": b"<html><script>alert(1)</script></html>",
            "a zip (docx)": b"PK\x03\x04" + b"\x00" * 100,
            "a truncated pdf": PDF[:-7],
            "a corrupt png": png_bytes()[:20],
            "jpeg magic with junk": b"\xff\xd8\xff" + b"junk" * 10,
            "empty": b"",
        }
        for name, data in cases.items():
            with self.subTest(name), self.assertRaises(AttachmentRejected) as caught:
                self.sniff(data)
            self.assertTrue(str(caught.exception))

    def test_a_file_over_the_limit_is_refused(self):
        with self.assertRaisesMessage(AttachmentRejected, "batasnya 1 MB"):
            self.sniff(PDF + b"0" * (1024 * 1024))
