"""Officers and members on a 360 x 740 phone: a RAT report filed from last year's
values in a few taps with four documents chosen at once; a draft that fails a
check is saved and the check listed at the top; no page an officer or the public
can reach scrolls sideways; the public search forgives a typo."""

import datetime
import re
from decimal import Decimal
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Role, User
from cooperatives.models import CooperativeFigures, Kelurahan, Officer, Position
from cooperatives.services.invitations import password_link_url
from reports.models import RatReport, RatStatus
from reports.selectors import reporting_year
from reports.tests.rat_testing import PDF, complete_values
from tests.personas import make_cooperative, make_user

from .test_browser_rat import meeting_day
from .test_browser_registry import SCREENSHOTS, log_in, menu_link

PHONE = {
    "locale": "id-ID",
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
}
DOCUMENTS = {
    "berita-acara-rat.pdf": "berita_acara",
    "daftar-hadir.pdf": "daftar_hadir",
    "neraca.pdf": "neraca",
    "laporan-hasil-usaha.pdf": "laporan_hasil_usaha",
}


@pytest.fixture
def cooperative(transactional_db):
    """Officer "pengurus-hp" of a cooperative whose last year's report the office
    accepted; its figures of two years ago; another cooperative for the public."""
    coop = make_cooperative(
        "KSPPS Manuntung Borneo",
        nik="6471000000000501",
        kelurahan=Kelurahan.objects.get(name="Gunung Samarinda"),
    )
    # A name as the ministry writes some: a word no line can break at (its A4
    # poster ran 532 px wide on a phone).
    make_cooperative(
        "Koperasi Karyawan PT.PERTAMINA(PERSERO)RU-V Klandasan",
        nik="6471000000000502",
    )
    user = make_user("pengurus-hp", Role.OFFICER)
    Officer.objects.create(
        cooperative=coop, user=user, name="Siti Aminah", position=Position.KETUA
    )
    year = reporting_year()
    values = complete_values(meeting_date=datetime.date(year, 3, 10))
    RatReport.objects.create(
        cooperative=coop,
        tahun_buku=year - 1,
        status=RatStatus.DITERIMA,
        receipt_number=f"RAT/{year - 1}/000001",
        submitted_at=timezone.now(),
        **values,
    )
    CooperativeFigures.objects.create(
        cooperative=coop,
        tahun_buku=year - 1,
        members_male=values["members_male"],
        members_female=values["members_female"],
        aset=values["aset"],
        modal_sendiri=values["ekuitas"],
    )
    return coop


class Phone:
    """A page on a phone that counts the officer's taps (a tap on a button or
    link, a tap into a field to type, one "pilih berkas")."""

    def __init__(self, page):
        self.page = page
        self.taps = 0

    def click(self, locator):
        self.taps += 1
        locator.click()

    def fill(self, locator, value):
        self.taps += 1
        locator.fill(value)

    def choose_files(self, locator, files):
        self.taps += 1
        locator.set_input_files(files)


# The elements that reach past the screen's right edge, for the failure message.
OVERFLOWING = """() => Array.from(document.querySelectorAll("body *"))
  .filter(e => e.getBoundingClientRect().right > 361)
  .slice(0, 8)
  .map(e => `${e.tagName}.${e.className} ${e.getBoundingClientRect().right}`)
"""


# The page's visible controls smaller than 44 px (WCAG 2.5.5): the script says how
# they are measured and what is exempt.
SMALL_TARGETS = (Path(__file__).parent / "small_targets.js").read_text()


# The contrast of each element's text with the navbar's background, as WCAG
# computes it (the text's alpha blended over that background).
CONTRAST = """els => els.map(e => {
  const rgba = c => c.match(/[\\d.]+/g).map(Number);
  const bar = rgba(getComputedStyle(e.closest(".navbar")).backgroundColor);
  const [r, g, b, a = 1] = rgba(getComputedStyle(e).color);
  const text = [r, g, b].map((v, i) => a * v + (1 - a) * bar[i]);
  const lum = c => { const [R, G, B] = c.map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B; };
  const [hi, lo] = [lum(text), lum(bar)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
})"""


# Whether an element's text sits on one line (a number broken across lines
# gives two boxes).
ONE_LINE = """e => { const r = document.createRange(); r.selectNodeContents(e);
  const tops = Array.from(r.getClientRects()).map(b => Math.round(b.top));
  return new Set(tops).size === 1 }"""


def no_small_targets(page) -> None:
    small = page.evaluate(SMALL_TARGETS)
    assert not small, f"{page.url}: {small}"


def no_sideways_scroll(page) -> int:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    if width > 360:
        culprits = page.evaluate(OVERFLOWING)
        raise AssertionError(f"{page.url} is {width} px wide: {culprits}")
    return width


def officer_on_rat_form(browser, base: str):
    """The officer of ``cooperative`` on a phone, on this year's RAT form once its
    page (and the script that groups digits as typed) has loaded."""
    page = browser.new_context(**PHONE).new_page()
    log_in(page, base, "pengurus-hp")
    page.get_by_role("button", name="Isi laporan RAT").click()
    page.wait_for_url("**/isi/", wait_until="load")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_file_of_no_known_kind_is_named_and_the_others_are_kept(
    cooperative, live_server, browser
):
    from playwright.sync_api import expect

    page = officer_on_rat_form(browser, live_server.url)
    # Every required document named, and one more the form cannot place.
    names = [*DOCUMENTS, "scan001.pdf"]
    page.get_by_label("Berkas").set_input_files(
        [{"name": n, "mimeType": "application/pdf", "buffer": PDF} for n in names]
    )
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("Neraca diunggah.")).to_be_visible()
    expect(page.get_by_text("scan001.pdf belum disimpan")).to_be_visible()
    expect(page.locator("#attachments tbody tr")).to_have_count(len(DOCUMENTS))
    no_sideways_scroll(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_photo_over_the_limit_is_said_when_chosen_and_not_sent(
    cooperative, live_server, browser
):
    # Refused only after the whole upload, over a slow connection.
    from playwright.sync_api import expect

    page = officer_on_rat_form(browser, live_server.url)
    large = b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024 - 3)
    page.get_by_label("Berkas").set_input_files(
        [
            {"name": "foto-rapat.jpg", "mimeType": "image/jpeg", "buffer": large},
            {"name": "neraca.pdf", "mimeType": "application/pdf", "buffer": PDF},
        ]
    )
    said = page.locator("[data-too-large]")
    expect(said).to_have_count(1)
    expect(said).to_contain_text("foto-rapat.jpg: 11,0 MB, di atas batas 10 MB")
    page.get_by_role("button", name="Unggah").click()
    page.wait_for_timeout(500)
    assert page.url.endswith("/isi/"), page.url
    expect(page.locator("#attachments tbody tr")).to_have_count(1)  # "Belum ada"
    expect(page.get_by_text("Belum ada lampiran.")).to_be_visible()
    no_sideways_scroll(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_form_sent_after_the_session_ended_is_given_back_after_logging_in(
    cooperative, live_server, browser
):
    # It led to the login page saying nothing; what was typed was gone unseen,
    # and going Back asked for the form again, which led to the login too.
    from playwright.sync_api import expect

    page = officer_on_rat_form(browser, live_server.url)
    page.get_by_label("Anggota hadir").fill("61")
    page.get_by_label("Pengawas terpilih").fill("Rahmat — Ketua pengawas")
    page.context.clear_cookies(name="sessionid")  # expired, or logged out elsewhere
    page.get_by_role("button", name="Simpan draf").click()
    login = page.get_by_role("heading", name="Masuk ke Registri Koperasi")
    expect(login).to_be_visible()
    said = page.get_by_text("Sesi Anda sudah berakhir sebelum isian terkirim")
    expect(said).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_label("Nama pengguna").fill("pengurus-hp")
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/isi/", wait_until="load")
    expect(page.get_by_test_id("unsent-restored")).to_be_visible()
    expect(page.get_by_label("Anggota hadir")).to_have_value("61")
    expect(page.get_by_label("Pengawas terpilih")).to_have_value(
        "Rahmat — Ketua pengawas"
    )
    no_sideways_scroll(page)
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Draf laporan tersimpan.")).to_be_visible()
    expect(page.get_by_label("Anggota hadir")).to_have_value("61")
    expect(page.get_by_test_id("unsent-restored")).to_have_count(0)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_upload_after_the_session_ended_keeps_the_report_s_values(
    cooperative, live_server, browser, tmp_path
):
    # The draft was saved before the upload; that save, sent to the login, was
    # taken as done, and the upload form went after it: the login kept the
    # upload's values, and the report's were lost under "diisikan kembali".
    # Given back, they then counted as saved: leaving asked nothing.
    from playwright.sync_api import expect

    page = officer_on_rat_form(browser, live_server.url)
    page.get_by_label("Pengawas terpilih").fill("Rahmat — Ketua pengawas")
    page.context.clear_cookies(name="sessionid")
    document = tmp_path / "neraca.pdf"
    document.write_bytes(PDF)
    page.locator("#upload-form input[type=file]").set_input_files(str(document))
    page.locator("#upload-form").get_by_role("button", name="Unggah").click()
    expect(
        page.get_by_text("Sesi Anda sudah berakhir sebelum isian terkirim")
    ).to_be_visible()
    # And the document chosen did not go up (the report's form went instead).
    expect(page.get_by_text("Berkas yang dipilih perlu dipilih lagi.")).to_be_visible()
    page.get_by_label("Nama pengguna").fill("pengurus-hp")
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/isi/", wait_until="load")
    expect(page.get_by_test_id("unsent-restored")).to_be_visible()
    expect(page.get_by_label("Pengawas terpilih")).to_have_value(
        "Rahmat — Ketua pengawas"
    )
    # Leaving asks first: they are not saved yet.
    with page.expect_event("dialog", timeout=3000) as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_officer_files_a_prefilled_report_in_a_few_taps(
    cooperative, live_server, browser
):
    from playwright.sync_api import expect

    page = browser.new_context(**PHONE).new_page()
    log_in(page, live_server.url, "pengurus-hp")
    phone = Phone(page)
    phone.click(page.get_by_role("button", name="Isi laporan RAT"))
    expect(page.get_by_label("Aset", exact=True)).to_have_value("1.250.000.000")
    expect(page.get_by_label("Anggota pria")).to_have_value("40")
    expect(page.get_by_text("tahun lalu: Rp 1.250.000.000")).to_be_visible()
    assert page.get_by_label("Aset", exact=True).get_attribute("inputmode") == (
        "numeric"
    )
    no_sideways_scroll(page)

    # Four documents from one "pilih berkas", each given its kind by its name
    # (by the form's script, which runs once the page has loaded).
    page.wait_for_load_state("load")
    files = [
        {"name": name, "mimeType": "application/pdf", "buffer": PDF}
        for name in DOCUMENTS
    ]
    phone.choose_files(page.get_by_label("Berkas"), files)
    for name, kind in DOCUMENTS.items():
        expect(page.get_by_label(f"Dokumen untuk {name}")).to_have_value(kind)
    # Each file's kind is read before the button that sends them, not below it.
    button = page.get_by_role("button", name="Unggah").bounding_box()
    for name in DOCUMENTS:
        kind_box = page.get_by_label(f"Dokumen untuk {name}").bounding_box()
        assert kind_box and button and kind_box["y"] < button["y"], name
    phone.click(page.get_by_role("button", name="Unggah"))
    for label in ("Berita acara RAT", "Daftar hadir", "Neraca", "Laporan hasil usaha"):
        expect(page.get_by_text(f"{label} diunggah.")).to_be_visible()
    expect(page.locator("#attachments tbody tr")).to_have_count(4)

    # What last year cannot tell: the meeting's date, who came, and this year's
    # business (a balance sheet sent exactly as last year's asks to be confirmed).
    phone.fill(page.get_by_label("Tanggal RAT"), meeting_day().isoformat())
    phone.fill(page.get_by_label("Anggota hadir"), "60")
    phone.fill(page.get_by_label("Volume usaha"), "2.750.000.000")
    page.screenshot(path=str(SCREENSHOTS / "rat-form-360.png"), full_page=True)
    phone.click(page.get_by_role("button", name="Simpan dan ajukan"))
    expect(page.get_by_text("Nomor tanda terima: RAT/")).to_be_visible()
    assert phone.taps < 15, phone.taps
    no_sideways_scroll(page)
    # The summary of what was submitted: last year's aset, carried over.
    expect(page.get_by_test_id("rat-status").first).to_have_text("Diajukan")
    expect(page.locator("body")).to_contain_text("Rp 1.250.000.000")
    # The summary's amounts stay whole on one line, both years' columns shown.
    cells = page.locator("#report-fields td", has_text="Rp 1.250.000.000").all()
    assert len(cells) == 2  # this year and last year
    for cell in cells:
        assert cell.evaluate(ONE_LINE), cell.inner_text()
        assert cell.is_visible()


@pytest.fixture
def this_years_figures(cooperative):
    """The registry's figures of the report's own tahun buku, as an ODS import
    brings them."""
    CooperativeFigures.objects.create(
        cooperative=cooperative,
        tahun_buku=reporting_year(),
        members_male=52,
        aset=Decimal("1400000000"),
    )
    return cooperative


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_opens_with_this_years_figures_and_two_tabs_keep_both_saves(
    this_years_figures, live_server, browser
):
    # The form opened with last year's figures beside this year's in the
    # registry; and two tabs on the new report clashed over the values both
    # had shown ("Sudah diubah menjadi …").
    from playwright.sync_api import expect

    page = officer_on_rat_form(browser, live_server.url)
    said = page.locator("#opened-with")
    expect(said).to_contain_text(f"data keragaan tahun buku {reporting_year()}")
    expect(page.get_by_label("Aset", exact=True)).to_have_value("1.400.000.000")
    expect(page.get_by_label("Anggota pria")).to_have_value("52")
    expect(page.get_by_text("tahun lalu: Rp 1.250.000.000")).to_be_visible()
    no_sideways_scroll(page)
    other = page.context.new_page()
    other.goto(page.url, wait_until="load")
    other.get_by_role("button", name="Simpan draf").click()
    expect(other.get_by_text("Draf laporan tersimpan.")).to_be_visible()
    expect(other.locator("#opened-with")).to_have_count(0)
    page.get_by_label("Anggota pria").fill("55")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Draf laporan tersimpan.")).to_be_visible()
    expect(page.get_by_text("Sudah diubah menjadi")).to_have_count(0)
    expect(page.get_by_label("Anggota pria")).to_have_value("55")
    expect(page.get_by_label("Aset", exact=True)).to_have_value("1.400.000.000")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_last_years_figures_sent_as_they_opened_are_confirmed_first(
    cooperative, live_server, browser
):
    from playwright.sync_api import expect

    page = officer_on_rat_form(browser, live_server.url)
    page.get_by_label("Berkas").set_input_files(
        [
            {"name": name, "mimeType": "application/pdf", "buffer": PDF}
            for name in DOCUMENTS
        ]
    )
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator("#attachments tbody tr")).to_have_count(len(DOCUMENTS))
    page.wait_for_load_state("load")
    page.get_by_label("Tanggal RAT").fill(meeting_day().isoformat())
    page.get_by_label("Anggota hadir").fill("60")
    # Sent with last year's balance sheet as the form opened: not submitted, and
    # the summary at the top says why and leads to the confirmation.
    page.get_by_role("button", name="Simpan dan ajukan").click()
    summary = page.locator("#check-summary")
    expect(summary).to_contain_text("sama persis dengan tahun lalu")
    summary.get_by_role("link", name="Konfirmasi").click()
    confirm = page.get_by_label("Angka keuangan memang sama dengan tahun lalu")
    expect(confirm).to_be_in_viewport()
    confirm.check()
    no_sideways_scroll(page)
    page.get_by_role("button", name="Simpan dan ajukan").click()
    expect(page.get_by_text("Nomor tanda terima: RAT/")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_what_the_officer_typed_is_kept_when_a_document_is_uploaded(
    cooperative, live_server, browser
):
    from playwright.sync_api import expect

    page = officer_on_rat_form(browser, live_server.url)
    volume = page.get_by_label("Volume usaha")
    volume.fill("")
    volume.press_sequentially("2500000000")
    expect(volume).to_have_value("2.500.000.000")
    # Not saved; a document chosen and uploaded at once.
    page.get_by_label("Berkas").set_input_files(
        [{"name": "neraca.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("Neraca diunggah.")).to_be_visible()
    expect(page.get_by_label("Volume usaha")).to_have_value("2.500.000.000")
    # The page returned to its documents; saving again shows the page's top, not
    # the documents at the bottom.
    assert page.url.endswith("#attachments"), page.url
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Draf laporan tersimpan.")).to_be_in_viewport()
    assert "#" not in page.url, page.url
    # A value the server refuses: the upload does not happen, and the page says so
    # (once the page's script, which saves first, has loaded).
    page.wait_for_load_state("load")
    hadir = page.get_by_label("Anggota hadir")
    hadir.fill("-7")
    page.get_by_label("Berkas").set_input_files(
        [{"name": "daftar-hadir.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("Dokumen belum diunggah atau dihapus")).to_be_visible()
    expect(page.get_by_label("Anggota hadir")).to_have_value("-7")
    expect(page.locator("#attachments tbody tr")).to_have_count(1)
    # Corrected, and a document removed: what was typed is saved first.
    page.wait_for_load_state("load")
    page.get_by_label("Anggota hadir").fill("30")
    page.once("dialog", lambda dialog: dialog.accept())  # "Hapus lampiran Neraca?"
    page.get_by_role("button", name="Hapus").click()
    expect(page.get_by_text("Lampiran Neraca dihapus.")).to_be_visible()
    expect(page.locator("#attachments tbody tr")).to_have_text(["Belum ada lampiran."])
    expect(page.get_by_label("Anggota hadir")).to_have_value("30")
    # Leaving by a link with a value not saved: the page asks first, and staying
    # keeps it.
    page.wait_for_load_state("load")
    page.get_by_label("Anggota hadir").fill("31")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    here = page.url
    page.get_by_role("link", name="Lihat ringkasan").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"], asked
    assert page.url == here
    expect(page.get_by_label("Anggota hadir")).to_have_value("31")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_file_chosen_and_not_uploaded_is_not_left_behind_silently(
    cooperative, live_server, browser
):
    from playwright.sync_api import expect

    page = officer_on_rat_form(browser, live_server.url)
    page.wait_for_load_state("load")
    page.get_by_label("Berkas").set_input_files(
        [{"name": "neraca.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    asked = []

    def cancel(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    page.get_by_role("button", name="Simpan dan ajukan").click()
    page.wait_for_timeout(500)
    assert len(asked) == 1 and "neraca.pdf" in asked[0], asked
    assert "belum diunggah" in asked[0], asked
    expect(page.get_by_role("button", name="Simpan dan ajukan")).to_be_enabled()
    expect(page.locator("#attachments tbody tr")).to_have_text(["Belum ada lampiran."])
    assert page.url.endswith("/isi/"), page.url  # not submitted: still the form
    # The buttons still work: the file is uploaded, and nothing is asked again.
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("Neraca diunggah.")).to_be_visible()
    page.wait_for_load_state("load")
    page.once("dialog", cancel)  # none expected: nothing is chosen any more
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Draf laporan tersimpan.")).to_be_visible()
    assert len(asked) == 1, asked


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_amount_written_in_words_is_refused_not_turned_into_a_number(
    cooperative, live_server, browser
):
    from playwright.sync_api import expect

    page = officer_on_rat_form(browser, live_server.url)
    # A box with a limit says how much of it is used.
    box = page.get_by_label("Pengurus terpilih")
    box.fill("Budi — Ketua")
    counter = page.locator("[data-length-of=pengurus_terpilih]")
    expect(counter).to_have_text("12 / 2000")
    # Read with the box by a screen reader, and said once at the limit.
    assert counter.get_attribute("id") in box.get_attribute("aria-describedby")
    live = counter.locator("xpath=following-sibling::span[@aria-live]")
    expect(live).to_have_text("")
    box.fill("x" * 2000)
    expect(live).to_have_text("2000 / 2000")
    box.fill("Budi — Ketua")
    aset = page.get_by_label("Aset", exact=True)
    for typed in ("dua miliar", "2 M"):
        aset.fill("")
        aset.press_sequentially(typed)
        expect(aset).to_have_value(typed)
    page.get_by_role("button", name="Simpan draf").click()
    summary = page.locator("#check-summary")
    expect(summary.get_by_role("link", name="Aset")).to_be_visible()
    expect(page.get_by_label("Aset", exact=True)).to_have_value("2 M")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_decimal_point_or_commas_typed_keep_the_amount(
    cooperative, live_server, browser
):
    """ "1250000.50" typed came out "125.000.050": the grouping dropped the dot.
    "3,400,000,000" made the balance line vanish: the page could not read it,
    though the server does."""
    from playwright.sync_api import expect

    page = officer_on_rat_form(browser, live_server.url)
    beban = page.get_by_label("Beban", exact=True)
    # Pasted whole: left as it is, and read as the server reads it.
    beban.fill("1250000.50")
    expect(beban).to_have_value("1250000.50")
    # Typed key by key, the digits are grouped first; the point typed after
    # them is kept, so the server refuses the amount and says how to write sen,
    # instead of receiving 125.000.050.
    pendapatan = page.get_by_label("Pendapatan", exact=True)
    pendapatan.fill("")
    pendapatan.press_sequentially("1250000.50")
    expect(pendapatan).to_have_value("1.250.000.50")
    # Typed by hand with its dots, it is grouped as before.
    kewajiban = page.get_by_label("Kewajiban", exact=True)
    kewajiban.fill("")
    kewajiban.press_sequentially("450.000.000")
    expect(kewajiban).to_have_value("450.000.000")
    hint = page.locator("#balance-hint")
    for name, typed in (
        ("Aset", "1,250,000,000"),
        ("Ekuitas / modal sendiri", "800000000"),
    ):
        field = page.get_by_label(name, exact=True)
        field.fill("")
        field.press_sequentially(typed)
    expect(hint).to_contain_text("Aset = kewajiban + ekuitas.")
    page.get_by_label("Aset", exact=True).fill("1,25,0")
    page.get_by_label("Aset", exact=True).dispatch_event("input")
    expect(hint).to_contain_text("belum terbaca sebagai angka")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_label("Beban", exact=True)).to_have_value("1.250.000,50")
    expect(page.locator("#check-summary")).to_contain_text(
        "Sen ditulis sesudah koma, misalnya 1.250.000,50."
    )
    expect(page.get_by_label("Pendapatan", exact=True)).to_have_value("1.250.000.50")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_draft_that_fails_a_check_saves_and_lists_it_at_the_top(
    cooperative, live_server, browser
):
    from playwright.sync_api import expect

    # Typing before the grouping script has loaded (a busy machine) would type
    # into a plain field: the helper waits for the page.
    page = officer_on_rat_form(browser, live_server.url)
    aset = page.get_by_label("Aset", exact=True)
    aset.fill("")
    aset.press_sequentially("1000000000")
    # Grouped while typed.
    expect(aset).to_have_value("1.000.000.000")
    expect(page.locator("#balance-hint")).to_contain_text("selisih Rp 250.000.000")
    # Said right under the figures it checks, seen while typing them: at the end
    # of the form it stood a screen and a half below.
    gap = page.evaluate(
        """() => document.getElementById("balance-hint").getBoundingClientRect().top
        - document.getElementById("id_ekuitas").getBoundingClientRect().bottom"""
    )
    assert 0 <= gap < 80, gap
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Draf laporan tersimpan.")).to_be_visible()
    summary = page.locator("#check-summary")
    expect(summary).to_contain_text("harus sama dengan kewajiban + ekuitas")
    summary.get_by_role("link", name="Aset").click()
    expect(page.get_by_label("Aset", exact=True)).to_be_in_viewport()
    expect(page.get_by_label("Aset", exact=True)).to_have_value("1.000.000.000")
    no_sideways_scroll(page)
    # Submitting lists what is still missing, each by its field.
    page.get_by_role("button", name="Simpan dan ajukan").click()
    expect(summary).to_contain_text("Perbaiki dulu sebelum diajukan")
    expect(summary.get_by_role("link", name="Tanggal RAT")).to_be_visible()
    expect(summary.get_by_role("link", name="Lampiran")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "rat-summary-360.png"), full_page=True)


def crawl(page, base: str, start: list[str], *, staff: bool = False) -> list[str]:
    """Every page reachable by following links from ``start`` on this site, one
    per path (query strings aside), except logging out, the Django admin and
    files (PDF, images, downloads, the API's JSON). For ``staff``, one page per
    shape of path (``/koperasi/N/``), and tap targets are not measured: staff
    work at a desk, and may look something up on a phone."""
    from playwright.sync_api import Error as PlaywrightError

    seen: set[str] = set()
    queue = list(start)
    visited = []
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        if staff:
            path = re.sub(r"\d+", "N", path)
        if path in seen:
            continue
        seen.add(path)
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file behind a plain link (a staff download)
            raise
        if response is None or "text/html" not in response.headers.get(
            "content-type", ""
        ):
            continue
        assert response.status < 500, url
        visited.append(path)
        no_sideways_scroll(page)
        if not staff:
            no_small_targets(page)
        # A stacked table's "nothing here yet" row carries no column's heading.
        labelled = page.eval_on_selector_all(
            "table.table-stack td[colspan][data-label]", "els => els.length"
        )
        assert not labelled, f"{url}: an empty row is labelled as a column"
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for href in hrefs:
            absolute = urljoin(url, href).split("#")[0]
            parts = urlsplit(absolute)
            shape = re.sub(r"\d+", "N", parts.path) if staff else parts.path
            if not absolute.startswith(base) or shape in seen:
                continue
            if any(
                word in parts.path
                for word in (
                    "/admin/",
                    "/logout",
                    "/api/",
                    "/pdf/",
                    "/unduh/",
                    "qr.svg",
                )
            ):
                continue
            if "/lampiran/" in parts.path or PurePosixPath(parts.path).suffix:
                continue  # a document or a download (.csv, .xlsx, .json)
            queue.append(absolute)
    return visited


@pytest.fixture
def password_link(cooperative) -> str:
    """The path of a link to set a new password that staff sent "pengurus-hp"."""
    link = password_link_url(User.objects.get(username="pengurus-hp"))
    return link.removeprefix(settings.SITE_URL)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_page_of_an_officer_or_the_public_scrolls_sideways(
    cooperative, password_link, live_server, browser
):
    base = live_server.url
    public = browser.new_context(**PHONE).new_page()
    # The verification pages a QR code opens, here for a code that names nothing;
    # the officer's link to set a new password (sent by staff to a phone), and
    # one already used.
    link = password_link
    uid = link.split("/")[3]
    codes = [
        base + "/publik/verifikasi/surat/tidak-ada/",
        base + "/pemutakhiran/surat/x/",
        base + link,
        base + f"/akun/reset/{uid}/sudah-dipakai/",
    ]
    visited = crawl(public, base, [base + "/publik/", base + "/akun/login/", *codes])
    assert f"/akun/reset/{uid}/set-password/" in visited, visited
    for path in ("/publik/", "/publik/koperasi/", "/publik/data/"):
        assert path in visited, visited
    assert "/publik/verifikasi/surat/tidak-ada/" in visited, visited
    assert f"/publik/koperasi/{cooperative.pk}/" in visited
    assert any(p.endswith("/poster/") for p in visited), visited

    officer = officer_on_rat_form(browser, base)
    visited = crawl(officer, base, [base + "/", officer.url])
    for path in ("/", f"/{cooperative.pk}/"):
        assert any(p.endswith(path) for p in visited), visited
    assert any("/laporan/rat/" in p for p in visited), visited
    # Where they choose e-mail or WhatsApp.
    assert any(p.endswith("/pemberitahuan/") for p in visited), visited


@pytest.fixture
def campaign_letter(cooperative):
    """This year's campaign, opened, with one letter sent to ``cooperative``'s
    officers; a staff user "staf-hp"."""
    from campaigns.models import CampaignLetter
    from campaigns.tests.base import open_campaign

    campaign = open_campaign(reporting_year())
    make_user("staf-hp", Role.STAFF)
    return CampaignLetter.objects.create(
        item=campaign.items.get(cooperative=cooperative),
        kind="pemberitahuan",
        sequence=1,
        number="001/500.3.4/DKUMKMP/2026",
        issued_on=datetime.date(2026, 1, 5),
        emailed_to="bendahara.koperasi.manuntung@contoh.invalid",
        verification_token="00000000-0000-0000-0000-0000000000ab",
        job=campaign.jobs.get(),
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_page_of_the_staff_scrolls_sideways_on_a_phone(
    campaign_letter, live_server, browser
):
    """Staff look things up on a phone too: a heading kept for screen readers had
    widened the campaign's letters to 697 px, and the health statistics' columns
    to 581 px."""
    campaign = campaign_letter.item.campaign
    page = browser.new_context(**PHONE).new_page()
    log_in(page, live_server.url, "staf-hp")
    base = live_server.url
    visited = crawl(page, base, [base + "/"], staff=True)
    for path in (
        "/penilaian/statistik/",
        f"/pemutakhiran/{campaign.year}/surat/",
        "/koperasi/N/",
    ):
        shape = re.sub(r"\d+", "N", path)
        assert shape in visited, visited


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_public_search_forgives_a_typo(cooperative, live_server, browser):
    from playwright.sync_api import expect

    page = browser.new_context(**PHONE).new_page()
    page.goto(live_server.url + "/publik/")
    page.get_by_label("Cari koperasi: nama, NIK, atau kelurahan").fill("manuntng")
    page.get_by_role("button", name="Cari").click()
    expect(page.get_by_role("link", name="KSPPS Manuntung Borneo")).to_be_visible()
    page.get_by_label("Cari koperasi: nama, NIK, atau kelurahan").fill(
        "Borneo KSPPS Manuntung"
    )
    page.get_by_role("button", name="Cari").click()
    expect(page.get_by_role("link", name="KSPPS Manuntung Borneo")).to_be_visible()
    no_sideways_scroll(page)


# The staff menu's entries, the language selector, the user and the logout
# button: on one line, every box overlaps every other vertically.
MENU_BOXES = """() => Array.from(document.querySelectorAll(
  "#nav > ul > li, #nav > form, #nav > .navbar-text"))
  .map(e => [e.getBoundingClientRect().top, e.getBoundingClientRect().bottom])"""


@pytest.fixture
def staff(transactional_db):
    return make_user("staf-menu", Role.STAFF)


@pytest.fixture
def administrator(transactional_db):
    user = make_user("admin-menu", Role.ADMIN)
    # A name as long as many: the bar must still fit at 1200 px.
    user.first_name, user.last_name = "Muhammad Rizky", "Pratama Wijayakusuma"
    user.save()
    return user


@pytest.fixture
def large_figures(cooperative):
    """Three years of the cooperative's figures in the billions, as the demo's."""
    from decimal import Decimal

    from cooperatives.models import RecordSource

    amounts = {
        "modal_sendiri": Decimal("5134782000"),
        "modal_luar": Decimal("5363118000"),
        "aset": Decimal("10497900000"),
        "volume_usaha": Decimal("13261319000"),
        "shu": Decimal("646757000"),
    }
    for year in (2023, 2024, 2025):
        CooperativeFigures.objects.update_or_create(
            cooperative=cooperative,
            tahun_buku=year,
            defaults={
                **amounts,
                "members_male": 204,
                "members_female": 114,
                "managers": 1,
                "employees": 22,
                "source": RecordSource.DEMO,
            },
        )
    return cooperative


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cooperatives_figures_fit_an_office_screen_in_english(
    large_figures, staff, live_server, browser
):
    # At 1366 px in English the figures table ran past its card, its source
    # column cut to "Dem dat", with nothing to show the table scrolled.
    cooperative = large_figures
    from django.conf import settings

    wide = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 768})
    page = wide.new_page()
    log_in(page, live_server.url, "staf-menu")
    wide.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/koperasi/{cooperative.pk}/")
    fits = page.evaluate(
        """() => { const t = document.querySelector('#figures');
        return [t.scrollWidth, t.parentElement.clientWidth]; }"""
    )
    assert fits[0] <= fits[1], fits
    assert "Demo data" in page.locator("#figures").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_staff_menu_fits_one_line_and_folds_on_a_phone(
    cooperative, staff, administrator, live_server, browser
):
    from playwright.sync_api import expect

    wide = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 768})
    page = wide.new_page()
    log_in(page, live_server.url, "staf-menu")
    boxes = page.evaluate(MENU_BOXES)
    assert len(boxes) >= 6, boxes
    assert max(top for top, _ in boxes) < min(bottom for _, bottom in boxes), boxes
    # No entry wraps its words onto a second line (44 px: one line, tap-sized).
    heights = page.eval_on_selector_all(
        "#nav .nav-link", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert max(heights) <= 46, heights
    assert page.locator("#language").bounding_box()["width"] >= 50
    # Each entry readable on the bar's blue: at least 4.5:1 (WCAG 1.4.3).
    ratios = page.eval_on_selector_all("#nav .nav-link", CONTRAST)
    assert min(ratios) >= 4.5, ratios
    menu_link(page, "Impor ODS").click()
    expect(page).to_have_url(live_server.url + "/koperasi/impor/")

    # The administrator's bar, an entry more and a longer role, in English: it
    # ran 28 px past the screen, "Keluar" cut off on every page.
    from django.conf import settings

    admin = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 768})
    page = admin.new_page()
    log_in(page, live_server.url, "admin-menu")
    admin.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto(live_server.url + "/")
    # From 1200 px, where the bar stops folding: "Data update" and "Public site"
    # had broken onto two lines up to 1280 px.
    for width in (1366, 1280, 1200):
        page.set_viewport_size({"width": width, "height": 768})
        expect(page.get_by_role("button", name="Log out")).to_be_in_viewport()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        boxes = page.evaluate(MENU_BOXES)
        assert max(top for top, _ in boxes) < min(b for _, b in boxes), (width, boxes)
        heights = page.eval_on_selector_all(
            "#nav .nav-link", "els => els.map(e => e.getBoundingClientRect().height)"
        )
        assert max(heights) <= 46, (width, heights)

    page = browser.new_context(**PHONE).new_page()
    log_in(page, live_server.url, "staf-menu")
    no_sideways_scroll(page)
    expect(page.locator("#nav")).to_be_hidden()
    for name in ("Daftar koperasi", "Laporan RAT", "Aduan"):
        page.goto(live_server.url + "/")
        menu_link(page, name).click()
        expect(page.locator("nav.navbar")).to_be_visible()
        no_sideways_scroll(page)


@pytest.fixture
def desk(cooperative):
    """A Dinas staff member at a desk, for "pengurus-hp"'s cooperative."""
    return make_user("staf-sandi", Role.STAFF)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_officer_who_forgot_the_password_gets_a_new_one_from_the_dinas(
    cooperative, desk, live_server, browser, site_url
):
    # Asked on the phone, staff send the link; the officer opens it on the
    # phone, reads their username, sets a password and logs in with it.
    from django.core import mail
    from playwright.sync_api import expect

    staff = browser.new_page(viewport={"width": 1280, "height": 800})
    log_in(staff, live_server.url, "staf-sandi")
    staff.wait_for_url(live_server.url + "/")
    staff.goto(f"{live_server.url}/koperasi/{cooperative.pk}/")
    staff.get_by_role("button", name="Kirim tautan kata sandi baru").click()
    expect(staff.locator(".alert-success")).to_contain_text(
        "Tautan kata sandi baru dikirim ke pengurus-hp@uji.invalid"
    )
    message = mail.outbox[-1]
    assert "Nama pengguna Anda: pengurus-hp" in message.body
    link = re.search(r"http://\S+/akun/reset/\S+/", message.body)
    assert link, message.body

    phone = browser.new_context(**PHONE).new_page()
    phone.goto(link.group(0))
    expect(phone.get_by_test_id("reset-username")).to_have_text("pengurus-hp")
    no_sideways_scroll(phone)
    phone.locator("#id_new_password1").fill("Kopi-Balikpapan-77")
    phone.locator("#id_new_password2").fill("Kopi-Balikpapan-77")
    phone.get_by_role("button", name="Simpan kata sandi").click()
    expect(
        phone.get_by_role("heading", name="Kata sandi baru disimpan")
    ).to_be_visible()
    phone.get_by_role("link", name="Masuk").last.click()
    phone.get_by_label("Nama pengguna").fill("pengurus-hp")
    phone.get_by_label("Kata sandi").fill("Kopi-Balikpapan-77")
    phone.get_by_role("button", name="Masuk").click()
    expect(phone.get_by_text(cooperative.name).first).to_be_visible()
    # The link is used up.
    phone.goto(link.group(0))
    expect(phone.get_by_text("Tautan ini tidak berlaku lagi")).to_be_visible()
