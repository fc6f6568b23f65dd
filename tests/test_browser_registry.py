"""A staff member's journey through the registry, in Debian's Chromium."""

import io
import os
import re
from pathlib import Path

import openpyxl
import pytest

from accounts.models import Role
from cooperatives.models import Kelurahan, Officer, Position
from lib.testing import require_or_skip
from tests.personas import make_cooperative, make_user

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-results"))


@pytest.fixture
def browser():
    """Chromium through Playwright. Request it after the fixtures that write data:
    Playwright's sync API switches greenlets, and a database connection opened from
    inside it would outlive the test."""
    if not Path(CHROMIUM).exists():
        require_or_skip([f"Chromium at {CHROMIUM} (apt install chromium)"])
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def log_in(page, base_url, username):
    from playwright.sync_api import expect

    page.goto(f"{base_url}/akun/login/")
    expect(
        page.get_by_role("heading", name="Masuk ke Registri Koperasi")
    ).to_be_visible()
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()


def menu_link(page, name):
    """A link of the staff menu, its group opened first (and the menu itself on
    a narrow screen): the entries sit in dropdowns. Tried again when the group
    did not open: a click landing while htmx swapped a part of the page left it
    closed, and the test waited 30 s for a link it would never see."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    menu = page.locator("nav.navbar")
    link = menu.get_by_role("link", name=name, exact=True)
    for _attempt in range(3):
        if link.is_visible():
            return link
        toggler = menu.locator(".navbar-toggler")
        if toggler.is_visible() and not menu.locator(".navbar-collapse.show").count():
            toggler.click()
            menu.locator(".navbar-collapse.show").wait_for(state="visible")
        # Hidden links have no role for get_by_role: found by their text.
        entry = page.locator(f'a.dropdown-item:text-is("{name}")')
        group = menu.locator(".dropdown").filter(has=entry)
        if group.count():
            group.locator(".dropdown-toggle").click()
        try:
            link.wait_for(state="visible", timeout=5_000)
        except PlaywrightTimeout:
            continue
    return link


@pytest.fixture
def registry(transactional_db):
    make_user("staf-browser", Role.STAFF)
    teluk = make_cooperative(
        "Koperasi Teluk Sejahtera",
        nik="6471000000000101",
        kelurahan=Kelurahan.objects.get(name="Muara Rapak"),
    )
    make_cooperative(
        "Koperasi Bahari Sejahtera",
        nik="6471000000000102",
        kelurahan=Kelurahan.objects.get(name="Manggar"),
    )
    make_cooperative("Koperasi Lain Jaya", nik="6471000000000103")
    officer = make_user("pengurus-browser", Role.OFFICER)
    Officer.objects.create(
        cooperative=teluk, user=officer, name="Pengurus Teluk", position=Position.KETUA
    )
    return {"teluk": teluk.get_absolute_url()}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_search_filter_open_edit_and_see_the_audit_trail(
    registry, live_server, browser
):
    from playwright.sync_api import expect

    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-browser")
    expect(page.get_by_role("heading", name="Dasbor koperasi")).to_be_visible()

    menu_link(page, "Daftar koperasi").click()
    page.wait_for_load_state("load")
    expect(page.get_by_test_id("result-count")).to_contain_text("3 koperasi")
    page.get_by_label("Cari").fill("Sejahtera")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_test_id("result-count")).to_contain_text("2 koperasi")
    page.get_by_label("Kecamatan").select_option(label="Balikpapan Utara")
    expect(page.get_by_test_id("result-count")).to_contain_text("1 koperasi")
    expect(page).to_have_url(re.compile(r"kecamatan=\d+"))
    # Only the chosen kecamatan's kelurahan are offered.
    offered = page.eval_on_selector(
        "select[name=kelurahan]",
        "s => Array.from(s.options).filter(o => o.value && !o.hidden).map(o => o.text)",
    )
    assert offered and all("(Balikpapan Utara)" in text for text in offered), offered
    page.screenshot(path=str(SCREENSHOTS / "registry-list.png"), full_page=True)

    page.get_by_role("link", name="Koperasi Teluk Sejahtera").click()
    expect(page.get_by_role("heading", name="Koperasi Teluk Sejahtera")).to_be_visible()
    # Back shows the filtered list whole, not the fragment htmx fetched for it.
    page.go_back()
    expect(page.get_by_role("heading", name="Daftar koperasi")).to_be_visible()
    expect(page.locator("#filter-form")).to_be_visible()
    expect(page.get_by_test_id("result-count")).to_contain_text("1 koperasi")
    page.go_forward()
    expect(page.get_by_role("heading", name="Koperasi Teluk Sejahtera")).to_be_visible()
    page.get_by_role("link", name="Ubah data").click()
    page.get_by_label("Nama koperasi").fill("Koperasi Teluk Makmur")
    page.get_by_label("Sektor usaha").fill("Perikanan")
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("heading", name="Koperasi Teluk Makmur")).to_be_visible()
    expect(page.get_by_text("Perubahan disimpan.")).to_be_visible()
    trail = page.locator("#audit-trail")
    expect(trail).to_contain_text("staf-browser")
    expect(trail).to_contain_text("Koperasi Teluk Sejahtera")
    expect(trail).to_contain_text("Koperasi Teluk Makmur")
    expect(trail).to_contain_text("Perikanan")
    page.screenshot(path=str(SCREENSHOTS / "cooperative-detail.png"), full_page=True)

    # Export what is on screen: the job runs (eagerly here) and the file downloads.
    menu_link(page, "Daftar koperasi").click()
    # The filters answer a change once htmx has started on the new page.
    page.wait_for_load_state("load")
    expect(page.get_by_test_id("result-count")).to_contain_text("3 koperasi")
    page.get_by_label("Kecamatan").select_option(label="Balikpapan Utara")
    expect(page.get_by_test_id("result-count")).to_contain_text("1 koperasi")
    page.get_by_role("button", name="Ekspor .xlsx").click()
    expect(page.get_by_test_id("download")).to_be_visible()
    expect(page.locator("#run-status")).to_contain_text("Berkas siap: 1 koperasi.")
    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert [row[1] for row in rows] == ["Nama Koperasi", "Koperasi Teluk Makmur"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_record_status_figures_and_officers_and_the_officer_reads_them(
    registry, live_server, browser
):
    from playwright.sync_api import expect

    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-browser")
    page.goto(live_server.url + registry["teluk"])

    page.get_by_role("link", name="Ubah status").click()
    page.get_by_label("Status baru").select_option(label="Tidak Aktif")
    page.get_by_label("Alasan").fill("Tidak menyelenggarakan RAT sejak 2021")
    page.get_by_role("button", name="Ubah status").click()
    expect(page.get_by_test_id("status")).to_have_text("Tidak Aktif")
    history = page.locator("#status-history")
    expect(history).to_contain_text("Aktif → Tidak Aktif")
    expect(history).to_contain_text("Tidak menyelenggarakan RAT sejak 2021")

    page.get_by_role("link", name="Data keragaan").click()
    page.get_by_label("Tahun buku").fill("2025")
    page.get_by_label("Anggota pria").fill("40")
    page.get_by_label("Anggota wanita").fill("60")
    page.get_by_label("Aset").fill("1250000")
    page.get_by_role("button", name="Simpan data keragaan").click()
    figures = page.locator("#figures")
    expect(figures).to_contain_text("2025")
    expect(figures).to_contain_text("Rp 1.250.000")
    # The year on the cooperative's page opens its figures as stored; saving
    # one more keeps the others (the form had opened empty and emptied them).
    figures.get_by_role("link", name="2025").click()
    expect(page.get_by_label("Aset")).to_have_value("1.250.000")
    expect(page.get_by_label("Anggota pria")).to_have_value("40")
    page.get_by_label("Karyawan").fill("5")
    page.get_by_role("button", name="Simpan data keragaan").click()
    expect(figures).to_contain_text("Rp 1.250.000")
    row = figures.locator("tbody tr", has_text="2025")
    expect(row).to_contain_text("40")
    expect(row).to_contain_text("5")

    page.get_by_role("link", name="Tambah pengurus").click()
    page.get_by_label("Nama").fill("Siti Aminah")
    page.get_by_label("Jabatan").select_option(label="Bendahara")
    page.get_by_role("button", name="Tambah pengurus").click()
    row = page.get_by_role("row").filter(has_text="Siti Aminah")
    expect(row).to_contain_text("Bendahara")
    row.get_by_label("Selesai menjabat").fill("2025-06-30")
    row.get_by_role("button", name="Nonaktifkan").click()
    expect(page.get_by_text("Pengurus Siti Aminah dinonaktifkan.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Siti Aminah")).to_contain_text(
        "s.d. 30 Jun 2025"
    )
    expect(page.locator("#audit-trail")).to_contain_text("aktif: Ya → Tidak")
    page.screenshot(
        path=str(SCREENSHOTS / "cooperative-after-staff.png"), full_page=True
    )

    page.get_by_role("button", name="Keluar").click()
    log_in(page, live_server.url, "pengurus-browser")
    expect(page.get_by_role("heading", name="Koperasi saya")).to_be_visible()
    page.get_by_role("link", name="Koperasi Teluk Sejahtera").click()
    expect(page.get_by_test_id("status")).to_have_text("Tidak Aktif")
    expect(page.locator("#figures")).to_contain_text("Rp 1.250.000")
    expect(page.get_by_role("link", name="Ubah data")).to_have_count(0)
    page.goto(live_server.url + "/koperasi/")
    expect(page.get_by_role("heading", name="Akses ditolak")).to_be_visible()
