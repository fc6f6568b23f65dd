"""The words of cooperative names that the search corrects a typo against
(``SearchWord``): PostgreSQL keeps them current however a name is written, and
``search_words_rebuild`` drops those no name holds any more."""

import io
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase, TestCase

from accounts.models import User
from cooperatives.imports import (
    import_job_apply,
    import_job_request_apply,
)
from cooperatives.models import Cooperative, ImportStatus, SearchWord
from cooperatives.search import cooperative_search, edits, search_words_rebuild
from cooperatives.services.registry import cooperative_update
from lib.testing import require_or_skip
from tests.personas import make_cooperative, make_user

from .ods_testing import preview_upload, row, write_csv


def words() -> set[str]:
    return set(SearchWord.objects.values_list("word", flat=True))


def found(text: str) -> list[str]:
    return list(
        cooperative_search(Cooperative.objects.all(), text)
        .order_by("name")
        .values_list("name", flat=True)
    )


class SearchWordsTests(TestCase):
    staff: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.staff = make_user("staf-kata", "staff")

    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            require_or_skip(["PostgreSQL in DATABASE_URL"])

    def test_a_new_name_adds_its_words_without_numbers_or_punctuation(self):
        make_cooperative("Koperasi (Persero) Putra-Bangsa 2 Tbk.")
        self.assertLessEqual({"KOPERASI", "PERSERO", "PUTRA", "BANGSA", "TBK"}, words())
        self.assertNotIn("2", words())
        self.assertNotIn("", words())

    def test_a_rename_adds_the_new_words_and_a_typo_of_them_finds_it(self):
        coop = make_cooperative("Koperasi Lama")
        self.assertNotIn("NELAYAN", words())
        cooperative_update(
            acting_user=self.staff,
            cooperative=coop,
            fields={"name": "Koperasi Nelayan Samudra"},
        )
        self.assertLessEqual({"NELAYAN", "SAMUDRA"}, words())
        self.assertEqual(found("samudra nelayn"), ["Koperasi Nelayan Samudra"])

    def test_an_update_that_keeps_the_name_adds_nothing(self):
        coop = make_cooperative("Koperasi Tetap")
        SearchWord.objects.all().delete()
        Cooperative.objects.filter(pk=coop.pk).update(address="Jl. Baru")
        cooperative_update(
            acting_user=self.staff, cooperative=coop, fields={"phone": "0542 1234"}
        )
        self.assertEqual(words(), set())

    def test_an_import_adds_the_words_of_the_names_it_writes(self):
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        path = write_csv(
            folder / "ods.csv", [row("6471000000000091", "KSP Mutiara Pesisir")]
        )
        with open(path, "rb") as upload:
            job = preview_upload(self.staff, upload, "ods.csv")
        import_job_request_apply(
            acting_user=self.staff, job=job, include_duplicates=False
        )
        job = import_job_apply(job_id=job.pk)
        self.assertEqual(job.status, ImportStatus.APPLIED)
        self.assertLessEqual({"KSP", "MUTIARA", "PESISIR"}, words())
        self.assertEqual(found("mutiara pesisr"), ["KSP Mutiara Pesisir"])

    def test_a_typo_in_the_first_letters_is_forgiven(self):
        make_cooperative("KSPPS Manuntung Borneo")
        self.assertEqual(found("mnuntung"), ["KSPPS Manuntung Borneo"])
        self.assertEqual(found("borneo mnuntung"), ["KSPPS Manuntung Borneo"])

    def test_a_letter_left_out_added_changed_or_swapped_is_forgiven(self):
        make_cooperative("Koperasi Makmur Sejahtera")
        for typo in ("mkmur", "makmyr", "makmuur", "makmru", "sejhtera", "seajhtera"):
            with self.subTest(typo):
                self.assertEqual(found(typo), ["Koperasi Makmur Sejahtera"])
        # Two edits in a word of eight letters or more; in a shorter one, too many.
        self.assertEqual(found("sejhteraa"), ["Koperasi Makmur Sejahtera"])
        self.assertEqual(found("mkmyr"), [])

    def test_a_word_found_as_typed_is_not_read_as_a_typo_of_another(self):
        make_cooperative("Koperasi Mandiri")
        make_cooperative("Koperasi Mandari")
        # MANDIRI is a letter from MANDARI, but it is a known word itself.
        self.assertEqual(found("mandiri"), ["Koperasi Mandiri"])
        self.assertEqual(found("mandori"), ["Koperasi Mandari", "Koperasi Mandiri"])

    def test_a_rebuild_drops_the_words_no_name_holds(self):
        make_cooperative("Koperasi Bahari")
        gone = make_cooperative("Koperasi Sirna")
        gone.delete()
        self.assertIn("SIRNA", words())
        self.assertEqual(search_words_rebuild(), 2)
        self.assertEqual(words(), {"KOPERASI", "BAHARI"})

    def test_the_command_rebuilds(self):
        make_cooperative("Koperasi Bahari")
        SearchWord.objects.all().delete()
        output = io.StringIO()
        call_command("rebuild_search_words", stdout=output)
        self.assertEqual(words(), {"KOPERASI", "BAHARI"})
        self.assertEqual(output.getvalue(), "2 words of cooperative names.\n")


class EditsTests(SimpleTestCase):
    def test_it_counts_letters_left_out_added_changed_and_swapped(self):
        for one, other, expected in [
            ("MAKMUR", "MAKMUR", 0),
            ("MKMUR", "MAKMUR", 1),
            ("MAKMUUR", "MAKMUR", 1),
            ("MAKMYR", "MAKMUR", 1),
            ("MAKMRU", "MAKMUR", 1),
            ("MKMYR", "MAKMUR", 2),
            ("KITTEN", "SITTING", 3),
            ("", "AB", 2),
            ("AB", "", 2),
        ]:
            with self.subTest(one=one, other=other):
                self.assertEqual(edits(one, other), expected)
