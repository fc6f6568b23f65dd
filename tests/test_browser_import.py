"""A staff member imports a messy ODS export in Chromium, with a real Celery worker
on Redis doing the reading, applying and undoing."""

import io
from pathlib import Path

import openpyxl
import pytest

from accounts.models import Role
from bench import ods_files
from cooperatives.tests.ods_testing import row, write_xlsx
from tests.personas import make_user

from .test_browser_registry import SCREENSHOTS, log_in, menu_link

ROWS = 400


@pytest.fixture
def messy_file(tmp_path, transactional_db):
    make_user("staf-impor", Role.STAFF)
    return ods_files.write(
        tmp_path / "Export_Laporan_Koperasi.xlsx", ROWS, error_percent=5
    )


@pytest.fixture
def correction_file(tmp_path):
    """A later export in which the first cooperative of the messy file is renamed."""
    return write_xlsx(
        tmp_path / "Koreksi.xlsx", [row("6471000000000001", "Koperasi Nama Koreksi")]
    )


@pytest.mark.browser
@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_upload_watch_preview_apply_download_errors_and_undo(
    messy_file,
    correction_file,
    worker_queue,
    live_server,
    browser,
):
    from playwright.sync_api import expect

    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-impor")
    menu_link(page, "Impor ODS").click()
    page.get_by_label("Berkas ekspor ODS").set_input_files(str(messy_file))
    page.get_by_test_id("upload").click()

    # The worker reads the file; the page polls until the preview is ready.
    status = page.get_by_test_id("import-status")
    expect(status).to_have_text("Pratinjau siap", timeout=60_000)
    errors = int(page.get_by_test_id("count-errors").inner_text())
    new = int(page.get_by_test_id("count-new").inner_text().replace(".", ""))
    assert errors > 0 and new + errors == ROWS
    expect(page.locator("#import-rows")).to_contain_text("NIK")
    page.screenshot(path=str(SCREENSHOTS / "import-preview.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_test_id("download-rejected").click()
    rejected = openpyxl.load_workbook(
        io.BytesIO(Path(download_info.value.path()).read_bytes())
    ).active
    rows = list(rejected.iter_rows(values_only=True))
    assert rows[0][-1] == "Keterangan kesalahan"
    assert len(rows) - 1 == errors

    page.get_by_test_id("apply").click()
    expect(status).to_have_text("Diterapkan", timeout=60_000)
    expect(page.get_by_test_id("import-result")).to_contain_text(
        f"Koperasi ditambahkan: {new}"
    )
    page.get_by_role("link", name="Baru", exact=True).click()
    expect(page.locator("#import-rows")).to_contain_text("Koperasi Sejahtera Maju 1")

    # A later export renames one cooperative: the preview shows ODS against registry,
    # and the staff member decides not to apply it.
    menu_link(page, "Impor ODS").click()
    page.get_by_label("Berkas ekspor ODS").set_input_files(str(correction_file))
    page.get_by_test_id("upload").click()
    expect(status).to_have_text("Pratinjau siap", timeout=60_000)
    expect(page.get_by_test_id("count-changed")).to_have_text("1")
    changes = page.locator("#import-rows")
    # Read as the audit trail reads a change: the registry's, then the file's.
    expect(changes).to_contain_text("Koperasi Sejahtera Maju 1 → Koperasi Nama Koreksi")
    page.get_by_test_id("cancel").click()
    expect(status).to_have_text("Tidak diterapkan")

    # Back to the history to undo the first import.
    page.get_by_role("link", name="Riwayat impor").click()
    history = page.locator("#import-history")
    expect(history).to_contain_text("Koreksi.xlsx")
    history.get_by_role("link", name="Export_Laporan_Koperasi.xlsx").click()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("undo").click()
    expect(status).to_have_text("Dibatalkan", timeout=60_000)
    expect(page.get_by_test_id("undo-result")).to_contain_text(
        f"Koperasi baru dihapus: {new}"
    )
    page.screenshot(path=str(SCREENSHOTS / "import-undone.png"), full_page=True)


@pytest.fixture
def kelompok_file(tmp_path, transactional_db):
    """One cooperative whose kelompok label is new and whose jenis is blank."""
    make_user("staf-kelompok", Role.STAFF)
    return write_xlsx(
        tmp_path / "Kelompok_Baru.xlsx",
        [
            row(
                "6471000000000901",
                "Koperasi Nelayan Pantai Lamaru",
                **{
                    "Kelompok Koperasi": "Koperasi Nelayan Pantai",
                    "Jenis Koperasi": "",
                },
            )
        ],
    )


@pytest.mark.browser
@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_map_an_unknown_kelompok_on_the_preview_and_apply(
    kelompok_file, worker_queue, live_server, browser
):
    from playwright.sync_api import expect

    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-kelompok")
    menu_link(page, "Impor ODS").click()
    page.get_by_label("Berkas ekspor ODS").set_input_files(str(kelompok_file))
    page.get_by_test_id("upload").click()
    status = page.get_by_test_id("import-status")
    expect(status).to_have_text("Pratinjau siap", timeout=60_000)
    expect(page.get_by_test_id("count-errors")).to_have_text("0")
    section = page.locator("#new-kelompok")
    expect(section).to_contain_text("Koperasi Nelayan Pantai")
    expect(page.get_by_test_id("unmapped-warning")).to_be_visible()
    page.get_by_label("Koperasi Nelayan Pantai").select_option("produsen")
    page.get_by_test_id("save-mapping").click()
    expect(page.locator(".alert-success")).to_contain_text("Pemetaan kelompok")
    expect(page.get_by_test_id("unmapped-warning")).to_have_count(0)
    page.screenshot(
        path=str(SCREENSHOTS / "import-kelompok-mapped.png"), full_page=True
    )
    page.get_by_test_id("apply").click()
    expect(status).to_have_text("Diterapkan", timeout=60_000)

    page.goto(live_server.url + "/koperasi/")
    page.get_by_label("Cari").fill("Nelayan Pantai")
    page.get_by_label("Cari").press("Enter")
    page.get_by_role("link", name="Koperasi Nelayan Pantai Lamaru").click()
    expect(page.locator("main")).to_contain_text("Produsen")
    expect(page.locator("main")).to_contain_text("Koperasi Nelayan Pantai")
