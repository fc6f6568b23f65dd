"""The one search: staff list, public site and API find the same cooperatives, in
any word order, with small typos, an exact NIK or nomor badan hukum first, in a
constant number of queries."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperatives.models import Cooperative, Kelurahan
from cooperatives.search import cooperative_search, is_search, search_words
from tests.personas import PersonaTestCase, make_cooperative


class SearchTests(PersonaTestCase):
    manuntung: Cooperative
    longer: Cooperative

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manuntung = make_cooperative(
            "KSPPS Manuntung Borneo",
            nik="6471000000000310",
            nomor_badan_hukum="AHU-0004521.AH.01.26.2019",
        )
        # Its NIK is the prefix of another's: the exact one comes first.
        cls.longer = make_cooperative(
            "Koperasi Zebra Makmur",
            nik="64710000000003",
            kelurahan=Kelurahan.objects.get(name="Manggar"),
        )

    def found(self, text: str) -> list[str]:
        queryset = cooperative_search(Cooperative.objects.all(), text)
        order = ["search_rank", "name"] if is_search(queryset) else ["name"]
        return list(queryset.order_by(*order).values_list("name", flat=True))

    def staff_names(self, text: str) -> list[str]:
        client = self.client_for(self.staff)
        page = client.get(reverse("cooperatives:list"), {"q": text})
        self.assertEqual(page.status_code, 200)
        return [c.name for c in page.context["page"]]

    def public_names(self, text: str) -> list[str]:
        page = self.anonymous.get(reverse("public:list"), {"q": text})
        self.assertEqual(page.status_code, 200)
        return [row["nama"] for row in page.context["rows"]]

    def api_names(self, text: str) -> list[str]:
        response = self.anonymous.get(reverse("public:api_cooperatives"), {"q": text})
        self.assertEqual(response.status_code, 200)
        return [row["nama"] for row in json.loads(response.content)["results"]]

    def test_words_are_read_in_any_order_without_punctuation(self):
        self.assertEqual(
            search_words("  manuntung, KSPPS  kspps "), ["MANUNTUNG", "KSPPS"]
        )
        self.assertEqual(self.found("Manuntung Borneo KSPPS"), [self.manuntung.name])
        self.assertEqual(self.found("borneo   kspps"), [self.manuntung.name])

    def test_a_small_typo_is_forgiven(self):
        self.assertEqual(self.found("manuntng"), [self.manuntung.name])
        self.assertEqual(self.found("borneo manuntng"), [self.manuntung.name])
        self.assertEqual(self.found("qwertyuiop"), [])

    def test_short_forms_find_what_they_stand_for_either_way(self):
        # Found by a member's walk-through: "KSP Abadi Bumi" found nothing though
        # "Koperasi Simpan Pinjam Abadi Bumi" is registered, and the other way.
        long = make_cooperative("Koperasi Simpan Pinjam Abadi Bumi")
        short = make_cooperative("KPRI Bina Mandiri")
        self.assertEqual(self.found("KSP Abadi Bumi"), [long.name])
        self.assertEqual(self.found("abadi ksp"), [long.name])
        self.assertEqual(
            self.found("Koperasi Pegawai Republik Indonesia Bina Mandiri"),
            [short.name],
        )
        self.assertEqual(self.found("kpri bina"), [short.name])
        # A short form inside another still finds it as typed ("KSP" in "KSPPS").
        self.assertIn(self.manuntung.name, self.found("ksp"))
        self.assertEqual(self.found("Manuntung Borneo KSPPS"), [self.manuntung.name])
        self.assertEqual(self.public_names("KSP Abadi Bumi"), [long.name])

    def test_a_nik_typed_with_its_label_is_the_nik(self):
        for text in ("NIK 6471000000000310", "nik: 6471 0000 0000 0310"):
            with self.subTest(text):
                self.assertEqual(self.found(text), [self.manuntung.name])

    def test_full_width_letters_and_digits_find_as_plain_ones(self):
        # A phone's Asian keyboard: "ＫＳＰＰＳ" and a full-width NIK found nothing.
        self.assertIn(self.manuntung.name, self.found("ＫＳＰＰＳ Ｍａｎｕｎｔｕｎｇ"))
        self.assertEqual(
            self.found("６４７１０００００００００３１０"), [self.manuntung.name]
        )
        self.assertIn(self.manuntung.name, self.public_names("ｍａｎｕｎｔｕｎｇ"))

    def test_every_word_must_be_found(self):
        self.assertEqual(self.found("manuntung sejahtera"), [])

    def test_an_exact_nik_or_nomor_badan_hukum_comes_first(self):
        self.assertEqual(
            self.found("64710000000003"), [self.longer.name, self.manuntung.name]
        )
        self.assertEqual(self.found("ahu-0004521.ah.01.26.2019"), [self.manuntung.name])
        self.assertEqual(self.staff_names("64710000000003")[0], self.longer.name)
        self.assertEqual(self.public_names("64710000000003")[0], self.longer.name)

    def test_a_kelurahan_finds_its_cooperatives(self):
        self.assertCountEqual(
            self.found("manggar"), [self.longer.name, self.coop_b.name]
        )

    def test_like_wildcards_are_read_as_the_characters_they_are(self):
        # A kelurahan name is matched with LIKE: "%" and "_" must not match all.
        self.assertEqual(self.found("%"), [])
        self.assertEqual(self.found("_"), [])
        self.assertEqual(self.found("mang%"), [])

    def test_staff_public_and_api_find_the_same(self):
        for text in ("manuntng", "Manuntung Borneo KSPPS", "beta", "6471000000000002"):
            with self.subTest(text):
                expected = self.found(text)
                self.assertTrue(expected)
                self.assertEqual(self.staff_names(text), expected)
                self.assertEqual(self.public_names(text), expected)
                self.assertEqual(self.api_names(text), expected)

    def test_the_query_count_does_not_depend_on_what_is_typed(self):
        self.public_names("")  # fills the cache of regions
        counts = {}
        for text in (
            "manuntng",
            "k o p e r a s i",
            "6471",
            "manggar",
            "beta mandiri",
            "ksp beta",
            "NIK 6471",
        ):
            with CaptureQueriesContext(connection) as captured:
                self.assertTrue(self.public_names(text), text)
            counts[text] = len(captured)
        self.assertEqual(len(set(counts.values())), 1, counts)
