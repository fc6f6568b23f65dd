from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cooperatives.models import CooperativeStatus, Jenis, Kecamatan, Kelurahan, Pola
from tests.personas import PersonaTestCase, make_cooperative


class RegistryListTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        utara = Kelurahan.objects.get(name="Batu Ampar")
        for i in range(120):
            make_cooperative(
                f"Koperasi Uji {i:03d}",
                nik=f"64719{i:011d}",
                kelurahan=utara if i % 2 else Kelurahan.objects.get(name="Damai"),
                jenis=Jenis.SIMPAN_PINJAM if i % 3 == 0 else Jenis.KONSUMEN,
                pola=Pola.SYARIAH if i % 6 == 0 else Pola.KONVENSIONAL,
                status=CooperativeStatus.TIDAK_AKTIF
                if i % 5 == 0
                else CooperativeStatus.AKTIF,
            )

    def setUp(self):
        self.staff_client = self.client_for(self.staff)

    def get(self, **params):
        return self.staff_client.get(reverse("cooperatives:list"), params)

    def names(self, response):
        return [c.name for c in response.context["page"]]

    def test_it_searches_by_name_nik_and_badan_hukum(self):
        assert self.names(self.get(q="alpha sejahtera")) == ["Koperasi Alpha Sejahtera"]
        assert self.names(self.get(q="6471000000000002")) == ["KSP Beta Mandiri"]
        assert self.names(self.get(q="bh/ksp beta")) == ["KSP Beta Mandiri"]

    def test_it_filters_by_kecamatan_jenis_pola_and_status(self):
        utara = Kecamatan.objects.get(name="Balikpapan Utara")
        response = self.get(
            kecamatan=utara.pk, jenis="simpan_pinjam", status="aktif", per_page=100
        )
        expected = [i for i in range(120) if i % 2 and i % 3 == 0 and i % 5 != 0]
        assert response.context["page"].paginator.count == len(expected)
        assert (
            self.get(pola="syariah", per_page=100).context["page"].paginator.count == 20
        )

    def test_it_filters_by_kelurahan(self):
        damai = Kelurahan.objects.get(name="Damai")
        assert self.get(kelurahan=damai.pk).context["page"].paginator.count == 60

    def test_a_kelurahan_of_another_kecamatan_says_why_nothing_is_found(self):
        # "0 koperasi" with Manggar and Balikpapan Barat chosen, and no word why.
        batu_ampar = Kelurahan.objects.get(name="Batu Ampar")
        other = Kecamatan.objects.exclude(pk=batu_ampar.kecamatan_id).first()
        response = self.get(kelurahan=batu_ampar.pk, kecamatan=other.pk)
        self.assertEqual(self.names(response), [])
        self.assertContains(
            response,
            f"Kelurahan Batu Ampar ada di Kecamatan {batu_ampar.kecamatan.name}, "
            f"bukan {other.name}",
        )
        response = self.get(kelurahan=batu_ampar.pk, kecamatan=batu_ampar.kecamatan_id)
        self.assertNotContains(response, 'data-testid="region-mismatch"')

    def test_it_sorts_and_paginates_without_repeating_rows(self):
        def all_pages(order):
            names = []
            for page in (1, 2, 3, 4, 5):
                names += self.names(self.get(o=order, page=page))
            return names

        descending = all_pages("-nama")
        assert len(descending) == len(set(descending)) == 122
        assert all_pages("nama") == descending[::-1]
        assert descending.index("Koperasi Uji 119") < descending.index(
            "Koperasi Uji 001"
        )

    def test_page_links_keep_the_filters_and_the_export_takes_them(self):
        response = self.get(q="Uji", status="aktif", page=2)
        self.assertContains(response, "?q=Uji&amp;status=aktif&amp;page=3")
        self.assertContains(response, "?q=Uji&amp;status=aktif&amp;per_page=50")
        self.assertContains(response, 'name="query" value="?q=Uji&amp;status=aktif"')

    def test_an_invalid_filter_value_is_reported_not_a_500(self):
        response = self.get(jenis="bank", kecamatan="abc", page="x", per_page="9999")
        assert response.status_code == 200

    def test_htmx_requests_get_only_the_results(self):
        response = self.client_for(self.staff).get(
            reverse("cooperatives:list"), {"q": "Alpha"}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, "Koperasi Alpha Sejahtera")
        self.assertNotContains(response, "<html")
        # The page and its fragment share an address: "Back" must not show the
        # fragment the browser kept.
        self.assertIn("HX-Request", response["Vary"])
        self.assertIn("HX-Request", self.get()["Vary"])

    def test_the_query_count_does_not_grow_with_the_page_size(self):
        self.get()  # the first request of a session also stores the session
        counts = []
        for per_page in (25, 100):
            with CaptureQueriesContext(connection) as queries:
                response = self.get(per_page=per_page)
            assert len(response.context["page"]) == per_page
            counts.append(len(queries))
        assert counts[0] == counts[1]
        # Filtering by a kecamatan adds one query: validating the chosen kecamatan;
        # a search one more: the kelurahan whose name it matches.
        kecamatan = Kecamatan.objects.get(name="Balikpapan Utara")
        with self.assertNumQueries(counts[0] + 2):
            self.get(per_page=50, kecamatan=kecamatan.pk, q="Uji")

    def test_the_filters_say_all_and_the_sort_speaks_the_pages_language(self):
        page = self.get()
        for label in ("Semua jenis", "Semua kecamatan", "Semua kelurahan"):
            self.assertContains(page, f">{label}</option>")
        self.assertNotContains(page, "---------")
        # A kelompok says what its code stands for.
        self.assertContains(page, "KOPNEL — Koperasi Nelayan</option>")
        self.assertContains(page, "Kecamatan (menurun)")
        self.assertNotContains(page, "descending")
        self.staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})
        # The request activates English in this thread: put Indonesian back after.
        self.addCleanup(translation.activate, "id")
        english = self.get()
        self.assertContains(english, "District (descending)")
        self.assertContains(english, ">All types</option>")
