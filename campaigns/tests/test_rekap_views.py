"""R3 and R4 through the rekap pages, their files, the progress map on the map page
and the campaign page, and who may see them."""

import datetime
import io
import tempfile
import uuid
from pathlib import Path

import openpyxl
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from campaigns.models import (
    CampaignItem,
    CampaignLetter,
    Evidence,
    EvidenceKind,
    EvidenceState,
    EvidenceStatus,
    LetterChoice,
    VisitChoice,
)
from cooperatives.models import Cooperative, CooperativeStatus
from reports.models import RekapFreezeJob, RekapSnapshot
from reports.tests.rekap_testing import freeze
from reports.tests.test_rekap_views import decode_qr
from tests.personas import make_cooperative
from tests.test_exports_safe import assert_xlsx_safe

from .base import CampaignTestCase

HOSTILE = '=HYPERLINK("http://x.invalid","klik")'


class RekapR3R4Tests(CampaignTestCase):
    hostile: Cooperative

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.hostile = make_cooperative(HOSTILE, status=CooperativeStatus.TIDAK_AKTIF)
        Evidence.objects.create(
            item=cls.item_b,
            kind=EvidenceKind.KUNJUNGAN,
            status=EvidenceStatus.DITERIMA,
            on=datetime.date(2026, 2, 3),
            visit_result=VisitChoice.TIDAK_AKTIF,
        )
        CampaignLetter.objects.create(
            item=cls.item_b,
            kind=LetterChoice.PEMBERITAHUAN,
            sequence=1,
            number="001/500.3.2/DKUMKMP/2026",
            issued_on=datetime.date(2026, 1, 12),
            verification_token=uuid.uuid4(),
        )
        CampaignItem.objects.filter(pk=cls.item_a.pk).update(
            evidence_state=EvidenceState.TERVERIFIKASI
        )

    def make(self, client, code, year=2025):
        payload = {"code": code, "tahun_buku": year, "scope_code": "64.71"}
        with self.captureOnCommitCallbacks(execute=True):
            return client.post(reverse("reports:rekap_make"), payload)

    def test_staff_make_r4_and_see_its_table_and_progress_map(self):
        client = self.client_for(self.staff)
        self.make(client, "R4")
        snapshot = RekapSnapshot.objects.get(code="R4")
        page = client.get(snapshot.get_absolute_url())
        self.assertContains(page, "Hasil pemutakhiran 2025")
        self.assertContains(page, 'data-testid="region-map"')
        self.assertContains(page, "Kemajuan pemutakhiran")
        total = snapshot.tables[0]["total"]
        assert total[7] == 2 and total[8] == 1  # two items, coop A verified

    def test_staff_make_r3_listing_coop_b_with_its_visit_and_letter(self):
        client = self.client_for(self.staff)
        self.make(client, "R3")
        snapshot = RekapSnapshot.objects.get(code="R3")
        summary, table = snapshot.tables
        assert summary["total"][-1] == 2
        rows = dict(zip(table["row_keys"], table["rows"], strict=True))
        assert set(rows) == {str(self.coop_b.pk), str(self.hostile.pk)}
        row_b = rows[str(self.coop_b.pk)]
        assert row_b[6] == "C" and row_b[7] == "2026-02-03"
        assert row_b[8] == "Ditemukan, tidak aktif"
        assert row_b[9:11] == ["001/500.3.2/DKUMKMP/2026", "2026-01-12"]
        page = client.get(snapshot.get_absolute_url())
        self.assertContains(page, "KSP Beta Mandiri")
        self.assertContains(page, "3 Feb 2026")

    def test_r3_and_r4_say_what_their_classes_and_columns_mean(self):
        # R4 had no key to classes A-F and did not say what "Terverifikasi"
        # counts; R3's heading named only the not active, over class C rows
        # of Aktif cooperatives, and nothing said how many it lists.
        client = self.client_for(self.staff)
        for code in ("R3", "R4"):
            page = client.get(freeze(code, self.staff).get_absolute_url())
            notes = page.content.decode().split('data-testid="rekap-notes"')[1]
            self.assertIn("C · tidak ada RAT dalam jangka waktu", notes)
            self.assertIn("F · diusulkan dibubarkan", notes)
            if code == "R4":
                self.assertIn("Terverifikasi: koperasi yang buktinya", notes)
            else:
                self.assertContains(page, "tanpa bukti kegiatan (kelas C–F)")
                self.assertContains(page, "Ringkasan per kelas dan status")
                self.assertContains(page, 'data-testid="total-r3_ringkasan"')

    def test_r3_s_pdf_keeps_its_headings_whole_and_to_the_page(self):
        import pypdfium2
        from django.utils import translation

        from reports.rekap.files import snapshot_pdf
        from reports.tests.test_rekap_pdf import RIGHT_MARGIN, rightmost_character

        snapshot = freeze("R3", self.staff)
        with translation.override("en"):
            edge, width = rightmost_character(snapshot_pdf(snapshot))
        assert edge <= width - RIGHT_MARGIN + 0.5, ("en", edge, width)
        with translation.override("id"):
            pdf = snapshot_pdf(snapshot)
        document = pypdfium2.PdfDocument(pdf)
        text = " ".join(page.get_textpage().get_text_range() for page in document)
        document.close()
        # Broken at its syllables only: "Kelur-ahan" and "Kecamat-an" had been
        # the renderer's Indonesian patterns.
        text = text.replace("\u2010\r\n", "-").replace("\r\n", " ")
        assert "Kecamatan" in text or "Keca-matan" in text or "Kecama-tan" in text
        for wrong in ("Kelur-ahan", "Kecamat-an", "Kelurah-an"):
            assert wrong not in text, text[:3000]
        # The letterhead names the government the office belongs to.
        assert text.startswith("PEMERINTAH KOTA BALIKPAPAN DINAS KOPERASI"), text[:200]
        edge, width = rightmost_character(pdf)
        assert edge <= width - RIGHT_MARGIN + 0.5, (edge, width)

    def test_r3_reads_in_english_for_an_english_reader(self):
        # Its letter columns stayed "Pemberitahuan: nomor" on English pages,
        # and a withdrawn letter read "(undone)".
        client = self.client_for(self.staff)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        page = client.get(freeze("R3", self.staff).get_absolute_url())
        for heading in ("Notice: number", "Warning I: date", "Final warning: number"):
            self.assertContains(page, heading)
        self.assertNotContains(page, "Pemberitahuan: nomor")
        CampaignLetter.objects.update(cancelled_at=datetime.datetime.now(datetime.UTC))
        page = client.get(self.item_b.get_absolute_url())
        self.assertContains(page, "(cancelled)")

    def test_a_kecamatan_s_rekap_is_titled_by_its_kelurahan(self):
        # "R4 — Hasil pemutakhiran per kecamatan — Balikpapan Kota" over rows
        # of kelurahan, listed beside "Kota Balikpapan" in the index.
        kecamatan = self.coop_b.kelurahan.kecamatan
        client = self.client_for(self.staff)
        snapshot = freeze("R4", self.staff, scope=kecamatan.kemendagri_code)
        heading = f"R4 — Hasil pemutakhiran per kelurahan — Kecamatan {kecamatan.name}"
        self.assertContains(client.get(snapshot.get_absolute_url()), heading)
        self.assertContains(
            client.get(reverse("reports:rekap_index")),
            f"<td>Kecamatan {kecamatan.name}</td>",
        )
        city = freeze("R4", self.staff)
        self.assertContains(
            client.get(city.get_absolute_url()),
            "R4 — Hasil pemutakhiran per kecamatan — Kota Balikpapan",
        )

    def test_an_r3_frozen_before_its_summary_compares_its_list_only(self):
        snapshot = freeze("R3", self.staff)
        snapshot.tables = snapshot.tables[1:]  # as version 1 froze it
        snapshot.save()
        page = self.client_for(self.staff).get(
            reverse("reports:rekap_changes", args=[snapshot.pk])
        )
        self.assertEqual(page.context["changes"], [])

    def test_r3_and_r4_without_an_opened_campaign_are_refused_on_the_form(self):
        response = self.make(self.client_for(self.staff), "R3", year=2024)
        self.assertContains(
            response, "Belum ada pemutakhiran tahun 2024", status_code=400
        )
        assert not RekapFreezeJob.objects.exists()

    def test_officers_get_404_on_r3_r4_and_the_progress_map(self):
        officer = self.client_for(self.officer_b)
        for code in ("R3", "R4"):
            snapshot = freeze(code, self.staff)
            for url in [
                reverse("reports:rekap_detail", args=[snapshot.pk]),
                reverse("reports:rekap_changes", args=[snapshot.pk]),
                reverse("reports:rekap_download", args=[snapshot.pk, "xlsx"]),
                reverse("reports:rekap_download", args=[snapshot.pk, "pdf"]),
            ]:
                assert officer.get(url).status_code == 404, url
        assert self.make(officer, "R3").status_code == 404
        url = reverse("reports:region_map") + "?ukuran=pemutakhiran&tahun=2025"
        assert officer.get(url).status_code == 404
        assert officer.get(self.campaign.get_absolute_url()).status_code == 404

    def test_the_r3_xlsx_has_typed_dates_and_inert_names(self):
        snapshot = freeze("R3", self.staff)
        response = self.client_for(self.staff).get(
            reverse("reports:rekap_download", args=[snapshot.pk, "xlsx"])
        )
        assert assert_xlsx_safe(response.content) == 1
        sheet = openpyxl.load_workbook(io.BytesIO(response.content))["R3"]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[5][:2] == ("Nama koperasi", "NIK")
        body = {row[0]: row for row in rows[6:]}
        assert set(body) == {"KSP Beta Mandiri", HOSTILE}
        assert body["KSP Beta Mandiri"][7] == datetime.datetime(2026, 2, 3)
        assert body["KSP Beta Mandiri"][10] == datetime.datetime(2026, 1, 12)

    def test_the_r4_xlsx_totals_equal_the_snapshot_and_its_pdf_verifies(self):
        snapshot = freeze("R4", self.staff)
        client = self.client_for(self.staff)
        response = client.get(
            reverse("reports:rekap_download", args=[snapshot.pk, "xlsx"])
        )
        rows = list(
            openpyxl.load_workbook(io.BytesIO(response.content))["R4"].iter_rows(
                values_only=True
            )
        )
        assert rows[5][:8] == (
            "Kecamatan",
            "Kelas A",
            "Kelas B",
            "Kelas C",
            "Kelas D",
            "Kelas E",
            "Kelas F",
            "Jumlah",
        )
        assert rows[-1][:9] == ("Jumlah", 1, 0, 1, 0, 0, 0, 2, 1)
        pdf = client.get(reverse("reports:rekap_download", args=[snapshot.pk, "pdf"]))
        assert pdf.content.startswith(b"%PDF")
        # The map's table names its columns as the page does: "Aktif" headed
        # the count of verified cooperatives.
        import pypdfium2

        document = pypdfium2.PdfDocument(pdf.content)
        first = document[0].get_textpage().get_text_range()
        document.close()
        assert "Kecamatan Terverifikasi Semua %" in " ".join(first.split())
        (url,) = decode_qr(pdf.content)
        page = self.anonymous.get(url.removeprefix("http://testserver"))
        self.assertContains(page, snapshot.content_hash)
        self.assertContains(page, 'data-testid="intact"')

    def test_the_map_page_draws_campaign_progress_per_kelurahan(self):
        url = reverse("reports:region_map")
        response = self.client_for(self.staff).get(
            url, {"ukuran": "pemutakhiran", "wilayah": "kelurahan", "tahun": 2025}
        )
        region_map = response.context["map"]
        assert region_map.measure == "pemutakhiran"
        shares = {row.name: (row.numerator, row.denominator) for row in region_map.rows}
        assert shares["Klandasan Ulu"] == (1, 1)
        assert shares["Manggar"] == (0, 1)
        assert sum(d for _n, d in shares.values()) == 2
        self.assertContains(response, "Kemajuan pemutakhiran")
        # Its areas open the campaign's list, which it counts, not the registry.
        manggar = next(r for r in region_map.rows if r.name == "Manggar")
        assert manggar.href == (
            f"{self.campaign.get_absolute_url()}?kelurahan={self.coop_b.kelurahan_id}"
        )
        page = self.client_for(self.staff).get(manggar.href)
        assert [i.cooperative for i in page.context["page"]] == [self.coop_b]

    def test_the_campaign_page_shows_the_progress_map_linking_to_its_list(self):
        client = self.client_for(self.staff)
        response = client.get(self.campaign.get_absolute_url())
        region_map = response.context["progress_map"]
        rows = {row.name: row for row in region_map.rows}
        assert (
            rows["Balikpapan Timur"].numerator,
            rows["Balikpapan Timur"].denominator,
        ) == (0, 1)
        href = rows["Balikpapan Timur"].href
        assert href.startswith(self.campaign.get_absolute_url() + "?kecamatan=")
        self.assertContains(response, 'data-testid="region-map"')
        filtered = client.get(href)
        names = [item.cooperative.name for item in filtered.context["page"]]
        assert names == ["KSP Beta Mandiri"]
        per_kelurahan = client.get(
            self.campaign.get_absolute_url(), {"peta": "kelurahan"}
        )
        assert per_kelurahan.context["progress_map"].level == "kelurahan"

    def test_a_list_too_long_for_a_pdf_is_refused_with_a_message(self):
        snapshot = freeze("R3", self.staff)
        table = snapshot.tables[0]
        row = table["rows"][0]
        table["rows"] = [row] * 1001
        table["row_keys"] = [str(n) for n in range(1001)]
        RekapSnapshot.objects.filter(pk=snapshot.pk).update(tables=[table])
        client = self.client_for(self.staff)
        url = reverse("reports:rekap_download", args=[snapshot.pk, "pdf"])
        response = client.get(url, follow=True)
        self.assertRedirects(response, snapshot.get_absolute_url())
        self.assertContains(response, "lebih dari 1.000 baris")
        xlsx = client.get(reverse("reports:rekap_download", args=[snapshot.pk, "xlsx"]))
        assert xlsx.status_code == 200

    def test_the_rekap_command_makes_r4_and_refuses_r3_without_a_campaign(self):
        with tempfile.TemporaryDirectory() as folder:
            output = Path(folder) / "r4.xlsx"
            call_command("rekap", "make", "R4", "--year", "2025", "--output", output)
            sheet = openpyxl.load_workbook(output)["R4"]
            assert list(sheet.iter_rows(values_only=True))[-1][7] == 2
            with self.assertRaisesMessage(CommandError, "Belum ada pemutakhiran"):
                call_command(
                    "rekap", "make", "R3", "--year", "2024", "--output", output
                )

    def test_the_snapshot_page_shows_the_first_rows_of_a_long_list(self):
        snapshot = freeze("R3", self.staff)
        table = snapshot.tables[0]
        table["rows"] = [table["rows"][0]] * 501
        table["row_keys"] = [str(n) for n in range(501)]
        RekapSnapshot.objects.filter(pk=snapshot.pk).update(tables=[table])
        page = self.client_for(self.staff).get(snapshot.get_absolute_url())
        assert len(page.context["tables"][0]["rows"]) == 500
        self.assertContains(page, "Menampilkan 500 dari 501 baris")
