"""Text the office keeps is made in its language, whatever language is active
when it is given, and only when it is read."""

import datetime

from django.test import SimpleTestCase, override_settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from lib.office_text import in_office_language, lazy_text


@override_settings(LANGUAGE_CODE="id")
class OfficeTextTests(SimpleTestCase):
    def test_a_message_given_on_english_pages_is_kept_in_indonesian(self):
        with translation.override("en"):
            message = lazy_text(
                gettext_lazy("Pengajuan ke-%(n)s, tanda terima %(receipt)s."),
                n=1,
                receipt="RAT-2025-0001",
            )
            self.assertIn("Submission", str(message))  # read on the page: English
            kept = in_office_language(message)
        self.assertEqual(kept, "Pengajuan ke-1, tanda terima RAT-2025-0001.")

    def test_lazy_values_and_dates_in_a_message_are_made_in_its_language(self):
        message = lazy_text(
            gettext_lazy("Jangka waktu %(n)s tahun buku, batas %(date)s."),
            n=gettext_lazy("tanpa jenis"),
            date=datetime.date(2025, 5, 1),
        )
        with translation.override("en"):
            kept = in_office_language(message)
            read = str(message)
        self.assertEqual(kept, "Jangka waktu tanpa jenis tahun buku, batas 1 Mei 2025.")
        self.assertIn("1 May 2025", read)

    def test_lazy_text_inside_changes_is_made_and_the_rest_kept(self):
        changes = {
            "phone": {"label": gettext_lazy("telepon"), "old": "", "new": "0542"},
            "count": 3,
        }
        with translation.override("en"):
            kept = in_office_language(changes)
        self.assertEqual(
            kept,
            {"phone": {"label": "telepon", "old": "", "new": "0542"}, "count": 3},
        )
        self.assertIsInstance(kept["phone"]["label"], str)
