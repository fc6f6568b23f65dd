"""What a keyboard, a screen reader or enlarged text needs, in Debian's Chromium:
focus that can be seen in the blue menu; a skip link; a refused report that puts
the focus on its problems and marks each field; a public filter that does not
reload the page on every arrow key; a long file name and 200% text that do not
widen a phone's page."""

import pytest

from accounts.models import Role
from tests.personas import make_user

from . import test_browser_phone as phone
from .contrast import TEXT_AND_BACKGROUND, contrast
from .test_browser_phone import PHONE, no_sideways_scroll, officer_on_rat_form
from .test_browser_rat import PDF
from .test_browser_registry import log_in

# The phone's officer, its cooperative and another one for the public.
cooperative = phone.cooperative


@pytest.fixture
def staff(transactional_db):
    return make_user("staf-a11y", Role.STAFF)


# The focus ring of the focused element: its outline's style, width and colour.
OUTLINE = """() => { const s = getComputedStyle(document.activeElement);
  return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor] }"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_menu_shows_where_the_keyboard_is_and_can_be_skipped(
    staff, live_server, browser
):
    # Bootstrap's ring on the menu's blue read at 1.1:1: the same screenshot
    # with and without focus.
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="id-ID")
    log_in(page, live_server.url, "staf-a11y")
    page.wait_for_url(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.evaluate("[document.activeElement.textContent, location.hash]")
    assert skip == ["Langsung ke isi", ""], skip
    # Seen where it is: it had been painted under the menu.
    on_top = page.evaluate(
        """() => { const a = document.activeElement;
        const r = a.getBoundingClientRect();
        const x = r.x + r.width / 2, y = r.y + r.height / 2;
        return document.elementFromPoint(x, y) === a }"""
    )
    assert on_top, "the skip link is hidden under the menu"
    page.keyboard.press("Tab")  # the name of the registry
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Dasbor"
    style, width, colour = page.evaluate(OUTLINE)
    assert style == "solid" and width >= 2, (style, width)
    assert colour == "rgb(255, 255, 255)", colour
    # The skip link leads past the menu.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refused_report_takes_the_focus_to_its_problems_and_marks_each_field(
    cooperative, live_server, browser
):
    from playwright.sync_api import expect

    page = officer_on_rat_form(browser, live_server.url)
    # What a submission needs is said before it is sent.
    mode = page.get_by_label("Cara pelaksanaan")
    expect(mode).to_have_attribute("aria-required", "true")
    assert "Wajib" in page.locator("#id_meeting_mode_helptext").inner_text()
    date = page.get_by_label("Tanggal RAT")
    page.get_by_role("button", name="Simpan dan ajukan").click()
    summary = page.locator("#check-summary")
    expect(summary).to_contain_text("Perbaiki dulu sebelum diajukan")
    # The focus is on the summary (it stayed at the top of the page, on BODY).
    expect(summary).to_be_focused()
    # Each field it names says so itself, under the field and to a screen reader.
    expect(date).to_have_attribute("aria-invalid", "true")
    described = date.get_attribute("aria-describedby")
    assert described, "the field's problem is tied to it"
    problem = page.locator(f"#{described.split()[0]}")
    said = problem.inner_text()
    assert said.startswith("Periksa:"), said
    # Red text on the page's grey reads 4.5:1 at least (Bootstrap's red: 4.2).
    assert contrast(problem.evaluate(TEXT_AND_BACKGROUND)) >= 4.5
    # Opened again later, the draft's checks are listed but take no focus.
    page.goto(page.url.split("?")[0])  # the form opened again, later
    page.wait_for_load_state("load")
    focused = page.evaluate(
        "[document.activeElement.tagName, document.activeElement.id,"
        " document.activeElement.className]"
    )
    assert focused[0] == "BODY", focused
    # A long file name from a scanner wraps instead of widening the form.
    name = "NERACA_DAN_LAPORAN_KEUANGAN_TAHUN_BUKU_2025_KPRI_GEMILANG_FINAL.pdf"
    page.get_by_label("Dokumen").select_option(label="Neraca")
    page.get_by_label("Berkas").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_role("link", name=name)).to_be_visible()
    # Measured once the style sheets are in: the link is found before they are.
    page.wait_for_load_state("load")
    no_sideways_scroll(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_filter_chosen_with_the_keyboard_applies_on_enter_and_keeps_the_focus(
    cooperative, live_server, browser
):
    # Every arrow key had reloaded the page and dropped the focus to the top.
    page = browser.new_context(**PHONE).new_page()
    page.goto(live_server.url + "/publik/koperasi/?q=koperasi")
    jenis = page.get_by_label("Jenis")
    jenis.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert "jenis=" not in page.url, page.url
    assert page.evaluate("document.activeElement.name") == "jenis"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "jenis=" in page.url, page.url
    assert page.evaluate("document.activeElement.name") == "jenis"
    # With a finger it applies at once, as before.
    with page.expect_navigation():
        page.get_by_label("Jenis").select_option("")
    assert "jenis=&" in page.url or page.url.endswith("jenis="), page.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_pages_read_at_200_percent_text_on_a_phone(
    cooperative, live_server, browser
):
    # The table of figures, a long badge and the office's e-mail reached 437 to
    # 545 px on a 360 px screen when the text was enlarged.
    page = browser.new_context(**PHONE).new_page()
    for path in (
        "/publik/",
        "/publik/koperasi/?q=koperasi",
        f"/publik/koperasi/{cooperative.pk}/",
        "/publik/data/",
    ):
        page.goto(live_server.url + path)
        page.add_style_tag(content="html { font-size: 200% !important; }")
        no_sideways_scroll(page)
