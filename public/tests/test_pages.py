"""Public pages, exports and API: search, filters, counts, pagination and query
counts that do not grow with the data."""

import json
import re
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperatives.models import Cooperative, CooperativeStatus, Jenis, Kelurahan
from public.views import CappedPaginator
from tests.personas import PersonaTestCase, make_cooperative


class PublicPageTests(PersonaTestCase):
    def get(self, url, params=None):
        response = self.anonymous.get(url, params or {})
        self.assertEqual(response.status_code, 200, url)
        return response

    def queries(self, url, params=None):
        with CaptureQueriesContext(connection) as captured:
            self.get(url, params)
        return len(captured)

    def test_the_home_page_gives_the_city_figures(self):
        make_cooperative("Koperasi Tidur", status=CooperativeStatus.TIDAK_AKTIF)
        page = self.get(reverse("public:home"))
        self.assertContains(page, 'data-testid="terdaftar">3<')
        self.assertContains(page, 'data-testid="aktif">2<')
        self.assertContains(page, "Cari koperasi: nama, NIK, atau kelurahan")

    def test_the_home_chart_draws_each_kecamatan_without_a_script(self):
        # Two of three registered in Manggar's kecamatan, one elsewhere; the chart
        # library (210 KB over a phone's 3G) is not loaded.
        make_cooperative(
            "Koperasi Tidur",
            status=CooperativeStatus.TIDAK_AKTIF,
            kelurahan=Kelurahan.objects.get(name="Manggar"),
        )
        page = self.get(reverse("public:home")).content.decode()
        self.assertNotIn("chart.umd", page)
        bars = dict(
            (name, (total, active))
            for name, total, active in re.findall(
                r'<span>([^<]+)</span>.*?class="kec-bar" style="width: (\d+)%">'
                r'<div class="kec-bar-aktif" style="width: (\d+)%">',
                page,
                re.S,
            )
        )
        manggar = Kelurahan.objects.get(name="Manggar").kecamatan.name
        self.assertEqual(bars[manggar], ("100", "50"))
        self.assertIn(("50", "100"), bars.values())
        self.assertEqual(len(bars), 6, bars)
        self.assertIn("1 dari 2", page)

    @override_settings(PUBLIC_CACHE_SECONDS=300)
    def test_pages_are_cached_whole_and_carry_no_csrf_token(self):
        for url in (
            reverse("public:home"),
            reverse("public:list") + "?q=alpha",
            reverse("public:cooperative", args=[self.coop_a.pk]),
        ):
            with self.subTest(url):
                first = self.get(url)
                self.assertNotContains(first, "csrfmiddlewaretoken")
                self.assertNotIn("csrftoken", first.cookies)
                self.assertEqual(self.queries(url), 0)
        # The language switch works without a token, and the cache keeps languages
        # apart.
        member = self.anonymous
        response = member.post(
            reverse("set_language"), {"language": "en", "next": "/publik/"}
        )
        self.assertEqual(response.status_code, 302)
        english = member.get(reverse("public:home"))
        self.assertContains(english, 'lang="en"')

    def test_search_by_name_nik_or_kelurahan_and_filter(self):
        url = reverse("public:list")
        self.assertContains(self.get(url, {"q": "alpha"}), self.coop_a.name)
        page = self.get(url, {"q": "6471000000000002"})
        self.assertContains(page, self.coop_b.name)
        self.assertNotContains(page, self.coop_a.name)
        # Typed in groups, as it is printed on a certificate.
        for grouped in ("6471 0000 0000 0002", "6471-0000-0000-0002"):
            page = self.get(url, {"q": grouped})
            self.assertContains(page, self.coop_b.name)
            self.assertNotContains(page, self.coop_a.name)
        page = self.get(url, {"q": "manggar"})
        self.assertContains(page, self.coop_b.name)
        self.assertNotContains(page, self.coop_a.name)
        page = self.get(url, {"jenis": Jenis.SIMPAN_PINJAM})
        self.assertContains(page, "1 koperasi ditemukan")
        kecamatan = Kelurahan.objects.get(name="Klandasan Ulu").kecamatan_id
        page = self.get(
            url, {"kecamatan": kecamatan, "status": CooperativeStatus.AKTIF}
        )
        self.assertContains(page, self.coop_a.name)
        self.assertNotContains(page, self.coop_b.name)
        # Nonsense parameters are ignored rather than an error page.
        self.get(url, {"kecamatan": "abc", "status": "x", "page": "-1"})

    def test_a_result_links_its_page_and_escapes_what_a_name_holds(self):
        hostile = make_cooperative('KSP <script>alert("x")</script> & Co')
        page = self.get(reverse("public:list"), {"q": "ksp"})
        body = page.content.decode()
        self.assertNotIn("<script>alert", body)
        self.assertIn(
            "KSP &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co", body
        )
        detail = reverse("public:cooperative", args=[hostile.pk])
        self.assertIn(f'href="{detail}"', body)
        # The filters keep the chosen option selected.
        chosen = self.get(reverse("public:list"), {"jenis": Jenis.SIMPAN_PINJAM})
        self.assertContains(
            chosen, f'<option value="{Jenis.SIMPAN_PINJAM}" selected>', html=False
        )

    def test_each_result_names_its_kelurahan_and_kecamatan_without_a_query_a_row(
        self,
    ):
        url = reverse("public:list")
        self.get(url, {"q": "alpha"})  # the regions, read once per process
        one = self.queries(url, {"q": "alpha"})
        for name in ("Manggar Baru", "Gunung Samarinda", "Sepinggan"):
            make_cooperative(
                f"Koperasi Alpha {name}", kelurahan=Kelurahan.objects.get(name=name)
            )
        self.assertEqual(self.queries(url, {"q": "alpha"}), one)
        body = self.get(url, {"q": "alpha"}).content.decode()
        for name in ("Manggar Baru", "Gunung Samarinda", "Sepinggan", "Klandasan Ulu"):
            kelurahan = Kelurahan.objects.select_related("kecamatan").get(name=name)
            self.assertIn(f"{kelurahan.name}, {kelurahan.kecamatan.name}", body)

    def test_a_kelurahan_added_after_the_regions_were_read_is_named(self):
        url = reverse("public:list")
        self.get(url, {"q": "alpha"})  # the regions, kept by this process
        kecamatan = Kelurahan.objects.get(name="Manggar").kecamatan
        new = Kelurahan.objects.create(
            name="Kelurahan Baru Sekali",
            kecamatan=kecamatan,
            kemendagri_code="64.71.99.1099",
            bps_code="6471099099",
        )
        make_cooperative("Koperasi Alpha Baru", kelurahan=new)
        page = self.get(url, {"q": "alpha"})
        self.assertContains(page, f"Kelurahan Baru Sekali, {kecamatan.name}")

    def test_a_search_text_the_box_cannot_take_is_said_and_finds_nothing(self):
        url = reverse("public:list")
        for text in ("a" * 101, "alpha\x00"):
            with self.subTest(len(text)):
                page = self.get(url, {"q": text})
                self.assertContains(page, 'data-testid="search-problem"')
                # No count, no spelling advice: the search did not run.
                self.assertNotContains(page, "koperasi ditemukan")
                self.assertNotContains(page, "Periksa ejaan")
                self.assertNotContains(page, self.coop_a.name)

    @override_settings(PUBLIC_CACHE_SECONDS=300)
    def test_public_pages_vary_by_language_cookie_and_answer_head(self):
        for url in (
            reverse("public:home"),
            reverse("public:list"),
            reverse("public:cooperative", args=[self.coop_a.pk]),
            reverse("public:api_cooperatives"),
        ):
            with self.subTest(url):
                response = self.get(url)
                # The language is the switcher's cookie: a browser must not show
                # a page kept from before the switch.
                self.assertIn("Cookie", response["Vary"])
                self.assertEqual(self.anonymous.head(url).status_code, 200)
        # The announcements a member reaches from the public header answer HEAD too.
        head = self.anonymous.head(reverse("campaigns:objection_period"))
        self.assertEqual(head.status_code, 200)
        english = self.anonymous
        english.post(reverse("set_language"), {"language": "en", "next": "/publik/"})
        self.assertContains(english.get(reverse("public:list")), "All districts")
        # The poster says which language it is in, as the other pages do (it
        # said "id" in English too).
        poster = english.get(reverse("public:poster", args=[self.coop_a.pk]))
        self.assertContains(poster, '<html lang="en">')
        self.assertContains(
            self.get(reverse("public:poster", args=[self.coop_a.pk])),
            '<html lang="id">',
        )

    def test_a_search_matching_very_many_asks_to_be_narrowed(self):
        url = reverse("public:list")
        with (
            mock.patch.object(CappedPaginator, "LOOKAHEAD", 1),
            mock.patch("public.views.PAGE_SIZE", 1),
        ):
            page = self.get(url)
            self.assertContains(page, "Lebih dari 1 koperasi ditemukan")
            # Pages go on, but how many there are is not counted.
            self.assertContains(page, "Halaman 1")
            self.assertContains(page, "Berikutnya")
            self.assertContains(self.get(url, {"q": "alpha"}), "1 koperasi ditemukan")

    def test_the_count_reaches_the_page_asked_for_and_stops_at_the_cap(self):
        for i in range(12):
            make_cooperative(f"Koperasi Hitung {i:02d}")
        rows = Cooperative.objects.filter(name__startswith="Koperasi Hitung")
        rows = rows.order_by("name", "id")
        with (
            mock.patch.object(CappedPaginator, "LOOKAHEAD", 4),
            mock.patch.object(CappedPaginator, "COUNT_CAP", 8),
        ):
            first = CappedPaginator(rows, 2).get_page(1)
            # Counted to the page and four rows on: more than 4, pages go on.
            self.assertEqual(first.paginator.limit, 4)
            self.assertTrue(first.paginator.is_capped)
            self.assertEqual(first.paginator.shown_limit, "4")
            self.assertTrue(first.has_next())
            self.assertEqual(
                [c.name for c in first], ["Koperasi Hitung 00", "Koperasi Hitung 01"]
            )
            # The third page reaches row 6 and four more: counted to 8 (whole 4s).
            third = CappedPaginator(rows, 2).get_page("3")
            self.assertEqual(third.paginator.limit, 8)
            self.assertEqual(third.paginator.num_pages, 4)  # pages stop at the cap
            self.assertEqual(third.number, 3)
            # Past the cap: the last page within it.
            far = CappedPaginator(rows, 2).get_page(40)
            self.assertEqual(far.number, 4)
            self.assertFalse(far.has_next())
            # Not a page number, or none above 0: the first page.
            for number in ("x", 0, "-1", None):
                first = CappedPaginator(rows, 2).get_page(number)
                self.assertEqual((first.number, first.has_next()), (1, True))
        # Under the limit the count is exact and the pages are counted.
        exact = CappedPaginator(rows, 5).get_page(1)
        self.assertFalse(exact.paginator.is_capped)
        self.assertEqual(exact.paginator.count, 12)
        self.assertEqual(exact.paginator.num_pages, 3)
        last = CappedPaginator(rows, 5).get_page(9)
        self.assertEqual((last.number, len(last)), (3, 2))

    def test_the_api_answers_a_missing_record_in_json(self):
        response = self.anonymous.get(reverse("public:api_cooperative", args=[99999]))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(
            response.json(),
            {"errors": {"id": ["Tidak ada koperasi dengan nomor 99999."]}},
        )
        schema = self.anonymous.get(reverse("public:api_schema")).json()
        answers = schema["paths"]["/koperasi/{id}/"]["get"]["responses"]
        self.assertIn("application/json", answers["404"]["content"])
        self.assertIn("Kesalahan", schema["components"]["schemas"])

    def test_the_open_data_page_says_how_values_are_written_and_under_what_licence(
        self,
    ):
        page = self.get(reverse("public:open_data"))
        rows = dict(
            re.findall(
                r"<code>(\w+)</code></td>.*?<td[^>]*>[^<]*</td><td[^>]*>([^<]+)</td>",
                page.content.decode(),
            )
        )
        self.assertEqual(
            rows["tanggal_badan_hukum"],
            ("tanggal TTTT-BB-HH (2024-05-01); kosong bila tidak diketahui"),
        )
        self.assertEqual(rows["aktif"], "CSV: ya/tidak; JSON: true/false")
        self.assertEqual(rows["id"], "bilangan bulat, tanpa pemisah ribuan")
        self.assertEqual(rows["nama"], "teks")
        self.assertContains(page, 'rel="license">CC BY 4.0</a>')
        self.assertContains(page, "paling lama 5 menit di belakangnya")
        schema = self.anonymous.get(reverse("public:api_schema")).json()
        self.assertEqual(schema["info"]["license"]["name"], "CC BY 4.0")
        with self.settings(OPEN_DATA_LICENCE=""):
            cache.clear()
            self.assertNotContains(
                self.get(reverse("public:open_data")), 'data-testid="licence"'
            )

    def test_query_counts_do_not_grow_with_the_data(self):
        list_url = reverse("public:list")
        detail = reverse("public:cooperative", args=[self.coop_a.pk])
        api = reverse("public:api_cooperatives")
        for url in (list_url, detail, api):
            self.get(url)  # fills the small caches (the kecamatan list)
        before = [self.queries(u) for u in (list_url, detail, api)]
        for i in range(25):
            make_cooperative(f"Koperasi Tambahan {i:02d}")
        after = [self.queries(u) for u in (list_url, detail, api)]
        self.assertEqual(before, after)
        self.assertLessEqual(max(after), 4)

    def test_the_cooperative_page_speaks_plainly(self):
        page = self.get(reverse("public:cooperative", args=[self.coop_a.pk]))
        self.assertContains(page, "Koperasi ini AKTIF.")
        # The status is said once, not again as "Status" and "Aktif: Ya".
        labels = [str(label) for label, _ in page.context["fields"]]
        self.assertNotIn("Status", labels)
        self.assertNotIn("Aktif", labels)
        self.assertNotContains(page, ">Ya<")
        self.assertContains(page, "Belum ada hasil penilaian kesehatan")
        self.assertContains(page, "Tanyakan dulu kepada pengurus koperasi Anda")
        self.assertContains(page, 'id="qr-code"')
        # Kept for a few minutes: it says when it was made (a change made at the
        # Dinas since looked missing).
        made = timezone.localtime(page.context["as_of"])
        self.assertContains(page, f"Data per {made:%-d} ")
        self.assertContains(page, " WITA; perubahan di Dinas tampil di sini")
        # Its address is the office's public one, whatever the visitor typed.
        with self.settings(SITE_URL="https://koperasi.contoh.go.id"):
            poster = self.get(reverse("public:poster", args=[self.coop_a.pk]))
        self.assertContains(poster, "Cetak poster")
        self.assertContains(
            poster, f"https://koperasi.contoh.go.id/publik/koperasi/{self.coop_a.pk}/"
        )
        qr = self.get(reverse("public:qr", args=[self.coop_a.pk]))
        self.assertEqual(qr["Content-Type"], "image/svg+xml")
        self.assertIn(b'xmlns="http://www.w3.org/2000/svg"', qr.content)
        self.assertEqual(
            self.anonymous.get(
                reverse("public:cooperative", args=[999999])
            ).status_code,
            404,
        )

    def test_a_status_short_of_aktif_says_what_it_means(self):
        # "Dalam Proses Pembubaran" stood alone, with no word on what it means
        # or where a member turns.
        winding_up = make_cooperative(
            "Koperasi Senja", status=CooperativeStatus.DALAM_PEMBUBARAN
        )
        page = self.get(reverse("public:cooperative", args=[winding_up.pk]))
        self.assertContains(page, "Status koperasi ini: Dalam Proses Pembubaran.")
        self.assertContains(page, "Dinas sedang memproses pembubaran koperasi ini.")
        asleep = make_cooperative(
            "Koperasi Tidur", status=CooperativeStatus.TIDAK_AKTIF
        )
        page = self.get(reverse("public:cooperative", args=[asleep.pk]))
        self.assertContains(page, "Dinas mencatat koperasi ini tidak aktif.")
        self.assertNotContains(page, "tidak menyelenggarakan RAT")
        # Aktif with a RAT in the last three years: nothing to add.
        Cooperative.objects.filter(pk=self.coop_a.pk).update(
            last_rat_year=timezone.localdate().year - 1
        )
        page = self.get(reverse("public:cooperative", args=[self.coop_a.pk]))
        self.assertNotContains(page, 'data-testid="status-meaning"')
        self.assertContains(page, "alert-success")

    def test_aktif_without_a_rat_in_three_years_says_so(self):
        # "Koperasi ini AKTIF. RAT terakhir: 25 Februari 2019." read as a
        # cooperative that holds its meetings.
        year = timezone.localdate().year
        for last in (year - 8, None):
            with self.subTest(last=last):
                Cooperative.objects.filter(pk=self.coop_a.pk).update(
                    last_rat_year=last, last_rat_date=None
                )
                cache.clear()  # the public page is kept a few minutes
                page = self.get(reverse("public:cooperative", args=[self.coop_a.pk]))
                self.assertContains(page, "Koperasi ini AKTIF.")
                self.assertContains(page, "tidak mencatat RAT koperasi ini dalam tiga")
                self.assertContains(page, "alert-warning")
        # Two months old: it owes no three years of meetings.
        Cooperative.objects.filter(pk=self.coop_a.pk).update(
            tanggal_badan_hukum=timezone.localdate().replace(day=1)
        )
        cache.clear()
        page = self.get(reverse("public:cooperative", args=[self.coop_a.pk]))
        self.assertNotContains(page, "tidak mencatat RAT koperasi ini")

    def test_the_api_paginates_filters_and_refuses_bad_parameters(self):
        for i in range(5):
            make_cooperative(f"Koperasi Api {i}")
        url = reverse("public:api_cooperatives")
        data = json.loads(self.get(url, {"page_size": 2}).content)
        self.assertEqual(
            (data["count"], data["pages"], len(data["results"])), (7, 4, 2)
        )
        self.assertIn("page=2", data["next"])
        self.assertIsNone(data["previous"])
        data = json.loads(self.get(url, {"jenis": Jenis.SIMPAN_PINJAM}).content)
        self.assertEqual([r["nama"] for r in data["results"]], [self.coop_b.name])
        bad = self.anonymous.get(url, {"kecamatan": "abc"})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("kecamatan", json.loads(bad.content)["errors"])
        self.assertIn("public", self.get(url)["Cache-Control"])
        # Paging as the OpenAPI description states it: refused, not adjusted.
        for params, name in (
            ({"page": "0"}, "page"),
            ({"page": "-1"}, "page"),
            ({"page": "abc"}, "page"),
            ({"page": "99"}, "page"),
            ({"page_size": "0"}, "page_size"),
            ({"page_size": "201"}, "page_size"),
            ({"page_size": "x"}, "page_size"),
        ):
            with self.subTest(params):
                bad = self.anonymous.get(url, params)
                self.assertEqual(bad.status_code, 400)
                self.assertEqual(list(json.loads(bad.content)["errors"]), [name])
        last = json.loads(self.get(url, {"page_size": 2, "page": 4}).content)
        self.assertEqual((last["page"], len(last["results"])), (4, 1))

    def test_statistics_match_the_registry(self):
        make_cooperative("Koperasi Tidur", status=CooperativeStatus.TIDAK_AKTIF)
        data = json.loads(self.get(reverse("public:api_statistics")).content)
        self.assertEqual((data["terdaftar"], data["aktif"]), (3, 2))
        self.assertEqual(sum(r["terdaftar"] for r in data["per_kecamatan"]), 3)
        self.assertEqual(sum(r["aktif"] for r in data["per_jenis"]), 2)
        # The health counts say whose tahun buku they are (none assessed yet).
        self.assertIn("kesehatan_tahun_buku", data)
        self.assertIsNone(data["kesehatan_tahun_buku"])
        csv_text = self.get(reverse("public:export_statistics", args=["csv"])).content
        self.assertIn("total,Kota,3,2", csv_text.decode("utf-8-sig"))

    def test_the_cached_statistics_keep_languages_apart(self):
        url = reverse("public:api_statistics")
        english = self.anonymous
        english.post(reverse("set_language"), {"language": "en", "next": "/publik/"})
        for client, label in (
            (english, "Conventional Savings and Loans"),
            (self.anonymous, "Simpan Pinjam Konvensional"),
        ):
            names = [
                r["jenis"] for r in json.loads(client.get(url).content)["per_jenis"]
            ]
            self.assertIn(label, names)

    def test_exports_are_downloads_of_every_cooperative(self):
        response = self.get(reverse("public:export_cooperatives", args=["csv"]))
        self.assertIn("attachment", response["Content-Disposition"])
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        self.assertEqual(len(lines), 3)
        rows = json.loads(
            b"".join(
                self.get(
                    reverse("public:export_cooperatives", args=["json"])
                ).streaming_content
            )
        )
        self.assertEqual(
            {r["nama"] for r in rows}, {self.coop_a.name, self.coop_b.name}
        )
        self.assertEqual(
            self.anonymous.get("/publik/data/koperasi.xml").status_code, 404
        )


class PublicValuesTests(PersonaTestCase):
    @override_settings(PUBLIC_EXTRA_FIELDS=["anggota", "aset"])
    def test_the_cooperative_page_shows_values_as_every_page_does(self):
        self.coop_a.figures.update(members_male=1250)
        page = self.anonymous.get(reverse("public:cooperative", args=[self.coop_a.pk]))
        shown = page.context["shown"]
        self.assertEqual(shown["tanggal_badan_hukum"], "17 Mei 2001")
        self.assertEqual(shown["aktif"], "Ya")
        self.assertEqual(shown["aset"], "Rp 1.250.000")
        self.assertEqual(shown["anggota"], "1.250")
        self.assertEqual(shown["rat_terakhir"], "—")
        self.assertContains(
            page, '<dd class="col-7 col-sm-8 text-break">Rp 1.250.000</dd>'
        )

    def test_the_filters_say_all(self):
        page = self.anonymous.get(reverse("public:list"))
        self.assertContains(page, "Semua jenis")
        self.assertContains(page, "Semua kecamatan")
        self.assertNotContains(page, "---------")

    def test_the_api_gives_the_last_rats_tahun_buku_wherever_its_date_is_known(self):
        import datetime

        dated = make_cooperative(
            "Koperasi Bertanggal", last_rat_date=datetime.date(2025, 3, 14)
        )
        both = make_cooperative(
            "Koperasi Lengkap",
            last_rat_date=datetime.date(2025, 3, 14),
            last_rat_year=2023,
        )
        url = reverse("public:api_cooperatives")
        rows = {
            r["nama"]: r for r in json.loads(self.anonymous.get(url).content)["results"]
        }
        self.assertEqual(rows[dated.name]["rat_terakhir_tahun_buku"], 2024)
        self.assertEqual(rows[both.name]["rat_terakhir_tahun_buku"], 2023)
        self.assertIsNone(rows[self.coop_b.name]["rat_terakhir_tahun_buku"])


def test_the_filter_boxes_escape_every_value_and_keep_the_choice():
    from public.filters import Control
    from public.templatetags.public_search import filter_controls

    html = filter_controls(
        (
            Control(
                name="kecamatan",
                id="id_kecamatan",
                label='Kecamatan <b>"&"</b>',
                options=(("", "Semua", False), ('3"><script>', "<i>X & Y</i>", True)),
            ),
        )
    )
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "Kecamatan &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;" in html
    assert '<option value="3&quot;&gt;&lt;script&gt;" selected>' in html
    assert "&lt;i&gt;X &amp; Y&lt;/i&gt;</option>" in html
    assert '<option value="">Semua</option>' in html
