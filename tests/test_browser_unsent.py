"""A form sent after the session ended is given back, after logging in, to that
form alone: on a page of several forms with the same fields (a RAT report's
return and accept forms, both with "note") the return note had filled the
acceptance's note too, ready to be sent to the officer as its note."""

import pytest

from accounts.models import Role
from reports.tests.rat_testing import submitted_report
from tests.personas import make_cooperative, make_user

from .test_browser_registry import log_in


@pytest.fixture
def report(transactional_db):
    make_user("staf-sesi", Role.STAFF)
    officer = make_user("pengurus-sesi", Role.OFFICER)
    coop = make_cooperative("Koperasi Sesi Habis", nik="6471000000000901")
    from cooperatives.models import Officer, Position

    Officer.objects.create(
        cooperative=coop, user=officer, name="Ketua Sesi", position=Position.KETUA
    )
    return submitted_report(officer, coop)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_return_note_comes_back_to_the_return_form_only(report, live_server, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="id-ID")
    log_in(page, live_server.url, "staf-sesi")
    page.goto(live_server.url + report.get_absolute_url())
    note = "Berita acara belum ditandatangani pengawas."
    page.locator("#id_note").fill(note)
    page.context.clear_cookies(name="sessionid")
    page.get_by_role("button", name="Kembalikan (perlu perbaikan)").click()
    expect(
        page.get_by_text("Sesi Anda sudah berakhir sebelum isian terkirim")
    ).to_be_visible()
    page.get_by_label("Nama pengguna").fill("staf-sesi")
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_test_id("unsent-restored")).to_be_visible()
    expect(page.locator("#id_note")).to_have_value(note)
    expect(page.locator("#id_accept_note")).to_have_value("")
