import csv
import io
import re
from datetime import timedelta

import openpyxl
import pypdfium2
import zxingcpp
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cooperatives.models import CooperativeStatus
from reports.models import (
    FreezeStatus,
    RekapFreezeJob,
    RekapSnapshot,
    SnapshotStatus,
)
from tests.personas import PersonaTestCase

from .rekap_testing import YEAR, freeze


def decode_qr(pdf_bytes: bytes) -> list[str]:
    """Every QR code on every page of a PDF, read from the rendered image."""
    texts = []
    document = pypdfium2.PdfDocument(pdf_bytes)
    for page in document:
        image = page.render(scale=3).to_pil()
        texts += [r.text for r in zxingcpp.read_barcodes(image)]
    document.close()
    return texts


class RekapViewTests(PersonaTestCase):
    def make(self, client, **data):
        payload = {"code": "R1", "tahun_buku": YEAR, "scope_code": "64.71", **data}
        with self.captureOnCommitCallbacks(execute=True):
            return client.post(reverse("reports:rekap_make"), payload)

    def kepala_dinas(self):
        self.staff.groups.add(Group.objects.get(name="Kepala Dinas"))
        return self.client_for(self.staff)

    def test_staff_make_r1_and_land_on_the_frozen_snapshot(self):
        client = self.client_for(self.staff)
        response = self.make(client)
        job = RekapFreezeJob.objects.get()
        self.assertRedirects(response, job.get_absolute_url())
        job.refresh_from_db()
        assert job.status == FreezeStatus.DONE and job.progress == 100
        snapshot = job.snapshot
        assert snapshot.version == 1 and snapshot.status == SnapshotStatus.DRAF
        assert snapshot.made_by == self.staff
        poll = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
        assert poll["HX-Redirect"] == snapshot.get_absolute_url()
        assert "HX-Request" in poll["Vary"]
        page = client.get(snapshot.get_absolute_url())
        self.assertContains(page, "Balikpapan Tengah")
        self.assertContains(page, snapshot.content_hash)
        self.assertContains(page, 'data-testid="region-map"')
        # What "RAT tahun buku" counts, beside the other pages' RAT figures.
        self.assertContains(page, 'data-testid="rekap-notes"')
        self.assertContains(page, "RAT tahun buku: koperasi yang tercatat di registri")

    def test_reports_not_yet_accepted_are_said_before_freezing(self):
        # R1 counted them as held RAT, R3 listed their cooperatives as without
        # one: the page now says so beside "Bekukan rekap".
        from reports.selectors import reporting_year

        from .rat_testing import submitted_report

        url = reverse("reports:rekap_index")
        staff = self.client_for(self.staff)
        self.assertNotContains(staff.get(url), 'data-testid="rat-not-accepted"')
        report = submitted_report(self.officer_a, self.coop_a)
        if report.tahun_buku != reporting_year():
            type(report).objects.filter(pk=report.pk).update(
                tahun_buku=reporting_year()
            )
        page = staff.get(url)
        self.assertContains(page, 'data-testid="rat-not-accepted"')
        self.assertContains(page, "1 laporan RAT tahun buku")
        # Still said when the form comes back refused (it was left out).
        refused = staff.post(reverse("reports:rekap_make"), {"code": "R9"})
        self.assertEqual(refused.status_code, 400)
        self.assertContains(refused, 'data-testid="rat-not-accepted"', status_code=400)

    def test_making_the_same_period_again_keeps_version_1_beside_version_2(self):
        client = self.client_for(self.staff)
        self.make(client)
        self.coop_b.status = CooperativeStatus.TIDAK_AKTIF
        self.coop_b.save()
        self.make(client)
        first, second = RekapSnapshot.objects.order_by("version")
        assert (first.version, second.version) == (1, 2)
        assert first.tables != second.tables
        assert first.content_hash != second.content_hash
        self.assertContains(client.get(second.get_absolute_url()), "v1")

    def test_a_year_not_yet_begun_is_refused_with_a_message(self):
        response = self.make(self.client_for(self.staff), tahun_buku=2999)
        self.assertContains(response, "Tahun buku", status_code=400)
        assert not RekapFreezeJob.objects.exists()

    def test_the_page_says_when_its_figures_are_not_those_of_its_date(self):
        client = self.client_for(self.staff)
        today = timezone.localdate()
        # A date to come is refused: the figures are the registry's of today.
        response = self.make(client, as_of=(today + timedelta(days=1)).isoformat())
        self.assertContains(response, "tidak boleh di masa depan", status_code=400)
        # Nor before its tahun buku begins, nor before 1900 ("1 Januari 0001" was
        # taken).
        response = self.make(client, as_of="2019-06-30")
        self.assertContains(response, "sebelum tahun buku", status_code=400)
        response = self.make(client, as_of="0001-01-01")
        self.assertContains(response, "sebelum tahun 1900", status_code=400)
        self.make(client, as_of=(today - timedelta(days=200)).isoformat())
        self.make(client, as_of=today.isoformat())
        long_after, same_day = RekapSnapshot.objects.order_by("pk")
        self.assertContains(
            client.get(long_after.get_absolute_url()), 'data-testid="frozen-long-after"'
        )
        self.assertNotContains(
            client.get(same_day.get_absolute_url()), 'data-testid="frozen-long-after"'
        )
        # The paper that goes upward says it too (the page alone did).
        for snapshot, said in ((long_after, True), (same_day, False)):
            pdf = client.get(
                reverse("reports:rekap_download", args=[snapshot.pk, "pdf"])
            )
            data = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
            document = pypdfium2.PdfDocument(data)
            text = document[0].get_textpage().get_text_range()
            document.close()
            text = " ".join(text.split())
            assert ("angka rekap ini adalah registri pada saat" in text) is said
            # The title gives the day the figures are of: it had said the day
            # asked for, above figures of another.
            shown = long_after.figures_as_of if said else same_day.as_of
            from django.utils import translation
            from django.utils.formats import date_format

            with translation.override("id"):
                assert f"keadaan per {date_format(shown, 'j F Y')}" in text, text
        # And the workbook, which is what is forwarded: on every sheet, in its
        # title block, and on the notes sheet.
        import io

        import openpyxl

        for snapshot, said in ((long_after, True), (same_day, False)):
            xlsx = client.get(
                reverse("reports:rekap_download", args=[snapshot.pk, "xlsx"])
            )
            data = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
            for sheet in workbook.worksheets:
                top = [row[0] for row in sheet.iter_rows(max_row=5, values_only=True)]
                said_here = any(
                    "angka rekap ini adalah registri" in str(v) for v in top
                )
                assert said_here is said, (
                    sheet.title,
                    top,
                )

    def test_an_unknown_report_or_scope_is_refused(self):
        client = self.client_for(self.staff)
        assert self.make(client, code="R9").status_code == 400
        assert self.make(client, scope_code="99.99").status_code == 400
        assert not RekapFreezeJob.objects.exists()

    def test_a_job_done_before_its_page_opens_leads_to_the_rekap(self):
        # A quick freeze finished before the page was first shown: no poll ran
        # to lead on, and staff stopped at "Rekap sudah dibekukan".
        snapshot = freeze("R1", self.staff)
        job = RekapFreezeJob.objects.get()
        client = self.client_for(self.staff)
        url = reverse("reports:rekap_job", args=[job.pk])
        page = client.get(url)
        self.assertContains(page, f'hx-get="{url}" hx-trigger="load"')
        asked = client.get(url, headers={"HX-Request": "true"})
        assert asked["HX-Redirect"] == snapshot.get_absolute_url()

    def test_officers_get_404_on_every_rekap_view(self):
        snapshot = freeze("R5", self.staff)
        job = RekapFreezeJob.objects.get()
        officer = self.client_for(self.officer_a)
        gets = [
            reverse("reports:rekap_index"),
            reverse("reports:region_map"),
            reverse("reports:rekap_job", args=[job.pk]),
            reverse("reports:rekap_detail", args=[snapshot.pk]),
            reverse("reports:rekap_changes", args=[snapshot.pk]),
        ] + [
            reverse("reports:rekap_download", args=[snapshot.pk, fmt])
            for fmt in ("xlsx", "pdf", "csv")
        ]
        for url in gets:
            assert officer.get(url).status_code == 404, url
        posts = [
            reverse("reports:rekap_make"),
            reverse("reports:rekap_approve", args=[snapshot.pk]),
            reverse("reports:rekap_send", args=[snapshot.pk]),
        ]
        for url in posts:
            assert officer.post(url, {"code": "R1"}).status_code == 404, url
        assert RekapFreezeJob.objects.count() == 1
        snapshot.refresh_from_db()
        assert snapshot.status == SnapshotStatus.DRAF

    def test_anonymous_users_are_sent_to_log_in(self):
        response = self.anonymous.get(reverse("reports:rekap_index"))
        assert response.status_code == 302 and "/akun/login/" in response["Location"]

    def test_post_only_views_reject_get(self):
        snapshot = freeze("R1", self.staff)
        client = self.client_for(self.staff)
        for url in (
            reverse("reports:rekap_make"),
            reverse("reports:rekap_approve", args=[snapshot.pk]),
            reverse("reports:rekap_send", args=[snapshot.pk]),
        ):
            assert client.get(url).status_code == 405

    def test_only_the_approving_role_approves(self):
        snapshot = freeze("R1", self.staff)
        url = reverse("reports:rekap_approve", args=[snapshot.pk])
        assert self.client_for(self.staff).post(url).status_code == 403
        snapshot.refresh_from_db()
        assert snapshot.status == SnapshotStatus.DRAF
        response = self.kepala_dinas().post(url)
        self.assertRedirects(response, snapshot.get_absolute_url())
        snapshot.refresh_from_db()
        assert snapshot.status == SnapshotStatus.DISETUJUI
        assert snapshot.approved_by == self.staff

    def test_a_version_made_again_since_is_not_approved(self):
        # v1 could be approved beside a v2 frozen after it, without a word.
        first = freeze("R1", self.staff)
        second = freeze("R1", self.staff)
        assert (first.version, second.version) == (1, 2)
        client = self.kepala_dinas()
        page = client.get(first.get_absolute_url())
        self.assertContains(page, "Versi ini sudah digantikan oleh")
        self.assertContains(page, second.get_absolute_url())
        self.assertNotContains(page, "Setujui rekap")
        # A page opened before v2 was made, sent now.
        url = reverse("reports:rekap_approve", args=[first.pk])
        response = client.post(url, follow=True)
        self.assertContains(response, "sudah digantikan versi 2")
        first.refresh_from_db()
        assert first.status == SnapshotStatus.DRAF
        self.assertContains(client.get(second.get_absolute_url()), "Setujui rekap")
        client.post(reverse("reports:rekap_approve", args=[second.pk]))
        second.refresh_from_db()
        assert second.status == SnapshotStatus.DISETUJUI
        # An approved version frozen again since is not sent beside the newer.
        third = freeze("R1", self.staff)
        page = client.get(second.get_absolute_url())
        self.assertContains(page, "Versi ini sudah digantikan oleh")
        self.assertNotContains(page, "Catat sudah dikirim")
        sent = {"sent_to": "Wali Kota", "sent_on": "2026-12-01", "nomor_surat": "2/X"}
        response = client.post(
            reverse("reports:rekap_send", args=[second.pk]), sent, follow=True
        )
        self.assertContains(response, "sudah digantikan versi 3")
        second.refresh_from_db()
        assert second.status == SnapshotStatus.DISETUJUI
        assert third.version == 3

    def test_sent_only_after_approval_with_recipient_date_and_number(self):
        snapshot = freeze("R1", self.staff)
        url = reverse("reports:rekap_send", args=[snapshot.pk])
        sent = {"sent_to": "Wali Kota", "sent_on": "2026-01-15", "nomor_surat": "1/X"}
        client = self.client_for(self.staff)
        response = client.post(url, sent, follow=True)
        self.assertContains(response, "harus disetujui")
        snapshot.refresh_from_db()
        assert snapshot.status == SnapshotStatus.DRAF
        kepala = self.kepala_dinas()
        kepala.post(reverse("reports:rekap_approve", args=[snapshot.pk]))
        response = kepala.post(url, {**sent, "sent_on": "2099-01-01"})
        self.assertContains(response, "masa depan", status_code=400)
        self.assertContains(response, 'value="1/X"', status_code=400)
        # Not before it was approved (today), said on the field, kept as typed.
        response = kepala.post(url, {**sent, "sent_on": "2000-01-01"})
        self.assertContains(
            response, "tidak boleh sebelum rekap disetujui", status_code=400
        )
        self.assertContains(response, 'value="Wali Kota"', status_code=400)
        sent["sent_on"] = timezone.localdate().isoformat()
        kepala.post(url, sent)
        snapshot.refresh_from_db()
        assert snapshot.status == SnapshotStatus.DIKIRIM
        # Sent again from a page opened before: said as it is.
        response = kepala.post(url, {**sent, "sent_to": " wali  kota"}, follow=True)
        self.assertContains(response, "sudah dicatat terkirim ke Wali Kota")
        # To the province and the Ministry as well: each its own sending (a
        # rekap could be recorded as sent once, to one recipient).
        page = kepala.get(snapshot.get_absolute_url())
        self.assertContains(page, "Catat pengiriman ke penerima lain")
        for to, number in (("Gubernur Kaltim", "2/X"), ("Kementerian", "3/X")):
            kepala.post(url, {**sent, "sent_to": to, "nomor_surat": number})
        rows = list(snapshot.sendings.values_list("sent_to", "nomor_surat"))
        assert rows == [
            ("Wali Kota", "1/X"),
            ("Gubernur Kaltim", "2/X"),
            ("Kementerian", "3/X"),
        ]
        page = kepala.get(snapshot.get_absolute_url())
        self.assertContains(page, "Dikirim kepada Gubernur Kaltim pada")
        snapshot.refresh_from_db()
        assert snapshot.status == SnapshotStatus.DIKIRIM
        # One recipient however it is spelt: a full stop, full-width letters,
        # "Walikota" for "Wali Kota" had each been a new recipient.
        for spelt in ("Wali Kota.", "Ｗａｌｉ Kota", "Walikota", "wali\u200bkota"):
            response = kepala.post(url, {**sent, "sent_to": spelt}, follow=True)
            self.assertContains(response, "sudah dicatat terkirim ke Wali Kota")
        assert snapshot.sendings.count() == 3
        # A sending recorded by mistake is taken back (audited); officers and
        # readers without the right get 404 / 403.
        wrong = snapshot.sendings.get(sent_to="Kementerian")
        remove = reverse("reports:rekap_sending_delete", args=[wrong.pk])
        self.assertEqual(self.client_for(self.officer_a).post(remove).status_code, 404)
        kepala.post(remove)
        # A second click (back button, another tab): said, not a 404.
        response = kepala.post(remove, follow=True)
        self.assertContains(response, "sudah dihapus")
        assert snapshot.sendings.count() == 2
        assert AuditEvent.objects.filter(message__contains="3/X").exists()
        for other in snapshot.sendings.all():
            kepala.post(reverse("reports:rekap_sending_delete", args=[other.pk]))
        snapshot.refresh_from_db()
        assert snapshot.status == SnapshotStatus.DISETUJUI
        kepala.post(url, sent)
        snapshot.refresh_from_db()
        assert snapshot.status == SnapshotStatus.DIKIRIM
        # Frozen again afterwards: the sent version says it is the one sent,
        # not that the newer draft was (it had said "versi itulah yang
        # disetujui dan dikirim" of a draft).
        sent_before = snapshot.sendings.get()
        freeze("R1", self.staff)
        page = kepala.get(snapshot.get_absolute_url())
        self.assertContains(page, 'data-testid="superseded-after-sending"')
        # Its sendings are kept as they are: one taken back there could not be
        # recorded again.
        self.assertNotContains(page, "rekap_sending_delete")
        take_back = reverse("reports:rekap_sending_delete", args=[sent_before.pk])
        self.assertNotContains(page, take_back)
        response = kepala.post(take_back, follow=True)
        self.assertContains(response, "catatan pengirimannya tidak diubah lagi")
        assert snapshot.sendings.count() == 1
        self.assertNotContains(page, 'data-testid="superseded"')
        self.assertContains(page, "Versi inilah yang dikirim")
        # Sending changed the workflow fields only: the frozen content is intact.
        page = self.anonymous.get(
            reverse("reports:rekap_verify", args=[snapshot.verification_token])
        )
        self.assertContains(page, 'data-testid="intact"')

    def test_a_frozen_rekap_reads_in_english_for_an_english_reader(self):
        snapshot = freeze("R1", self.staff)  # frozen in Indonesian
        client = self.client_for(self.staff)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        page = client.get(snapshot.get_absolute_url())
        self.assertContains(page, "Cooperatives per area")
        self.assertContains(page, "Assets (Rp)")
        self.assertNotContains(page, "Koperasi per wilayah")
        # The frozen content itself is unchanged, and still intact.
        snapshot.refresh_from_db()
        assert snapshot.tables[0]["title"] == "Koperasi per wilayah"
        # Nothing changed: an English reader is told so too (the rebuild compared
        # English words with the frozen Indonesian ones, all "changed").
        changes = client.get(reverse("reports:rekap_changes", args=[snapshot.pk]))
        assert changes.context["changes"] == []
        r5 = freeze("R5", self.staff)
        changes = client.get(reverse("reports:rekap_changes", args=[r5.pk]))
        assert changes.context["changes"] == []

    def test_changes_since_frozen_are_counted_per_column(self):
        snapshot = freeze("R1", self.staff)
        client = self.client_for(self.staff)
        url = reverse("reports:rekap_changes", args=[snapshot.pk])
        self.assertContains(client.get(url), "Tidak ada yang berubah")
        self.coop_a.status = CooperativeStatus.TIDAK_AKTIF
        self.coop_a.save()
        page = client.get(url)
        self.assertContains(page, 'data-testid="changes"')
        columns = [c.column for c in page.context["changes"]]
        assert columns == ["Aktif", "Tidak aktif / dalam pembubaran", "% aktif"]
        aktif = page.context["changes"][0]
        # The row is named, and totals read as the rekap shows them.
        assert aktif.rows == [self.coop_a.kelurahan.kecamatan.name]
        assert (aktif.frozen_total, aktif.current_total) == ("2", "1")
        share = page.context["changes"][2]
        self.assertContains(page, f"<td>{self.coop_a.kelurahan.kecamatan.name}</td>")
        assert share.frozen_total.endswith("%") and "." not in share.frozen_total
        # R5's rows (an area and an indicator each) by the area and the indicator.
        r5 = freeze("R5", self.staff)
        self.coop_a.status = CooperativeStatus.AKTIF
        self.coop_a.save()
        r5_changes = client.get(reverse("reports:rekap_changes", args=[r5.pk]))
        rows = [row for c in r5_changes.context["changes"] for row in c.rows]
        assert "Kota Balikpapan: Jumlah koperasi aktif" in rows, rows
        self.coop_a.status = CooperativeStatus.TIDAK_AKTIF
        self.coop_a.save()
        # Money in Rupiah, not "2317301000.00".
        make_figures = self.coop_a.figures.create(tahun_buku=2025, aset=2_317_301_000)
        assert make_figures.pk
        aset = next(c for c in client.get(url).context["changes"] if "Aset" in c.column)
        assert aset.current_total == "Rp 2.317.301.000"

    def test_the_xlsx_has_typed_numbers_totals_a_frozen_header_and_a_title(self):
        snapshot = freeze("R1", self.staff, year=2024)
        response = self.client_for(self.staff).get(
            reverse("reports:rekap_download", args=[snapshot.pk, "xlsx"])
        )
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == ["R1", "R1 (Rp juta)", "Keterangan"]
        notes = [row[0] for row in workbook["Keterangan"].iter_rows(values_only=True)]
        assert any(note.startswith("RAT tahun buku: ") for note in notes), notes
        # The juta sheet's rows need not add up to its total to the sen: said.
        assert notes[-1].startswith("Rp juta: setiap baris dan jumlahnya"), notes
        sheet = workbook["R1"]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0].startswith("R1")
        assert "Tahun buku 2024" in rows[1][0]
        assert snapshot.content_hash in rows[3][0]
        header = rows[5]
        # "Jumlah" beside the dashboard's "terdaftar", which counts the
        # dissolved too: the heading says which.
        assert header[:3] == ("Kecamatan", "Jumlah (belum dibubarkan)", "Aktif")
        assert sheet.freeze_panes == "B7"
        total = rows[-1]
        assert total[0] == "Jumlah" and total[1] == 2 and isinstance(total[1], int)
        body = rows[6:-1]
        assert len(body) == 6
        assert sum(row[1] for row in body) == total[1]
        assert total[14] == 1250000
        millions = list(workbook["R1 (Rp juta)"].iter_rows(values_only=True))
        assert millions[-1][14] == 1.25
        # The scope and the date are in the name: a kecamatan's R1 of the same
        # year was "rekap-r1-2024-v1" too.
        stem = f"rekap-r1-2024-{snapshot.scope_code.replace('.', '')}-"
        stem += f"{snapshot.as_of:%Y%m%d}-v1.xlsx"
        assert response["Content-Disposition"].endswith(f'{stem}"')

    def test_the_pdf_carries_a_qr_code_that_opens_the_verification_page(self):
        snapshot = freeze("R1", self.staff, year=2024)
        # The public address, whatever address the staff member typed.
        with self.settings(SITE_URL="https://koperasi.contoh.go.id"):
            response = self.client_for(self.staff).get(
                reverse("reports:rekap_download", args=[snapshot.pk, "pdf"])
            )
        assert response.content.startswith(b"%PDF")
        (url,) = decode_qr(response.content)
        path = reverse("reports:rekap_verify", args=[snapshot.verification_token])
        assert url == f"https://koperasi.contoh.go.id{path}"
        page = self.anonymous.get(path)
        self.assertContains(page, snapshot.content_hash)
        self.assertContains(page, 'data-testid="intact"')
        self.assertContains(page, "Rp 1.250.000")

    def test_a_draft_pdf_says_draft_and_carries_no_signature_block(self):
        # A draft's PDF looked like the approved one but for "status Draf": it
        # could be signed and sent by mistake.
        def text(snapshot):
            response = self.client_for(self.staff).get(
                reverse("reports:rekap_download", args=[snapshot.pk, "pdf"])
            )
            document = pypdfium2.PdfDocument(response.content)
            return " ".join(page.get_textpage().get_text_range() for page in document)

        snapshot = freeze("R1", self.staff, year=2024)
        draft = text(snapshot)
        assert "DRAF: belum disetujui. Jangan ditandatangani atau dikirim." in draft
        assert "(……" not in draft
        self.kepala_dinas().post(reverse("reports:rekap_approve", args=[snapshot.pk]))
        approved = text(snapshot)
        assert "belum disetujui" not in approved
        assert "Balikpapan, " in approved
        assert "(……" in approved

    def test_verification_says_so_when_stored_content_no_longer_matches(self):
        snapshot = freeze("R1", self.staff)
        snapshot.tables[0]["total"][1] = 999
        snapshot.save()
        page = self.anonymous.get(
            reverse("reports:rekap_verify", args=[snapshot.verification_token])
        )
        self.assertNotContains(page, 'data-testid="intact"')
        self.assertContains(page, "tidak cocok")

    def test_r5_downloads_as_csv_and_r1_has_no_csv(self):
        client = self.client_for(self.staff)
        r5 = freeze("R5", self.staff)
        response = client.get(reverse("reports:rekap_download", args=[r5.pk, "csv"]))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == [
            "kode_wilayah",
            "level_wilayah",
            "nama_wilayah",
            "judul",
            "satuan",
            "tahun",
            "periode",
            "data",
        ]
        assert rows[1] == [
            "64.71",
            "kabupaten/kota",
            "Kota Balikpapan",
            "Jumlah koperasi (belum dibubarkan)",
            "unit",
            "2025",
            "tahunan",
            "2",
        ]
        # Every figure a whole number or one with two decimals (a float wrote
        # "81372663500000.8").
        assert all(re.fullmatch(r"-?\d+(\.\d\d)?", row[7]) for row in rows[1:])
        from reports.rekap.definitions import satu_data_number

        assert satu_data_number("81372663500000.8") == "81372663500000.80"
        assert satu_data_number("5000000000.750") == "5000000000.75"
        assert satu_data_number("575.00") == 575
        # On the page a year reads as a year, not as "2.025"; in the workbook too.
        page = client.get(r5.get_absolute_url())
        self.assertContains(page, "<td>2025</td>", html=False)
        self.assertNotContains(page, "2.025")
        xlsx = client.get(reverse("reports:rekap_download", args=[r5.pk, "xlsx"]))
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        header = next(r for r in sheet.iter_rows() if r[0].value == "kode_wilayah")
        year = sheet.cell(row=header[0].row + 1, column=6)
        assert year.value == 2025 and year.number_format == "0"
        # Whole numbers read as whole numbers: "575", not "575." (format
        # "#,##0.##") or the city's "2866946787000.00" beside its kecamatan's
        # "236453342000".
        data = sheet.cell(row=header[0].row + 1, column=8)
        assert data.value == 2 and data.number_format == "#,##0"
        aset = [row[7] for row in rows if row[3] == "Aset koperasi"]
        assert aset and all(value.isdigit() for value in aset), aset
        r1 = freeze("R1", self.staff)
        url = reverse("reports:rekap_download", args=[r1.pk, "csv"])
        assert client.get(url).status_code == 404
        url = reverse("reports:rekap_download", args=[r1.pk, "exe"])
        assert client.get(url).status_code == 404

    def test_the_snapshot_page_costs_a_fixed_number_of_queries(self):
        snapshot = freeze("R1", self.staff)
        client = self.client_for(self.staff)
        url = snapshot.get_absolute_url()
        client.get(url)
        with self.assertNumQueries(8):  # the eighth: its sendings
            client.get(url)

    def test_the_map_page_costs_a_fixed_number_of_queries(self):
        client = self.client_for(self.staff)
        url = reverse("reports:region_map")
        client.get(url)
        # session, user, regions, then counts (with RAT), figures and health grouped
        with self.assertNumQueries(6):
            client.get(url, {"wilayah": "kelurahan", "ukuran": "sehat"})

    def test_the_map_of_aktif_says_it_is_today_s_status(self):
        # "tahun buku 2023" over today's status read as 2023's share.
        from django.utils import timezone
        from django.utils.formats import date_format

        client = self.client_for(self.staff)
        url = reverse("reports:region_map")
        page = client.get(url, {"ukuran": "aktif", "tahun": 2023})
        today = date_format(timezone.localdate(), "j F Y")
        self.assertContains(page, f"per kecamatan, keadaan {today}")
        self.assertNotContains(page, "per kecamatan, tahun buku 2023")
        page = client.get(url, {"ukuran": "sehat", "tahun": 2023})
        self.assertContains(page, "per kecamatan, tahun buku 2023")

    def test_the_map_page_links_each_area_to_its_filtered_registry(self):
        client = self.client_for(self.staff)
        page = client.get(
            reverse("reports:region_map"),
            {"ukuran": "aktif", "wilayah": "kelurahan", "tahun": "abc"},
        )
        svg = page.context["map"].svg
        assert svg.count("<a href=") == 34
        klandasan = next(
            r for r in page.context["map"].rows if r.name == "Klandasan Ulu"
        )
        assert (klandasan.numerator, klandasan.denominator) == (1, 1)
        assert klandasan.href.startswith("/koperasi/?kelurahan=")
        # It counts the aktif ones: its areas list those (the whole list,
        # dissolved ones too, stood beside "36 aktif / 47").
        assert klandasan.href.endswith("&status=aktif"), klandasan.href
        self.assertContains(page, klandasan.href.replace("&", "&amp;"))
        # The RAT share is of the aktif ones: its areas list those.
        page = client.get(
            reverse("reports:region_map"), {"ukuran": "rat", "wilayah": "kelurahan"}
        )
        row = next(r for r in page.context["map"].rows if r.name == "Klandasan Ulu")
        assert row.href.endswith("&status=aktif"), row.href

    def test_a_map_with_nothing_counted_says_so(self):
        client = self.client_for(self.staff)
        url = reverse("reports:region_map")
        self.assertNotContains(client.get(url), 'data-testid="map-empty"')
        page = client.get(url, {"ukuran": "sehat", "tahun": "1901"})
        self.assertContains(page, 'data-testid="map-empty"')
        # The RAT share's denominators are the registry's aktif of today: for a
        # year with no RAT it read "0,00% (0/36)" as a finding.
        page = client.get(url, {"ukuran": "rat", "tahun": "1901"})
        self.assertContains(page, 'data-testid="map-empty"')

    def test_the_kelurahan_map_marks_each_area_with_its_number_in_the_table(self):
        # Kelurahan had been named on hover only: 34 shapes with no way to tell
        # which was which on paper. Each now carries its row's number.
        import re

        page = self.client_for(self.staff).get(
            reverse("reports:region_map"), {"wilayah": "kelurahan"}
        )
        region_map = page.context["map"]
        assert region_map.numbered
        marks = re.findall(r'fill="#212529" aria-hidden="true">(\d+)<', region_map.svg)
        drawn = [
            str(number)
            for number, row in enumerate(region_map.rows, 1)
            if row.has_boundary
        ]
        assert marks == drawn and len(drawn) == 34
        # None covers another (in the centre "1" sat under "23").
        from lib.svgmap import _overlap

        spots = re.findall(
            r'<text x="([\d.]+)" y="([\d.]+)"[^>]*fill="#212529"[^>]*>(\d+)<',
            region_map.svg,
        )
        boxes = [
            (
                float(x) - 3.85 * len(t) - 1,
                float(y) - 6,
                float(x) + 3.85 * len(t) + 1,
                float(y) + 6,
            )
            for x, y, t in spots
        ]
        crowded = [
            (spots[i][2], spots[j][2])
            for i in range(len(boxes))
            for j in range(i + 1, len(boxes))
            if _overlap(boxes[i], boxes[j])
        ]
        assert crowded == []
        klandasan = next(
            number
            for number, row in enumerate(region_map.rows, 1)
            if row.name == "Klandasan Ulu"
        )
        self.assertContains(
            page, f'<td class="text-start">{klandasan}</td>', html=False
        )
        # The kecamatan keep their names.
        page = self.client_for(self.staff).get(reverse("reports:region_map"))
        assert not page.context["map"].numbered
        assert ">Barat<" in page.context["map"].svg

    def test_the_dashboard_shows_the_map(self):
        page = self.client_for(self.staff).get(reverse("home"))
        self.assertContains(page, 'data-testid="region-map"')
        self.assertContains(page, "/koperasi/?kecamatan=")


class RekapFreezeFailureTests(PersonaTestCase):
    def test_a_failed_freeze_is_recorded_with_a_message_and_no_snapshot(self):
        import datetime

        import pytest

        from reports.rekap.services import rekap_freeze_execute

        job = RekapFreezeJob.objects.create(
            code="R1",
            tahun_buku=YEAR,
            as_of=datetime.date(YEAR, 12, 31),
            scope_code="99.99",
            created_by=self.staff,
        )
        with pytest.raises(Exception, match="Wilayah cakupan"):
            rekap_freeze_execute(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == FreezeStatus.FAILED
        assert "gagal dibekukan" in job.error
        assert not RekapSnapshot.objects.exists()
        page = self.client_for(self.staff).get(job.get_absolute_url())
        self.assertContains(page, "gagal dibekukan")


class RekapAskedTwiceTests(PersonaTestCase):
    def test_the_same_rekap_asked_while_it_is_made_is_that_one(self):
        client = self.client_for(self.staff)
        data = {"code": "R1", "tahun_buku": YEAR, "scope_code": "64.71"}
        first = client.post(reverse("reports:rekap_make"), data)
        job = RekapFreezeJob.objects.get()
        self.assertRedirects(
            first, job.get_absolute_url(), fetch_redirect_response=False
        )
        second = client.post(reverse("reports:rekap_make"), data, follow=True)
        self.assertRedirects(second, job.get_absolute_url())
        self.assertContains(second, "Rekap yang sama sedang dibuat")
        self.assertEqual(RekapFreezeJob.objects.count(), 1)
