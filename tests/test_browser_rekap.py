"""Staff make the yearly R1 in Chromium with a real Celery worker freezing it: they
watch the job, read the map, follow a kecamatan to the registry, and download the
PDF (whose QR code verifies) and the .xlsx (whose totals are the page's)."""

import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypdfium2
import pytest
import zxingcpp

from accounts.models import Role
from cooperatives.models import CooperativeStatus, Kelurahan
from lib.numbers import format_rupiah
from tests.personas import make_cooperative, make_user

from .test_browser_registry import SCREENSHOTS, log_in, menu_link


@pytest.fixture
def registry_2025(transactional_db):
    make_user("staf-rekap", Role.STAFF)
    make_user("kadis-rekap", Role.ADMIN)  # holds every right, approving too
    places = ["Klandasan Ulu", "Manggar", "Muara Rapak", "Manggar", "Gunung Samarinda"]
    for i, kelurahan in enumerate(places):
        cooperative = make_cooperative(
            f"Koperasi Rekap {i}",
            nik=f"647100000000{i:04d}",
            kelurahan=Kelurahan.objects.get(name=kelurahan),
            status=CooperativeStatus.TIDAK_AKTIF if i == 3 else CooperativeStatus.AKTIF,
        )
        cooperative.figures.create(
            tahun_buku=2025, members_male=10 + i, aset=Decimal(1_000_000 * (i + 1))
        )


def qr_codes(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    found = [
        result.text
        for page in document
        for result in zxingcpp.read_barcodes(page.render(scale=3).to_pil())
    ]
    document.close()
    return found


@pytest.mark.browser
@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_make_r1_read_the_map_and_download_a_verifiable_pdf_and_xlsx(
    registry_2025, worker_queue, live_server, browser, site_url
):
    from playwright.sync_api import expect

    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-rekap")
    menu_link(page, "Rekap").click()
    page.get_by_label("Laporan").select_option("R1")
    page.get_by_label("Tahun buku").fill("2025")
    # The freeze runs on the worker; the job page polls its progress, then opens it.
    with page.expect_response(lambda r: "/rekap/proses/" in r.url) as job_page:
        page.get_by_test_id("make-rekap").click()
    assert job_page.value.status == 200
    expect(page.get_by_test_id("status")).to_have_text("Draf", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("R1")
    total = page.get_by_test_id("total-r1")
    expect(total).to_contain_text("Jumlah")
    page.screenshot(path=str(SCREENSHOTS / "rekap-r1.png"), full_page=True)

    # The map: Balikpapan Timur (Manggar) is a link to its filtered registry,
    # the aktif ones it counts (1 of its 2; the other is Tidak Aktif).
    timur = page.locator('svg a[data-code="64.71.01"]')
    expect(timur).to_have_count(1)
    timur.click()
    expect(page).to_have_url(re.compile(r"/koperasi/\?kecamatan=\d+&status=aktif"))
    expect(page.get_by_test_id("result-count")).to_contain_text("1 koperasi")
    page.go_back()

    page_total = [cell.inner_text() for cell in total.locator("th, td").all()]
    with page.expect_download() as xlsx_download:
        page.get_by_test_id("download-xlsx").click()
    workbook = openpyxl.load_workbook(
        io.BytesIO(Path(xlsx_download.value.path()).read_bytes())
    )
    file_total = list(workbook["R1"].iter_rows(values_only=True))[-1]
    assert file_total[0] == page_total[0] == "Jumlah"
    assert [str(n) for n in file_total[1:4]] == page_total[1:4] == ["5", "4", "1"]
    assert format_rupiah(Decimal(str(file_total[14]))) == page_total[14]
    assert page_total[14] == "Rp 15.000.000"

    with page.expect_download() as pdf_download:
        page.get_by_test_id("download-pdf").click()
    (url,) = qr_codes(Path(pdf_download.value.path()).read_bytes())
    assert url.startswith(live_server.url)
    hash_on_page = page.locator("code").first.inner_text()

    phone = browser.new_page(locale="id-ID", viewport={"width": 360, "height": 740})
    phone.goto(url)
    expect(phone.get_by_test_id("intact")).to_be_visible()
    expect(phone.get_by_test_id("hash")).to_have_text(hash_on_page)
    expect(phone.get_by_test_id("totals").first).to_contain_text("Rp 15.000.000")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(SCREENSHOTS / "rekap-verify-360.png"), full_page=True)

    # Approved by the Kepala Dinas, then sent to the Wali Kota and the province,
    # each recorded; one recorded by mistake is taken back.
    rekap_url = page.url
    kadis = browser.new_page(locale="id-ID")
    log_in(kadis, live_server.url, "kadis-rekap")
    kadis.goto(rekap_url)
    kadis.get_by_role("button", name="Setujui rekap").click()
    expect(kadis.get_by_test_id("status")).to_have_text("Disetujui")
    page.reload()
    today = page.evaluate("new Date().toLocaleDateString('sv-SE')")
    for to, number in (
        ("Wali Kota Balikpapan", "500/1/DKUMKMP/2026"),
        ("Gubernur Kalimantan Timur", "500/2/DKUMKMP/2026"),
        ("Gubernur Kaltim (keliru)", "500/3/DKUMKMP/2026"),
    ):
        page.get_by_label("Penerima").fill(to)
        page.get_by_label("Tanggal kirim").fill(today)
        page.get_by_label("Nomor surat").fill(number)
        page.get_by_role("button", name="Catat sudah dikirim").click()
        expect(page.get_by_test_id("sendings")).to_contain_text(to)
    expect(page.get_by_test_id("status")).to_have_text("Dikirim")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("sendings").locator("li", has_text="keliru").get_by_role(
        "button", name="Hapus"
    ).click()
    expect(page.get_by_test_id("sendings").locator("li")).to_have_count(2)
    expect(page.get_by_test_id("sendings")).not_to_contain_text("keliru")


@pytest.mark.browser
@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_open_the_campaign_then_make_r4_with_its_progress_map(
    registry_2025, worker_queue, live_server, browser
):
    from playwright.sync_api import expect

    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-rekap")
    page.get_by_role("link", name="Pemutakhiran").first.click()
    page.locator("#id_year").fill("2025")
    page.get_by_role("button", name="Buat").click()
    page.get_by_role("button", name="Buka pemutakhiran").click()
    expect(page.get_by_test_id("job-done")).to_contain_text(
        "Selesai: 5 koperasi.", timeout=60_000
    )
    page.get_by_role("link", name="Buka halaman pemutakhiran").click()

    # The campaign page's map: Balikpapan Timur opens the campaign's own list.
    campaign_map = page.locator("#peta")
    expect(campaign_map.get_by_test_id("region-map")).to_contain_text("0/2")
    campaign_map.locator('svg a[data-code="64.71.01"]').click()
    expect(page).to_have_url(re.compile(r"/pemutakhiran/2025/\?kecamatan=\d+"))
    expect(page.locator("#items tbody tr")).to_have_count(2)

    menu_link(page, "Rekap").click()
    page.get_by_label("Laporan").select_option("R4")
    page.get_by_label("Tahun buku").fill("2025")
    page.get_by_test_id("make-rekap").click()
    expect(page.get_by_test_id("status")).to_have_text("Draf", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("R4")
    total = page.get_by_test_id("total-r4")
    expect(total).to_contain_text("Jumlah")
    expect(page.locator('svg a[data-code="64.71.01"]')).to_have_count(1)
    page.screenshot(path=str(SCREENSHOTS / "rekap-r4.png"), full_page=True)

    page_total = [cell.inner_text() for cell in total.locator("th, td").all()]
    # Nobody has a RAT on record: all five in class C, none verified yet.
    assert page_total == ["Jumlah", "0", "0", "5", "0", "0", "0", "5", "0", "0,00%"]
    with page.expect_download() as xlsx_download:
        page.get_by_test_id("download-xlsx").click()
    workbook = openpyxl.load_workbook(
        io.BytesIO(Path(xlsx_download.value.path()).read_bytes())
    )
    file_total = list(workbook["R4"].iter_rows(values_only=True))[-1]
    assert [str(n) for n in file_total[:9]] == page_total[:9]


@pytest.fixture
def frozen_r1(registry_2025):
    """R1 frozen before any page asked for it: the job's and the rekap's URLs."""
    from accounts.models import User
    from reports.models import RekapFreezeJob
    from reports.tests.rekap_testing import freeze

    snapshot = freeze("R1", User.objects.get(username="staf-rekap"))
    job = RekapFreezeJob.objects.get()
    return job.get_absolute_url(), snapshot.get_absolute_url()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_page_first_shown_after_a_quick_freeze_leads_to_the_rekap(
    frozen_r1, live_server, browser
):
    # The freeze finished before the page was first shown: no poll ran, and the
    # page stopped at "Rekap sudah dibekukan" (a clean-clone CI run met it).
    from playwright.sync_api import expect

    job_url, snapshot_url = frozen_r1
    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-rekap")
    page.goto(live_server.url + job_url)
    expect(page).to_have_url(live_server.url + snapshot_url)
    expect(page.get_by_test_id("status")).to_have_text("Draf")
