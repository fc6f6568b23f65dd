"""In English, the words that JavaScript puts on a page are English too: the RAT
form's live hints and the labels of the files chosen at once (through Django's
JavaScript catalog); and the public home chart's key."""

import pytest

from reports.tests.rat_testing import PDF

from .test_browser_phone import cooperative  # noqa: F401  (the officer and report)
from .test_browser_registry import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_officer_in_english_reads_the_live_hints_in_english(
    cooperative,  # noqa: F811
    live_server,
    browser,
):
    from playwright.sync_api import expect

    page = browser.new_page()
    log_in(page, live_server.url, "pengurus-hp")
    # Logged in before the language is chosen: chosen on the login page while it
    # was being left, the choice was lost now and then.
    page.wait_for_url(live_server.url + "/")
    page.locator("#language").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Fill in the RAT report").click()

    # Last year's kewajiban + ekuitas are 1.250.000.000: 250.000.000 short.
    aset = page.get_by_label("Assets", exact=True)
    aset.fill("")
    aset.press_sequentially("1000000000")
    hints = page.locator("#balance-hint div")
    expect(hints).to_have_text(
        ["Assets do not yet equal liabilities + equity (difference Rp 250.000.000)."]
    )
    expect(page.locator("#shu-hint")).to_have_text(
        "The SHU distribution equals the SHU."
    )
    aset.fill("")
    aset.press_sequentially("1250000000")
    expect(hints.first).to_have_text("Assets = liabilities + equity.")

    page.locator("#upload-form input[type=file]").set_input_files(
        [
            {"name": name, "mimeType": "application/pdf", "buffer": PDF}
            for name in ("neraca.pdf", "daftar-hadir.pdf")
        ]
    )
    expect(page.locator("#chosen-files label")).to_have_text(
        ["Document for neraca.pdf", "Document for daftar-hadir.pdf"]
    )
    assert "selisih" not in page.locator("body").inner_text()

    # The public site keeps the language chosen; its chart's key follows.
    page.goto(f"{live_server.url}/publik/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#chart-kecamatan figcaption")).to_have_text(
        "Active cooperatives by district Active Registered"
    )
