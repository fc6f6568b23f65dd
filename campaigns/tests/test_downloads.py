"""The campaign's downloads: result per kecamatan and class, status changes, and
the usulan pembubaran (exactly the class F cooperatives) with its cover letter."""

import io
import uuid
from datetime import timedelta

import openpyxl
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CampaignLetter, Objection
from campaigns.services import campaign_refresh, items_decide
from campaigns.tests.base import CampaignTestCase, dissolve, open_campaign
from cooperatives.models import Cooperative, StatusChange
from cooperatives.services import cooperative_change_status
from tests.personas import make_cooperative


def sheet(response):
    """The first sheet's values; fails on a formula cell (text is written inert,
    with Excel's quote prefix)."""
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    active = openpyxl.load_workbook(io.BytesIO(data)).active
    assert all(cell.data_type != "f" for row in active.iter_rows() for cell in row)
    values = list(active.values)
    # What it is, whose and as of when, above the table (a forwarded file still
    # says so), then a blank line.
    assert values[0][0].startswith("Pemutakhiran 2025 — "), values[0]
    assert values[1][0] == settings.OFFICE_NAME
    assert "keadaan per" in values[2][0] or "dibekukan" in values[2][0]
    assert not any(values[3])
    return values[4:]


class DownloadTests(CampaignTestCase):
    evil: Cooperative
    objected: Cooperative

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.evil = make_cooperative('=HYPERLINK("http://x")', last_rat_year=2010)
        cls.objected = make_cooperative("KUD Keberatan", last_rat_year=2010)
        cls.campaign.delete()
        cls.campaign = open_campaign()
        cls.item_b = cls.campaign.items.get(cooperative=cls.coop_b)
        today = timezone.localdate()
        for coop in (cls.coop_b, cls.evil, cls.objected):
            item = cls.campaign.items.get(cooperative=coop)
            day = today - timedelta(days=170)
            for kind in ("pemberitahuan", "teguran_1", "teguran_2", "peringatan"):
                CampaignLetter.objects.create(
                    item=item,
                    kind=kind,
                    sequence=CampaignLetter.objects.count() + 1,
                    number=f"{CampaignLetter.objects.count() + 1:03d}/X/2025",
                    issued_on=day,
                    verification_token=uuid.uuid4(),
                )
                day += timedelta(days=31)
            item.peringatan_on = day - timedelta(days=31)
            item.save()
        Objection.objects.create(
            item=cls.campaign.items.get(cooperative=cls.objected),
            name="Anggota",
            contact="0812",
            text="Masih aktif",
        )
        campaign_refresh()

    def get(self, what, user=None):
        url = reverse("campaigns:download", args=[2025, what])
        return self.client_for(user or self.staff).get(url)

    def test_usulan_lists_exactly_the_class_f_cooperatives(self):
        rows = sheet(self.get("usulan"))
        names = sorted(row[1] for row in rows[1:])
        self.assertEqual(names, ['=HYPERLINK("http://x")', "KSP Beta Mandiri"])
        header = rows[0]
        self.assertEqual(header[0], "No.")  # not "Tidak", Django's "no" of yes/no
        beta = next(row for row in rows[1:] if row[1] == "KSP Beta Mandiri")
        record = dict(zip(header, beta, strict=True))
        self.assertEqual(record["Keberatan"], "Tidak ada")
        self.assertTrue(
            str(record["Peringatan tertulis (rencana pembubaran): nomor"]).endswith(
                "/X/2025"
            )
        )

    def test_usulan_leaves_out_a_cooperative_dissolved_since(self):
        # Dissolved by the Ministry after reaching class F, it was still proposed
        # for dissolution in the cover letter, the list and the page's count.
        dissolve(self.evil, by=self.staff)
        rows = sheet(self.get("usulan"))
        self.assertEqual([row[1] for row in rows[1:]], ["KSP Beta Mandiri"])
        page = self.client_for(self.staff).get(
            reverse("campaigns:downloads", args=[2025])
        )
        self.assertEqual(page.context["usulan"], 1)

    def test_no_cover_letter_for_no_cooperative(self):
        from campaigns.models import CampaignItem

        CampaignItem.objects.filter(proposed_class="F").update(proposed_class="C")
        response = self.client_for(self.staff).get(
            reverse("campaigns:download", args=[2025, "usulan-surat"]), follow=True
        )
        self.assertContains(response, "Belum ada koperasi yang diusulkan dibubarkan")
        self.assertNotEqual(response["Content-Type"], "application/pdf")

    def test_the_cover_letter_is_a_pdf(self):
        response = self.get("usulan-surat")
        self.assertEqual(response.content[:5], b"%PDF-")
        # Headed as the office's letters are (it had no "Nomor" or "Lampiran").
        import pypdfium2

        document = pypdfium2.PdfDocument(response.content)
        text = " ".join(document[0].get_textpage().get_text_range().split())
        document.close()
        self.assertIn("Nomor :", text)
        self.assertIn("Lampiran : 1 (satu) berkas Excel", text)

    def test_result_rows_add_up(self):
        rows = sheet(self.get("hasil"))
        total = rows[-1]
        self.assertEqual(total[0], "Jumlah")
        self.assertEqual(total[-1], 4)
        self.assertEqual(sum(r[-1] for r in rows[1:-1]), 4)

    def test_status_changes_list_the_decisions_that_changed_something(self):
        items_decide(
            acting_user=self.staff,
            items=[self.item_b],
            new_status="dalam_pembubaran",
            reason="Usulan pembubaran",
        )
        # A change made on the cooperative's own page while the campaign runs is
        # a change of the campaign's period too (the list missed it).
        cooperative_change_status(
            acting_user=self.staff,
            cooperative=self.coop_a,
            new_status="tidak_aktif",
            reason="Hasil kunjungan",
            effective_date=timezone.localdate(),
        )
        # Decided again: both changes are the campaign's.
        for status in ("aktif", "dalam_pembubaran"):
            items_decide(
                acting_user=self.staff,
                items=[self.item_b],
                new_status=status,
                reason="Ditinjau lagi",
            )
        rows = sheet(self.get("perubahan"))
        beta_rows = [r for r in rows[1:] if r[0] == "KSP Beta Mandiri"]
        self.assertEqual([r[8] for r in beta_rows], ["Pemutakhiran"] * 3)
        by_name = {r[0]: r for r in rows[1:]}
        self.assertEqual(set(by_name), {"KSP Beta Mandiri", self.coop_a.name})
        beta = by_name["KSP Beta Mandiri"]
        self.assertEqual(
            (beta[5], beta[8]), ("Dalam Proses Pembubaran", "Pemutakhiran")
        )
        alpha = by_name[self.coop_a.name]
        self.assertEqual((alpha[4], alpha[5]), ("Aktif", "Tidak Aktif"))
        self.assertEqual((alpha[6], alpha[8]), ("Hasil kunjungan", "Halaman koperasi"))
        # One an ODS import made (its reason as the import writes it, in English
        # too) says so.
        StatusChange.objects.create(
            cooperative=self.coop_a,
            from_status="tidak_aktif",
            to_status="aktif",
            effective_date=timezone.localdate(),
            reason="ODS import #7",
        )
        rows = sheet(self.get("perubahan"))
        made = [r[8] for r in rows[1:] if r[0] == self.coop_a.name]
        self.assertEqual(made, ["Halaman koperasi", "Impor ODS"])

    def test_downloads_are_for_staff(self):
        self.assertEqual(self.get("usulan", self.officer_b).status_code, 404)
        page = reverse("campaigns:downloads", args=[2025])
        self.assertContains(self.client_for(self.staff).get(page), "2 koperasi")
        self.assertEqual(self.client_for(self.officer_b).get(page).status_code, 404)
        self.assertEqual(self.get("lainnya").status_code, 404)
