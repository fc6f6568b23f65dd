"""An assessor's journey: start a health assessment, fill the worksheet while the
scores update, save and resume the draft, finalise, download the PDF. Chromium."""

from decimal import Decimal

import pytest

from accounts.models import Role
from cooperatives.models import CooperativeFigures
from tests.personas import make_cooperative, make_user

from .test_browser_registry import SCREENSHOTS, log_in, menu_link


@pytest.fixture
def cooperative(transactional_db):
    make_user("pengawas-browser", Role.STAFF)
    coop = make_cooperative("Koperasi Pasar Klandasan", nik="6471000000000201")
    CooperativeFigures.objects.create(
        cooperative=coop,
        tahun_buku=2024,
        aset=Decimal(1_000_000),
        modal_sendiri=Decimal(400_000),
        shu=Decimal(42_000),
        volume_usaha=Decimal(730_000),
    )
    CooperativeFigures.objects.create(
        cooperative=coop,
        tahun_buku=2023,
        aset=Decimal(900_000),
        modal_sendiri=Decimal(380_000),
        shu=Decimal(48_000),
    )
    return coop.get_absolute_url()


FIGURES = {
    "SHU kotor": "120.000",
    "Beban pokok penjualan": "500.000",
    "Partisipasi bruto (pendapatan dari anggota)": "800.000",
    "Beban pokok (partisipasi)": "500.000",
    "Beban usaha": "60.000",
    "Beban perkoperasian": "20.000",
    "Total pendapatan": "900.000",
    "Aset likuid (kas, bank, simpanan pada koperasi lain)": "120.000",
    "Aset lancar": "450.000",
    "Kewajiban lancar (jangka pendek)": "400.000",
    "Kewajiban jangka panjang": "200.000",
    "Pinjaman / piutang usaha": "300.000",
    "Dana yang diterima": "400.000",
    "Piutang dagang": "100.000",
    "Persediaan barang dagang": "100.000",
    "Simpanan pokok": "50.000",
    "Simpanan wajib": "150.000",
    "Tabungan dan simpanan berjangka anggota": "300.000",
    (
        "Tabungan dan simpanan berjangka calon anggota, non-anggota dan koperasi lain"
    ): "100.000",
    "Modal pinjaman dari anggota": "250.000",
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_assessor_completes_finalises_and_downloads_the_pdf(
    cooperative, live_server, browser, site_url
):
    from playwright.sync_api import expect

    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "pengawas-browser")
    page.goto(live_server.url + cooperative)
    page.get_by_label("Tahun buku", exact=True).fill("2024")
    page.get_by_role("button", name="Mulai penilaian").click()
    expect(
        page.get_by_role("heading", name="Penilaian kesehatan tahun buku 2024")
    ).to_be_visible()
    # prefilled from the registry's yearly figures, this year and last
    expect(page.get_by_label("Total aset", exact=True)).to_have_value("1.000.000")
    expect(page.get_by_label("SHU bersih tahun lalu")).to_have_value("48.000")
    roa = page.locator("#live-kk_roa")
    expect(roa).to_contain_text("4,20%")
    expect(roa).to_contain_text("skor 2")

    # Not offered for finalising while indicators have no data (it asked
    # "Finalisasi?" and was then refused), and said why.
    finalise = page.get_by_role("button", name="Simpan dan finalisasi")
    expect(finalise).to_be_disabled()
    expect(page.locator("#finalise-why")).to_contain_text("Finalisasi menunggu")

    # typing a figure rescoring the ratio beside it, before anything is saved
    page.get_by_label("SHU bersih (setelah pajak)").fill("50.000")
    expect(roa).to_contain_text("5,00%")
    expect(roa).to_contain_text("skor 3")
    for label, value in FIGURES.items():
        page.get_by_label(label, exact=True).fill(value)
    expect(page.locator("#live-kk_kemandirian")).to_contain_text("375,00%")
    expect(finalise).to_be_enabled()
    expect(page.locator("#finalise-why")).to_have_count(0)

    # half of the checklists now, the draft saved and resumed
    buttons = page.get_by_role("button", name="Centang semua")
    count = buttons.count()
    for index in range(count // 2):
        buttons.nth(index).click()
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Draf penilaian disimpan.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("SHU bersih (setelah pajak)")).to_have_value("50.000")
    expect(page.locator("#live-tk_keanggotaan_terbuka")).to_contain_text("4 dari 4")
    for index in range(count // 2, count):
        page.get_by_role("button", name="Centang semua").nth(index).click()
    expect(page.locator("#live-final")).to_have_text("92,73")
    page.screenshot(path=str(SCREENSHOTS / "assessment-worksheet.png"), full_page=True)

    # Finalising asks first: "Batal" sends nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Simpan dan finalisasi").click()
    expect(page.get_by_text("Penilaian difinalisasi.")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Simpan dan finalisasi").click()
    expect(page.get_by_text("Penilaian difinalisasi.")).to_be_visible()
    expect(page.locator("#final-score")).to_have_text("92,73")
    expect(page.locator("#predikat")).to_have_text("Sehat")
    expect(page.locator("#advice")).to_contain_text("Rentabilitas aset (ROA)")
    page.screenshot(path=str(SCREENSHOTS / "assessment-result.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh PDF").click()
    download = download_info.value
    assert download.suggested_filename == "penilaian-6471000000000201-2024-r1.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # the QR's public page confirms the result, without an account
    verification = page.get_by_role("link", name="Halaman verifikasi publik")
    first_verification = verification.get_attribute("href")
    verification.click()
    expect(page.locator("#verification")).to_contain_text("Dokumen ini tercatat")
    expect(page.locator("#verification")).to_contain_text("92,73")
    page.go_back()

    # a correction is a new revision; the first result stays, marked replaced
    page.get_by_label("Alasan revisi").fill("SHU salah ketik di laporan")
    page.get_by_role("button", name="Buat revisi").click()
    expect(
        page.get_by_text("Alasan revisi: SHU salah ketik di laporan")
    ).to_be_visible()
    # The live scores are wired up once the page has loaded (a busy machine
    # shows the form before its script has run).
    page.wait_for_load_state("load")
    page.get_by_label("SHU bersih (setelah pajak)").fill("20.000")
    expect(page.locator("#live-kk_roa")).to_contain_text("skor 1")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Simpan dan finalisasi").click()
    expect(page.get_by_text("Penilaian difinalisasi.")).to_be_visible()
    revisions = page.locator("#revisions")
    expect(revisions).to_contain_text("Revisi 2")
    expect(revisions).to_contain_text("tidak berlaku")
    page.goto(first_verification)
    expect(page.locator("#verification")).to_contain_text("telah dikoreksi")

    # an older result recorded as given, under the old five-label words
    page.goto(live_server.url + cooperative)
    page.get_by_role("link", name="Catat hasil lama").click()
    page.get_by_label("Tahun buku").fill("2016")
    page.get_by_label("Instrumen").fill("Perdep 06/Per/Dep.6/IV/2016")
    page.get_by_label("Skor akhir").fill("62.45")
    page.get_by_label("Predikat seperti tertulis").fill("kurang sehat")
    page.get_by_role("button", name="Catat hasil").click()
    expect(page.get_by_text("Hasil penilaian lama dicatat.")).to_be_visible()
    table = page.locator("#assessments")
    expect(table).to_contain_text("Perdep 06/Per/Dep.6/IV/2016")
    expect(table).to_contain_text("Dalam Pengawasan")
    expect(table).to_contain_text("dikoreksi")
    expect(page.locator("#chart-health")).to_be_visible()

    # statistics count the results in force
    menu_link(page, "Kesehatan").click()
    by_year = page.locator("#by-year")
    expect(by_year).to_contain_text("2024")
    expect(by_year).to_contain_text("2016")
