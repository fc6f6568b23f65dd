"""Without the WhatsApp API configured, staff send an officer's receipt from their
own WhatsApp: the report page's "Kirim lewat WhatsApp" opens WhatsApp (wa.me) with
the message filled in, on a phone, and "Tandai sudah dikirim" records it."""

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
    expect(page.locator("#messages")).to_contain_text("dikirim oleh")
    status = db(lambda: Notification.objects.get(pk=message.pk).status)
    assert status == NotificationStatus.SENT
    context.close()
