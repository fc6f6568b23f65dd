"""Without the WhatsApp API configured, staff send an officer's receipt from their
own WhatsApp: the report page's "Kirim lewat WhatsApp" opens WhatsApp (wa.me) with
the message filled in, on a phone, and "Tandai sudah dikirim" records it."""

import re
from urllib.parse import unquote

import pytest

from accounts.models import Role
from cooperatives.models import Officer, Position
from notifications.models import Channel, Notification, NotificationStatus
from reports.tests.rat_testing import submitted_report
from tests.personas import make_cooperative, make_user

from .test_browser_campaign import db
from .test_browser_registry import SCREENSHOTS, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def waiting(transactional_db, settings):
    settings.WHATSAPP_TOKEN = ""
    make_user("staf-wa", Role.STAFF)
    officer = make_user("pengurus-wa", Role.OFFICER)
    officer.email = ""
    officer.save()
    coop = make_cooperative("Koperasi Nelayan Manggar", nik="6471000000000401")
    Officer.objects.create(
        cooperative=coop,
        user=officer,
        name="Siti Aminah",
        position=Position.KETUA,
        phone="0812-3456-7890",
        notify_by=Channel.WHATSAPP,
    )
    report = submitted_report(officer, coop)
    message = Notification.objects.get(channel=Channel.WHATSAPP)
    return report.get_absolute_url(), message


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_send_a_receipt_by_whatsapp_link_and_record_it(
    waiting, live_server, browser
):
    from playwright.sync_api import expect

    url, message = waiting
    assert message.status == NotificationStatus.MANUAL
    context = browser.new_context(
        locale="id-ID", viewport={"width": 360, "height": 740}
    )
    # wa.me is outside this machine: answer it here, as WhatsApp Web would.
    context.route("https://wa.me/**", lambda route: route.fulfill(body="WhatsApp"))
    page = context.new_page()
    log_in(page, live_server.url, "staf-wa")
    page.goto(live_server.url + url)
    panel = page.locator("#messages")
    expect(panel).to_contain_text("Siti Aminah · +6281234567890")
    expect(panel).to_contain_text("Menunggu dikirim staf lewat WhatsApp")
    with page.expect_popup() as opened:
        panel.get_by_role("link", name="Kirim lewat WhatsApp").click()
    popup = opened.value
    popup.wait_for_load_state()
    number, text = popup.url.split("?text=", 1)
    assert number == "https://wa.me/6281234567890"
    assert unquote(text) == message.body
    assert "Nomor tanda terima: RAT/" in unquote(text)
    popup.close()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the report page is {width} px wide on a 360 px phone"
    page.screenshot(path=SCREENSHOTS / "whatsapp-link-360.png", full_page=True)
    panel.get_by_role("button", name="Tandai sudah dikirim").click()
    expect(page.locator("#messages [data-status]")).to_have_text("Terkirim")
    expect(page.locator("#messages")).to_contain_text(re.compile(r"dikirim .+ oleh"))
    status = db(lambda: Notification.objects.get(pk=message.pk).status)
    assert status == NotificationStatus.SENT
    context.close()


@pytest.fixture
def officer_without_channel(transactional_db, settings):
    settings.WHATSAPP_TOKEN = ""
    make_user("staf-wa2", Role.STAFF)
    user = make_user("pengurus-wa2", Role.OFFICER)
    coop = make_cooperative("Koperasi Petani Sepinggan", nik="6471000000000402")
    Officer.objects.create(
        cooperative=coop, user=user, name="Andi Saputra", position=Position.KETUA
    )
    Officer.objects.create(
        cooperative=coop, name="Dewi Lestari", position=Position.SEKRETARIS
    )
    return coop.get_absolute_url()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_officer_chooses_whatsapp_and_staff_invite_a_colleague_by_it(
    officer_without_channel, live_server, browser
):
    from playwright.sync_api import expect

    cooperative_url = officer_without_channel
    phone = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    phone.route("https://wa.me/**", lambda route: route.fulfill(body="WhatsApp"))
    page = phone.new_page()
    log_in(page, live_server.url, "pengurus-wa2")
    page.get_by_role("link", name="Atur pemberitahuan (e-mail atau WhatsApp)").click()
    page.get_by_label("Nomor HP").fill("0812 3456 7890")
    page.get_by_label("Pemberitahuan lewat").select_option(label="WhatsApp")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px phone"
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Cara pemberitahuan disimpan.")).to_be_visible()
    saved = db(lambda: Officer.objects.get(name="Andi Saputra"))
    assert (saved.phone, saved.notify_by) == ("+6281234567890", Channel.WHATSAPP)
    phone.close()

    # Staff give the secretary a WhatsApp number and invite her: without the API
    # the invitation opens in the staff member's own WhatsApp, once.
    desk = browser.new_context(locale="id-ID")
    desk.route("https://wa.me/**", lambda route: route.fulfill(body="WhatsApp"))
    page = desk.new_page()
    log_in(page, live_server.url, "staf-wa2")
    page.goto(live_server.url + cooperative_url)
    expect(page.get_by_text("Pemberitahuan lewat WhatsApp")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Dewi Lestari")
    row.get_by_role("link", name="Ubah").click()
    page.get_by_label("Nomor HP").fill("0813-5000-1234")
    page.get_by_label("Pemberitahuan lewat").select_option(label="WhatsApp")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Data pengurus disimpan.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Dewi Lestari")
    row.get_by_role("button", name="Kirim undangan akun").click()
    alert = page.locator(".alert-warning.alert-dismissible")
    expect(alert).to_contain_text("WhatsApp belum dihubungkan")
    with page.expect_popup() as opened:
        alert.get_by_role("link", name="Kirim lewat WhatsApp").click()
    number, text = opened.value.url.split("?text=", 1)
    assert number == "https://wa.me/6281350001234"
    assert "/undangan/" in unquote(text) and "Dewi Lestari" in unquote(text)
    # Shown once: the link is not kept anywhere the page could show it again.
    page.reload()
    expect(page.locator(".alert-warning.alert-dismissible")).to_have_count(0)
    # What the page says of it now, to whoever opens it next.
    row = page.get_by_role("row").filter(has_text="Dewi Lestari")
    expect(row).to_contain_text("diserahkan ke staf untuk dikirim lewat WhatsApp")
    expect(row.get_by_role("button", name="Kirim ulang undangan")).to_be_visible()
    desk.close()


@pytest.fixture
def answers(waiting):
    """Two messages to the office's number: the officer's answer to the receipt,
    and a stranger's question."""
    from django.utils import timezone

    from notifications.models import IncomingMessage

    _url, message = waiting
    for n, (sender, text) in enumerate(
        [
            ("+6281234567890", "Neraca sudah kami unggah ulang."),
            ("+6285511112222", "Apakah koperasi kami masih terdaftar?"),
        ]
    ):
        IncomingMessage.objects.create(
            provider_id=f"wamid.UJI{n}",
            sender=sender,
            kind="text",
            text=text,
            received_at=timezone.now(),
            reply_to=message if n == 0 else None,
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_read_an_officer_s_answer_and_mark_it_handled(
    answers, live_server, browser
):
    """An officer answers the office's WhatsApp; staff find it from the
    dashboard, see whose number it is, and mark it handled with what they did.
    The list they came from stays filtered."""
    from playwright.sync_api import expect

    page = browser.new_context(locale="id-ID").new_page()
    log_in(page, live_server.url, "staf-wa")
    page.get_by_test_id("incoming-waiting").get_by_role("link").click()
    expect(page.get_by_test_id("whatsapp-waiting")).to_have_text("2")
    card = page.locator(".card", has_text="Neraca sudah kami unggah ulang.")
    expect(card).to_contain_text("Koperasi Nelayan Manggar — Siti Aminah (Ketua)")
    expect(card).to_contain_text("Membalas pesan Dinas")
    card.get_by_label("Catatan tindak lanjut").fill("Unggahan diperiksa.")
    card.get_by_role("button", name="Tandai ditangani").click()
    expect(page.get_by_text("ditandai sudah ditangani")).to_be_visible()
    assert "status=baru" in page.url
    expect(page.get_by_test_id("whatsapp-waiting")).to_have_text("1")
    expect(page.get_by_text("Neraca sudah kami unggah ulang.")).to_have_count(0)
    expect(page.get_by_text("Apakah koperasi kami masih terdaftar?")).to_be_visible()
