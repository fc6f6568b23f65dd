"""The pemutakhiran's journeys in Debian's Chromium: staff open a campaign; an
officer confirms on a phone; a visit survives a cut network; staff decide in bulk;
letters are generated and one is verified from its QR code; a member objects; the
Ministry export lists exactly the cooperatives it should."""

import datetime
import io
import re
import uuid
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from campaigns.models import Campaign, CampaignLetter, Evidence, Objection
from campaigns.tests.base import open_campaign
from cooperatives.models import Kelurahan, Officer, Position, StatusChange
from reports.tests.rat_testing import PDF
from tests.personas import make_cooperative, make_user

from .contrast import TEXT_AND_BACKGROUND, contrast
from .test_browser_registry import SCREENSHOTS, log_in

PHONE = {"width": 360, "height": 740}


def db(fn):
    """Run ``fn`` against the database from a thread of its own: Playwright's sync
    API keeps an event loop in the test's thread, where Django refuses queries.
    The data is committed (transactional tests), so the thread sees it."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def run():
        try:
            return fn()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def registry(transactional_db):
    make_user("staf-kampanye", Role.STAFF)
    aktif = make_cooperative(
        "Koperasi Rajin RAT", nik="6471000000000201", last_rat_year=2025
    )
    lama = make_cooperative(
        "KUD Sepi Lama",
        nik="6471000000000202",
        last_rat_year=2015,
        kelurahan=Kelurahan.objects.get(name="Manggar"),
    )
    make_cooperative("Kopkar Hilang", nik="6471000000000203", last_rat_year=2012)
    officer = make_user("pengurus-kampanye", Role.OFFICER)
    Officer.objects.create(
        cooperative=lama,
        user=officer,
        name="Ketua Sepi",
        position=Position.KETUA,
        phone="081234567890",
    )
    return {"aktif": aktif, "lama": lama}


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_open_a_campaign(registry, live_server, browser):
    from playwright.sync_api import expect

    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-kampanye")
    page.get_by_role("link", name="Pemutakhiran").first.click()
    page.locator("#id_year").fill("2025")
    page.get_by_role("button", name="Buat").click()
    expect(page.get_by_role("heading", name="Pemutakhiran 2025")).to_be_visible()
    page.get_by_role("button", name="Buka pemutakhiran").click()
    expect(page.get_by_test_id("job-done")).to_contain_text("Selesai: 3 koperasi.")
    page.get_by_role("link", name="Buka halaman pemutakhiran").click()
    expect(page.get_by_test_id("total")).to_have_text("3")
    expect(page.get_by_test_id("progress")).to_contain_text("0 dari 3 koperasi")
    expect(page.locator("#items")).to_contain_text("KUD Sepi Lama")
    page.get_by_label("Kelas", exact=True).select_option("A")
    page.get_by_role("button", name="Saring").click()
    expect(page.locator("#items tbody tr")).to_have_count(1)
    expect(page.locator("#items")).to_contain_text("Koperasi Rajin RAT")
    page.screenshot(path=str(SCREENSHOTS / "campaign-page.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_officer_confirms_on_a_phone(registry, live_server, browser):
    from playwright.sync_api import expect

    db(open_campaign)
    page = browser.new_context(locale="id-ID", viewport=PHONE).new_page()
    log_in(page, live_server.url, "pengurus-kampanye")
    page.get_by_role("link", name="Konfirmasi data 2025").click()
    expect(page.get_by_role("heading", name="Konfirmasi data 2025")).to_be_visible()
    no_sideways_scroll(page)
    # Two mistakes at once are said at once, each on its field, nothing sent.
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    next_year = str(datetime.date.today().year + 1)
    page.get_by_label("Tanggal RAT terakhir").fill(tomorrow)
    page.get_by_label("Tahun buku RAT tersebut").fill(next_year)
    page.get_by_role("button", name="Kirim konfirmasi").click()
    expect(page.get_by_text("Tanggal RAT tidak boleh di masa depan.")).to_be_visible()
    expect(
        page.get_by_text("Tahun buku RAT tidak boleh sesudah tahun ini.")
    ).to_be_visible()
    no_sideways_scroll(page)
    assert db(Evidence.objects.count) == 0
    page.get_by_label("Alamat kantor").fill("Jl. Mulawarman No. 8")
    page.get_by_label("Tanggal RAT terakhir").fill("2026-03-14")
    page.get_by_label("Tahun buku RAT tersebut").fill("2025")
    page.get_by_role("button", name="Kirim konfirmasi").click()
    expect(page.get_by_role("alert")).to_contain_text("akan diperiksa oleh Dinas")
    expect(page.locator("#campaign-confirmation")).to_contain_text("sedang diperiksa")
    no_sideways_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "campaign-confirm-360.png"), full_page=True)
    evidence = db(Evidence.objects.get)
    assert evidence.data == {"address": "Jl. Mulawarman No. 8"}
    lama = db(lambda: type(registry["lama"]).objects.get(pk=registry["lama"].pk))
    assert lama.address == ""  # nothing changes until staff accept
    # Nothing to do now, said so; a second thought: the form shows what was
    # sent, and sending again replaces it.
    expect(page.get_by_test_id("confirmation-waiting-panel")).to_be_visible()
    page.get_by_role("link", name="Ubah konfirmasi yang dikirim").click()
    expect(page.get_by_test_id("confirmation-waiting")).to_contain_text(
        "sedang diperiksa Dinas"
    )
    expect(page.get_by_label("Alamat kantor")).to_have_value("Jl. Mulawarman No. 8")
    no_sideways_scroll(page)
    page.get_by_label("Alamat kantor").fill("Jl. Mulawarman No. 10")
    page.get_by_role("button", name="Kirim konfirmasi").click()
    expect(page.get_by_role("alert")).to_contain_text("akan diperiksa oleh Dinas")
    statuses = db(
        lambda: sorted(Evidence.objects.values_list("data__address", "status"))
    )
    assert statuses == [
        ("Jl. Mulawarman No. 10", "menunggu"),
        ("Jl. Mulawarman No. 8", "diganti"),
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_visit_typed_with_the_network_cut_is_sent_when_it_returns(
    registry, live_server, browser
):
    from playwright.sync_api import expect

    db(open_campaign)
    context = browser.new_context(
        locale="id-ID",
        viewport=PHONE,
        geolocation={"latitude": -1.2681, "longitude": 116.8287},
        permissions=["geolocation"],
    )
    page = context.new_page()
    log_in(page, live_server.url, "staf-kampanye")
    page.goto(live_server.url + "/pemutakhiran/2025/kunjungan/")
    page.get_by_role("link", name="Manggar").click()
    page.get_by_role("link", name="KUD Sepi Lama").click()
    no_sideways_scroll(page)
    page.get_by_label("Tidak ditemukan").check()
    page.get_by_role("button", name="Ambil posisi ponsel").click()
    expect(page.locator("#geo-text")).to_contain_text("-1.268100")
    page.get_by_label("Catatan").fill(
        "Hanya papan nama; kata tetangga sudah lama tutup."
    )
    context.set_offline(True)
    page.get_by_role("button", name="Simpan kunjungan").click()
    expect(page.locator("#visit-status")).to_contain_text("Isian Anda disimpan")
    assert not db(Evidence.objects.exists)
    # What was typed is still there.
    expect(page.get_by_label("Catatan")).to_have_value(
        "Hanya papan nama; kata tetangga sudah lama tutup."
    )
    context.set_offline(False)
    expect(page.get_by_role("alert")).to_contain_text(
        "Kunjungan ke KUD Sepi Lama tercatat."
    )
    evidence = db(Evidence.objects.get)
    assert evidence.visit_result == "tidak_ditemukan"
    assert str(evidence.latitude) == "-1.268100"
    item = db(lambda: Campaign.objects.get().items.get(cooperative=registry["lama"]))
    assert item.proposed_class == "E"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_visit_unsent_when_its_page_was_closed_says_so_when_opened_again(
    registry, live_server, browser
):
    # Sent without signal, the page then closed: opened again, it was refilled
    # without a word (it looked saved), and its photos were gone.
    from playwright.sync_api import expect

    db(open_campaign)
    context = browser.new_context(locale="id-ID", viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server.url, "staf-kampanye")
    page.goto(live_server.url + "/pemutakhiran/2025/kunjungan/")
    page.get_by_role("link", name="Manggar").click()
    page.get_by_role("link", name="KUD Sepi Lama").click()
    page.get_by_label("Pindah alamat", exact=True).check()
    page.get_by_label("Catatan").fill("Hanya papan nama.")
    page.get_by_label("Alamat baru").fill("Jl. Soekarno Hatta Km 5")
    context.set_offline(True)
    page.get_by_role("button", name="Simpan kunjungan").click()
    expect(page.locator("#visit-status")).to_contain_text("Isian Anda disimpan")
    url = page.url
    page.close()
    context.set_offline(False)
    page = context.new_page()
    page.goto(url)
    expect(page.locator("#visit-status")).to_contain_text("belum terkirim")
    expect(page.locator("#visit-status")).to_contain_text("foto")
    expect(page.get_by_label("Catatan")).to_have_value("Hanya papan nama.")
    # The new address too (it had been left out of what the page keeps).
    expect(page.get_by_label("Alamat baru")).to_have_value("Jl. Soekarno Hatta Km 5")
    assert not db(Evidence.objects.exists)
    page.get_by_role("button", name="Simpan kunjungan").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Kunjungan ke KUD Sepi Lama tercatat."
    )
    visit = db(Evidence.objects.get)
    assert visit.visit_result == "pindah_alamat"
    assert visit.data["new_address"] == "Jl. Soekarno Hatta Km 5"
    # Received: the next visit form of it starts without the notice.
    page.goto(url)
    expect(page.locator("#visit-status")).to_have_text("")
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_closing_asks_first_and_counts_what_is_left_undecided(
    registry, live_server, browser
):
    from playwright.sync_api import expect

    db(open_campaign)
    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-kampanye")
    page.goto(live_server.url + "/pemutakhiran/2025/")
    asked: list[str] = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.get_by_role("button", name="Tutup pemutakhiran").click()
    expect(page.get_by_role("button", name="Tutup pemutakhiran")).to_be_visible()
    assert asked == [
        "Tutup pemutakhiran dan bekukan hasilnya? 3 koperasi belum diputuskan dan "
        "akan tetap tanpa keputusan."
    ]
    assert db(lambda: Campaign.objects.get(year=2025).status) == "berjalan"
    page.once("dialog", lambda dialog: answer(dialog, True))
    page.get_by_role("button", name="Tutup pemutakhiran").click()
    expect(page.get_by_role("alert")).to_contain_text("Pemutakhiran ditutup")
    assert db(lambda: Campaign.objects.get(year=2025).status) == "ditutup"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_closing_waits_for_the_objection_period(registry, live_server, browser):
    """While a cooperative is announced for dissolution the page says until when
    instead of offering to close; once the period is over, it closes."""
    from playwright.sync_api import expect

    item = db(lambda: open_campaign().items.get(cooperative=registry["lama"]))
    db(lambda: _warned(item, 10))
    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-kampanye")
    page.goto(live_server.url + "/pemutakhiran/2025/")
    expect(page.get_by_test_id("close-blocked")).to_contain_text(
        "Dapat ditutup setelah masa keberatan berakhir: 1 koperasi masih dalam "
        "masa keberatan (KUD Sepi Lama)"
    )
    expect(page.get_by_role("button", name="Tutup pemutakhiran")).to_have_count(0)
    db(lambda: _warned(item, 70))
    page.reload()
    expect(page.get_by_test_id("close-blocked")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Tutup pemutakhiran").click()
    expect(page.get_by_role("alert")).to_contain_text("Pemutakhiran ditutup")
    assert db(lambda: Campaign.objects.get(year=2025).status) == "ditutup"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refused_decision_comes_back_as_chosen(registry, live_server, browser):
    """The walk-through's journey: a status chosen with a blank reason came back
    as the proposal's "Aktif", which the next click would have recorded."""
    from playwright.sync_api import expect

    item = db(lambda: open_campaign().items.get(cooperative=registry["lama"]))
    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-kampanye")
    page.goto(f"{live_server.url}/pemutakhiran/koperasi/{item.pk}/")
    page.locator("#id_new_status").select_option("tidak_aktif")
    page.locator("#id_reason").fill("   ")  # the browser takes it; the form not
    page.get_by_role("button", name="Catat keputusan").click()
    expect(page.get_by_test_id("decision-error")).to_be_visible()
    expect(page.locator("#id_new_status")).to_have_value("tidak_aktif")
    assert db(lambda: StatusChange.objects.count()) == 0
    page.locator("#id_reason").fill("Tidak ada RAT sejak 2015")
    page.get_by_role("button", name="Catat keputusan").click()
    expect(page.get_by_role("alert")).to_contain_text("Keputusan dicatat")
    change = db(lambda: StatusChange.objects.get())
    assert (change.to_status, change.cooperative_id) == (
        "tidak_aktif",
        registry["lama"].pk,
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_evidence_waiting_staff_examine_it_before_deciding(
    registry, live_server, browser
):
    """An officer's confirmation of a RAT waits; the item page proposed the
    class's "Tidak Aktif" beside it. Now it proposes none until the evidence is
    examined, and the browser keeps a decision without a status from going."""
    from playwright.sync_api import expect

    from campaigns.services import confirmation_submit

    def confirmed():
        item = open_campaign().items.get(cooperative=registry["lama"])
        confirmation_submit(
            acting_user=None,
            item=item,
            fields={"address": "Jl. Mulawarman No. 8"},
            board="",
            rat_date=datetime.date(2026, 3, 14),
            rat_year=2025,
        )
        return item

    item = db(confirmed)
    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-kampanye")
    page.goto(f"{live_server.url}/pemutakhiran/koperasi/{item.pk}/")
    expect(page.get_by_test_id("decide-after-evidence")).to_be_visible()
    expect(page.locator("#id_new_status")).to_have_value("")
    page.locator("#id_reason").fill("Tidak ada RAT sejak 2015")
    page.get_by_role("button", name="Catat keputusan").click()
    assert (
        page.evaluate("document.querySelector('#id_new_status').validity.valid")
        is False
    )
    assert db(lambda: StatusChange.objects.count()) == 0
    page.get_by_role("button", name="Terima").click()
    expect(page.get_by_test_id("decide-after-evidence")).to_have_count(0)
    expect(page.locator("#id_new_status")).to_have_value("aktif")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_decide_in_bulk(registry, live_server, browser):
    from playwright.sync_api import expect

    db(open_campaign)
    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-kampanye")
    page.goto(live_server.url + "/pemutakhiran/2025/")
    page.get_by_label("Kelas", exact=True).select_option("C")
    page.get_by_role("button", name="Saring").click()
    expect(page.locator("#items tbody tr")).to_have_count(2)
    form = page.locator("#bulk-decide")
    form.get_by_label("Status").select_option("tidak_aktif")
    form.get_by_label("Alasan").fill("Tidak ada RAT dalam tiga tahun buku terakhir")
    # It asks first, naming the status and how many it decides for.
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    form.get_by_role("button", name="Catat keputusan").click()
    assert asked == ['Catat keputusan "Tidak Aktif" untuk 2 koperasi sekaligus?']
    assert db(lambda: StatusChange.objects.count()) == 0
    page.once("dialog", lambda dialog: answer(dialog, True))
    form.get_by_role("button", name="Catat keputusan").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Keputusan dicatat untuk 2 koperasi; status 2 koperasi berubah."
    )
    changes = db(lambda: StatusChange.objects.filter(to_status="tidak_aktif").count())
    assert changes == 2
    aktif = db(lambda: type(registry["aktif"]).objects.get(pk=registry["aktif"].pk))
    assert aktif.status == "aktif"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_letters_are_generated_and_one_is_verified_by_its_qr_code(
    registry, live_server, browser, site_url
):
    import pypdfium2
    import zxingcpp
    from playwright.sync_api import expect

    db(open_campaign)
    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-kampanye")
    page.goto(live_server.url + "/pemutakhiran/2025/")
    # The campaign's next steps say what waits and lead to it.
    due = page.get_by_test_id("letters-due")
    expect(due).to_contain_text("2 koperasi menunggu Surat pemberitahuan")
    due.get_by_role("link").click()
    page.get_by_label("Jenis surat", exact=True).select_option("pemberitahuan")
    page.get_by_role("button", name="Buat surat").click()
    expect(page.get_by_test_id("job-done")).to_contain_text("Selesai: 2 koperasi.")
    with page.expect_download() as download_info:
        page.get_by_test_id("combined").click()
    combined = pypdfium2.PdfDocument(Path(download_info.value.path()).read_bytes())
    assert len(combined) == 2
    page.goto(live_server.url + "/pemutakhiran/2025/surat/")
    # A letter found by its cooperative's name.
    page.get_by_label("Cari surat").fill("sepi lama")
    page.get_by_role("button", name="Saring").click()
    expect(page.get_by_test_id("letters-count")).to_have_text("1 surat")
    row = page.locator("#letters tr", has_text="KUD Sepi Lama")
    whatsapp = row.get_by_role("link", name="Kirim lewat WhatsApp").get_attribute(
        "href"
    )
    assert whatsapp.startswith("https://wa.me/6281234567890?text=")
    pdf_url = row.get_by_role("link", name="PDF").get_attribute("href")
    pdf = page.request.get(live_server.url + pdf_url)
    image = pypdfium2.PdfDocument(pdf.body())[0].render(scale=3).to_pil()
    found = [c.text for c in zxingcpp.read_barcodes(image.convert("L"))]
    verify = [text for text in found if "/pemutakhiran/surat/" in text]
    confirm = [text for text in found if "/pemutakhiran/konfirmasi/" in text]
    assert len(verify) == 1 and len(confirm) == 1, found
    checker = browser.new_context(locale="id-ID", viewport=PHONE).new_page()
    checker.goto(verify[0])
    expect(checker.locator("#verification")).to_contain_text("KUD Sepi Lama")
    expect(checker.locator("#verification")).to_contain_text("Surat ini sah.")
    # The second code lets the officer confirm without an account, once.
    checker.goto(confirm[0])
    checker.get_by_label("Telepon").fill("0542 111 222")
    checker.get_by_role("button", name="Kirim konfirmasi").click()
    expect(checker.get_by_role("heading", name="Terima kasih")).to_be_visible()
    # Reached by a redirect: reloading it shows the same page, sending nothing.
    checker.reload()
    expect(checker.get_by_role("heading", name="Terima kasih")).to_be_visible()
    # The letter's code scanned again the same day: the link is used, and the
    # page says so and when, not "Tautan tidak berlaku".
    checker.goto(confirm[0])
    expect(checker.get_by_role("heading", name="Terima kasih")).to_be_visible()
    expect(checker.get_by_test_id("used-at")).to_contain_text("Tautan ini dipakai pada")
    expect(checker.get_by_label("Telepon")).to_have_count(0)


def _warned(item, days_ago):
    item.peringatan_on = timezone.localdate() - timedelta(days=days_ago)
    item.save()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_member_files_an_objection_on_a_phone(registry, live_server, browser):
    from playwright.sync_api import expect

    def warned_with_letter():
        item = open_campaign().items.get(cooperative=registry["lama"])
        _warned(item, 10)
        return CampaignLetter.objects.create(
            item=item,
            kind="peringatan",
            sequence=1,
            number="001/500.3.4/DKUMKMP/2026",
            issued_on=item.peringatan_on,
            verification_token=uuid.uuid4(),
        )

    letter = db(warned_with_letter)
    page = browser.new_context(locale="id-ID", viewport=PHONE).new_page()
    # The warning letter's QR code: its page leads to the objection first.
    page.goto(f"{live_server.url}/pemutakhiran/surat/{letter.verification_token}/")
    expect(page.locator("#objection-notice")).to_contain_text("sampai")
    no_sideways_scroll(page)
    page.locator("#objection-notice").get_by_role(
        "link", name="Ajukan keberatan"
    ).click()
    expect(page.get_by_label("Nama Anda")).to_be_visible()
    page.goto(live_server.url + "/publik/")
    page.get_by_role("link", name="Pengumuman").click()
    expect(page.locator("#objection-list")).to_contain_text("KUD Sepi Lama")
    no_sideways_scroll(page)
    page.get_by_role("link", name="Ajukan keberatan").click()
    # Sent empty: the server's messages beside each field, in the page's language
    # (the browser's own bubble came in its language and went away), and the
    # focus on the first, with a ring that can be seen (Bootstrap's pale red
    # ring read 1.45:1) and an error text that reads 4.5:1 at least.
    page.get_by_role("button", name="Kirim keberatan").click()
    name = page.get_by_label("Nama Anda")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_be_focused()
    # Once Bootstrap's transition of the ring has ended.
    page.wait_for_function(
        "() => getComputedStyle(document.activeElement).boxShadow"
        ".includes('rgb(10, 88, 202)')"
    )
    feedback = page.locator(".invalid-feedback").first
    expect(feedback).to_be_visible()
    assert contrast(feedback.evaluate(TEXT_AND_BACKGROUND)) >= 4.5
    name.fill("Siti Anggota")
    page.get_by_label("Nomor HP atau e-mail").fill("0812999888")
    page.get_by_label("Isi keberatan").fill(
        "Koperasi kami masih berjalan; RAT Maret 2026."
    )
    # A photo over the limit is said when chosen, and nothing is sent: the
    # server refused it only after the whole upload (220 s over 3G).
    large = b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024 - 3)
    page.get_by_label("Dokumen pendukung").set_input_files(
        files=[{"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": large}]
    )
    expect(page.locator("[data-too-large]")).to_contain_text(
        "foto.jpg: 11,0 MB, di atas batas 10 MB"
    )
    page.get_by_role("button", name="Kirim keberatan").click()
    expect(page.get_by_label("Isi keberatan")).to_have_value(
        "Koperasi kami masih berjalan; RAT Maret 2026."
    )
    # The form stops on the file, which says why to a screen reader too.
    document = page.get_by_label("Dokumen pendukung")
    expect(document).to_be_focused()
    expect(document).to_have_attribute("aria-invalid", "true")
    expect(document).to_have_accessible_description(re.compile("di atas batas 10 MB"))
    assert db(Objection.objects.count) == 0
    page.get_by_label("Dokumen pendukung").set_input_files(
        files=[
            {
                "name": "ba.pdf",
                "mimeType": "application/pdf",
                "buffer": PDF,
            }
        ]
    )
    expect(page.locator("[data-too-large]")).to_be_hidden()
    no_sideways_scroll(page)
    page.get_by_role("button", name="Kirim keberatan").click()
    expect(
        page.get_by_role("heading", name="Keberatan Anda sudah kami terima")
    ).to_be_visible()
    objection = db(Objection.objects.get)
    assert objection.name == "Siti Anggota" and objection.document
    # A number to quote when asking after it.
    expect(page.get_by_test_id("reference")).to_have_text(objection.reference)
    # Reloading the "received" page, or going back to the filled-in form and
    # sending it again, files nothing new.
    page.reload()
    expect(
        page.get_by_role("heading", name="Keberatan Anda sudah kami terima")
    ).to_be_visible()
    page.go_back()
    expect(page.get_by_label("Nama Anda")).to_have_value("Siti Anggota")
    page.get_by_role("button", name="Kirim keberatan").click()
    expect(
        page.get_by_role("heading", name="Keberatan Anda sudah kami terima")
    ).to_be_visible()
    assert db(Objection.objects.count) == 1

    staff = browser.new_page(locale="id-ID")
    log_in(staff, live_server.url, "staf-kampanye")
    staff.goto(live_server.url + "/pemutakhiran/2025/keberatan/")
    expect(staff.get_by_test_id("objection")).to_contain_text("Siti Anggota")
    expect(staff.get_by_test_id("objection")).to_contain_text(objection.reference)
    # Accepted with the RAT its berita acara shows: that RAT is the
    # cooperative's evidence, and its class follows.
    staff.get_by_placeholder("Jawaban Dinas").fill("Berita acara RAT terlampir.")
    staff.get_by_label("Tanggal RAT").fill("2026-03-10")
    staff.get_by_label("Tahun buku").fill("2025")
    staff.get_by_role("button", name="Terima keberatan").click()
    expect(staff.get_by_role("alert")).to_contain_text("Keputusan atas keberatan")
    staff.get_by_role("link", name="KUD Sepi Lama").click()
    expect(staff.get_by_test_id("evidence")).to_contain_text("Keberatan diterima")
    item = db(lambda: Objection.objects.select_related("item").get().item)
    assert item.proposed_class == "A"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_ministry_export_lists_exactly_the_cooperatives_it_should(
    registry, live_server, browser
):
    from playwright.sync_api import expect

    from campaigns.services import campaign_refresh

    def prepare():
        campaign = open_campaign()
        hilang = campaign.items.get(cooperative__name="Kopkar Hilang")
        lama = campaign.items.get(cooperative=registry["lama"])
        _warned(hilang, 70)  # period over, no objection: proposed for dissolution
        _warned(lama, 70)  # period over, but an objection is open
        Objection.objects.create(item=lama, name="A", contact="B", text="Masih aktif")
        campaign_refresh()

    db(prepare)
    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-kampanye")
    page.goto(live_server.url + "/pemutakhiran/2025/")
    page.get_by_role("link", name="Unduhan").click()
    link = page.get_by_role("link", name="Usulan pembubaran untuk Kementerian")
    expect(link).to_contain_text("1 koperasi")
    with page.expect_download() as download_info:
        link.click()
    data = Path(download_info.value.path()).read_bytes()
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.values)
    # Three lines of title (what, whose, as of when) and a blank one, then the
    # table.
    assert rows[0][0] == "Pemutakhiran 2025 — Usulan pembubaran"
    assert [row[1] for row in rows[5:]] == ["Kopkar Hilang"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cooperative_dissolved_on_its_page_leaves_the_campaign(
    registry, live_server, browser
):
    from playwright.sync_api import expect

    db(open_campaign)
    lama = registry["lama"]
    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-kampanye")
    # Before "Ubah status", the cooperative's page says what it does to the campaign.
    page.goto(live_server.url + lama.get_absolute_url())
    expect(page.get_by_test_id("campaign-dissolution-note")).to_contain_text(
        "Bila koperasi ini dibubarkan"
    )
    page.get_by_role("link", name="Ubah status").click()
    page.get_by_label("Status baru").select_option("dibubarkan")
    page.get_by_label("Alasan").fill("Keputusan Menteri tentang pembubaran")
    page.get_by_role("button", name="Ubah status").click()
    expect(page.get_by_role("alert")).to_contain_text("Status koperasi diubah")
    # The list says so, and its decision for all reaches only the other one.
    page.goto(live_server.url + "/pemutakhiran/2025/?kelas=C")
    expect(page.locator("#items tbody tr")).to_have_count(2)
    expect(page.locator("#items")).to_contain_text("kini: Dibubarkan")
    expect(page.get_by_test_id("bulk-dissolved")).to_contain_text(
        "1 koperasi di daftar ini sudah dibubarkan"
    )
    form = page.locator("#bulk-decide")
    form.get_by_label("Status").select_option("tidak_aktif")
    form.get_by_label("Alasan").fill("Tidak ada RAT dalam tiga tahun buku terakhir")
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    form.get_by_role("button", name="Catat keputusan").click()
    assert asked == ['Catat keputusan "Tidak Aktif" untuk 1 koperasi sekaligus?']
    expect(page.get_by_role("alert")).to_contain_text(
        "1 koperasi yang sudah Dibubarkan sejak pemutakhiran dibuka dilewati."
    )
    assert db(lambda: type(lama).objects.get(pk=lama.pk).status) == "dibubarkan"
    # Its item: no decision form, and why.
    page.get_by_role("link", name=lama.name).click()
    expect(page.get_by_test_id("dissolved")).to_be_visible()
    expect(page.get_by_role("button", name="Catat keputusan")).to_have_count(0)
    # Its officer, on a phone, is no longer asked to confirm; the page says why.
    phone = browser.new_context(locale="id-ID", viewport=PHONE).new_page()
    log_in(phone, live_server.url, "pengurus-kampanye")
    expect(phone.get_by_role("link", name="Konfirmasi data 2025")).to_have_count(0)
    item = db(lambda: lama.campaign_items.get())
    phone.goto(live_server.url + reverse("campaigns:confirm", args=[item.pk]))
    expect(phone.get_by_test_id("confirm-dissolved")).to_be_visible()
    no_sideways_scroll(phone)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_decision_for_all_counts_only_those_it_reaches(
    registry, live_server, browser
):
    # One of the two class C cooperatives is in Dalam Proses Pembubaran: a
    # decision other than that process passes it over, and the dialog counts
    # one; the process itself reaches both.
    from playwright.sync_api import expect

    db(open_campaign)
    lama = registry["lama"]
    db(lambda: type(lama).objects.filter(pk=lama.pk).update(status="dalam_pembubaran"))
    page = browser.new_page(locale="id-ID")
    log_in(page, live_server.url, "staf-kampanye")
    page.goto(live_server.url + "/pemutakhiran/2025/?kelas=C")
    expect(page.locator("#items tbody tr")).to_have_count(2)
    form = page.locator("#bulk-decide")
    form.get_by_label("Alasan").fill("Tidak ada RAT dalam tiga tahun buku terakhir")
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    for status in ("tidak_aktif", "dalam_pembubaran"):
        form.get_by_label("Status").select_option(status)
        page.once("dialog", answer)
        form.get_by_role("button", name="Catat keputusan").click()
    assert asked == [
        'Catat keputusan "Tidak Aktif" untuk 1 koperasi sekaligus? '
        "1 yang Dalam Proses Pembubaran dilewati.",
        'Catat keputusan "Dalam Proses Pembubaran" untuk 2 koperasi sekaligus?',
    ]
    assert db(lambda: StatusChange.objects.count()) == 0
