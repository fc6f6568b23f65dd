"""A member on a phone (360 px wide): search, filter, open their cooperative, and
the page's QR code — read back from a screenshot — leads to the same page."""

import io

import pytest
from django.core import mail

from accounts.models import Role
from cooperatives.models import CooperativeStatus, Jenis, Kelurahan
from tests.personas import make_cooperative, make_user

from .test_browser_registry import SCREENSHOTS, log_in


@pytest.fixture
def registry(transactional_db):
    make_user("staf-publik", Role.STAFF)
    make_cooperative(
        "Koperasi Nelayan Manggar Sejahtera",
        nik="6471000000000401",
        kelurahan=Kelurahan.objects.get(name="Manggar"),
    )
    make_cooperative(
        "KSP Manggar Makmur",
        nik="6471000000000402",
        jenis=Jenis.SIMPAN_PINJAM,
        kelurahan=Kelurahan.objects.get(name="Manggar"),
    )
    make_cooperative(
        "Koperasi Karyawan Klandasan",
        nik="6471000000000403",
        status=CooperativeStatus.TIDAK_AKTIF,
    )


def scan(png: bytes) -> list:
    """Read QR codes from a screenshot, on white as a printed page would be."""
    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGBA")
    paper = Image.new("RGBA", image.size, "white")
    return zxingcpp.read_barcodes(Image.alpha_composite(paper, image).convert("L"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_member_on_a_phone_finds_their_cooperative_and_its_qr_code(
    registry, live_server, browser, site_url
):
    from playwright.sync_api import expect

    context = browser.new_context(
        locale="id-ID",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.goto(live_server.url + "/publik/")
    expect(page.get_by_test_id("terdaftar")).to_have_text("3")
    expect(page.get_by_test_id("aktif")).to_have_text("2")
    # Nothing overflows sideways on a 360 px screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    page.screenshot(path=str(SCREENSHOTS / "public-home-360.png"), full_page=True)

    page.get_by_label("Cari koperasi: nama, NIK, atau kelurahan").fill("manggar")
    page.get_by_role("button", name="Cari").click()
    expect(page.get_by_test_id("result-count")).to_have_text("2 koperasi ditemukan")
    page.get_by_label("Jenis").select_option(label="Simpan Pinjam")
    expect(page.get_by_test_id("result-count")).to_have_text("1 koperasi ditemukan")
    page.get_by_label("Jenis").select_option(value="")
    page.get_by_role("link", name="Koperasi Nelayan Manggar Sejahtera").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Koperasi Nelayan Manggar Sejahtera"
    )
    expect(page.locator("#status-summary")).to_contain_text("Koperasi ini AKTIF.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(
        path=str(SCREENSHOTS / "public-cooperative-360.png"), full_page=True
    )
    here = page.url

    # Scan the QR code as a phone would: from the pixels on screen.
    found = scan(page.locator("#qr-code").screenshot(path=str(SCREENSHOTS / "qr.png")))
    assert [code.text for code in found] == [here]
    page.goto(found[0].text)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Koperasi Nelayan Manggar Sejahtera"
    )

    # The poster carries a code to the same page.
    page.get_by_role("link", name="Poster A4 untuk papan pengumuman").click()
    assert [c.text for c in scan(page.locator("#qr-code svg").screenshot())] == [here]

    # The member reports a concern, then the Dinas reads it and closes it.
    page.goto(here)
    page.get_by_role("link", name="Laporkan ke Dinas lewat formulir ini").click()
    page.get_by_label("Apa yang perlu diketahui Dinas?").fill(
        "Pengurus belum mengadakan RAT tiga tahun dan simpanan belum dikembalikan."
    )
    page.get_by_label("Saya anggota koperasi ini").check()
    page.get_by_label("E-mail atau nomor HP (boleh dikosongkan)").fill(
        "anggota@uji.invalid"
    )
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Terima kasih, laporan Anda terkirim."
    )
    reference = page.get_by_test_id("reference").inner_text()
    assert any(reference in m.subject for m in mail.outbox)
    staff = browser.new_context(locale="id-ID").new_page()
    log_in(staff, live_server.url, "staf-publik")
    staff.get_by_role("link", name="Aduan").click()
    row = staff.locator("#concerns tr", has_text=reference)
    expect(row).to_contain_text("simpanan belum dikembalikan")
    expect(row).to_contain_text("Koperasi Nelayan Manggar Sejahtera")
    row.get_by_label("Catatan tindak lanjut").fill("Pengurus dipanggil ke Dinas.")
    row.get_by_role("button", name="Tandai ditangani").click()
    expect(staff.locator("#concerns tr", has_text=reference)).to_contain_text(
        "ditangani"
    )

    # Keyboard only: the search box is among the first tab stops, Enter searches.
    page.goto(live_server.url + "/publik/")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_q":
            break
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.keyboard.type("klandasan")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("result-count")).to_have_text("1 koperasi ditemukan")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_member_switches_language_on_a_filtered_search_and_keeps_it(
    registry, live_server, browser
):
    """The page's frame is made once per language in each process; the address the
    switch returns to is not part of it."""
    from playwright.sync_api import expect

    page = browser.new_context(
        locale="id-ID", viewport={"width": 360, "height": 740}, is_mobile=True
    ).new_page()
    page.goto(live_server.url + "/publik/koperasi/?q=manggar")
    page.get_by_label("Jenis").select_option(label="Simpan Pinjam")
    expect(page.get_by_test_id("result-count")).to_have_text("1 koperasi ditemukan")
    searched = page.url
    page.locator("#language").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == searched
    expect(page.get_by_test_id("result-count")).to_have_text("1 cooperative found")
    expect(page.get_by_label("Type")).to_have_value(Jenis.SIMPAN_PINJAM)
    expect(page.locator("#id_kecamatan option").first).to_have_text("All districts")
    expect(page.get_by_role("link", name="Search", exact=True)).to_be_visible()
    # Another search in English keeps English and its own return address.
    page.get_by_label("Type").select_option(value="")
    expect(page.get_by_test_id("result-count")).to_have_text("2 cooperatives found")
    page.locator("#language").select_option("id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_test_id("result-count")).to_have_text("2 koperasi ditemukan")
    assert "q=manggar" in page.url and "jenis=simpan_pinjam" not in page.url
    # A text the box cannot take, from an edited or shared address, is said.
    page.goto(live_server.url + "/publik/koperasi/?q=" + "a" * 101)
    expect(page.get_by_test_id("search-problem")).to_be_visible()
    # Only why: no count of results and no spelling advice for a search not run.
    expect(page.get_by_test_id("result-count")).to_have_count(0)
    expect(page.get_by_text("Periksa ejaan")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_bank_scans_a_status_letter_and_sees_whether_it_holds(
    registry, live_server, browser, site_url
):
    """Staff issue a status letter; the QR code printed on the PDF opens the public
    verification page, which changes once the letter is withdrawn."""
    import pypdfium2
    import zxingcpp
    from playwright.sync_api import expect

    page = browser.new_context(locale="id-ID").new_page()
    log_in(page, live_server.url, "staf-publik")
    page.goto(live_server.url + "/koperasi/")
    page.get_by_role("link", name="KSP Manggar Makmur").click()
    page.get_by_label("Keperluan").fill("pengajuan pinjaman ke Bank Kaltimtara")
    page.get_by_role("button", name="Terbitkan surat keterangan status").click()
    expect(page.get_by_role("alert")).to_contain_text("diterbitkan")
    letters = page.locator("#status-letters")
    expect(letters).to_contain_text("pengajuan pinjaman ke Bank Kaltimtara")
    pdf_url = letters.get_by_role("link", name="PDF").get_attribute("href")
    pdf = page.request.get(live_server.url + pdf_url)
    assert pdf.headers["content-type"] == "application/pdf"

    # What the bank does: scan the printed code.
    image = pypdfium2.PdfDocument(pdf.body())[0].render(scale=3).to_pil()
    found = zxingcpp.read_barcodes(image.convert("L"))
    assert len(found) == 1 and "/publik/verifikasi/surat/" in found[0].text
    bank = browser.new_context(locale="id-ID").new_page()
    bank.goto(found[0].text)
    verification = bank.locator("#verification")
    expect(verification).to_contain_text("KSP Manggar Makmur")
    expect(verification).to_contain_text("Aktif")
    expect(verification).to_contain_text("Surat ini sah dan masih berlaku.")

    # The Dinas withdraws it; the same code now says so.
    letters.locator("summary", has_text="Cabut").click()
    letters.get_by_placeholder("Alasan pencabutan").fill("Diterbitkan untuk nama lama")
    letters.get_by_role("button", name="Cabut").click()
    expect(page.get_by_role("alert")).to_contain_text("dicabut")
    bank.reload()
    expect(bank.locator("#verification")).to_contain_text("telah dicabut")
    expect(bank.locator("#verification")).to_contain_text("Diterbitkan untuk nama lama")
