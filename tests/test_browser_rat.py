"""The whole RAT round in Chromium: staff invite an officer; the officer sets a
password, fills the report (checked as they type), attaches the documents and
submits; staff send it back with a comment on a field; the officer fixes and
resubmits; staff see what changed and accept; the cooperative's yearly figures and
last-RAT date change."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.formats import date_format

from accounts.models import Role
from cooperatives.models import CooperativeFigures, Officer, Position
from reports.selectors import reporting_year
from tests.personas import make_cooperative, make_user

from .test_browser_registry import SCREENSHOTS, log_in, menu_link

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PASSWORD = "Sandi-Koperasi-2026"


@pytest.fixture
def cooperative(transactional_db):
    make_user("staf-rat", Role.STAFF)
    coop = make_cooperative("Koperasi Karyawan Teluk", nik="6471000000000301")
    Officer.objects.create(
        cooperative=coop,
        name="Rina Wulandari",
        position=Position.KETUA,
        email="rina@uji.invalid",
    )
    CooperativeFigures.objects.create(
        cooperative=coop,
        tahun_buku=reporting_year() - 1,
        members_male=40,
        members_female=30,
    )
    return coop


def upload(page, document: str, content: bytes = PDF) -> None:
    page.get_by_label("Dokumen").select_option(label=document)
    page.get_by_label("Berkas").set_input_files(
        files=[
            {
                "name": f"{document}.pdf",
                "mimeType": "application/pdf",
                "buffer": content,
            }
        ]
    )
    page.get_by_role("button", name="Unggah").click()


def meeting_day() -> datetime.date:
    """A day in the allowed period that is not in the future, whenever this runs."""
    start = datetime.date(reporting_year() + 1, 1, 1)
    return start + datetime.timedelta(
        days=min(72, (datetime.date.today() - start).days)
    )


REPORT = {
    "Anggota hadir": "60",
    "Kuorum (jumlah hadir minimal)": "38",
    "Anggota pria": "40",
    "Anggota wanita": "35",
    "Kewajiban": "450.000.000",
    "Ekuitas / modal sendiri": "800.000.000",
    "Modal luar": "300.000.000",
    "Volume usaha": "2.000.000.000",
    "Pendapatan": "400.000.000",
    "SHU": "50.000.000",
    "SHU untuk cadangan": "25.000.000",
    "SHU untuk anggota (jasa modal dan usaha)": "20.000.000",
    "SHU untuk dana lain": "5.000.000",
}
DOCUMENTS = ("Berita acara RAT", "Daftar hadir", "Neraca", "Laporan hasil usaha")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_whole_rat_round(cooperative, live_server, browser):
    from playwright.sync_api import expect

    base = live_server.url
    year = reporting_year()
    staff = browser.new_context(locale="id-ID").new_page()
    log_in(staff, base, "staf-rat")
    staff.goto(base + cooperative.get_absolute_url())
    staff.get_by_role("button", name="Kirim undangan akun").click()
    expect(staff.get_by_role("alert")).to_contain_text(
        "Undangan dikirim ke rina@uji.invalid"
    )
    link = re.search(r"http://\S+(/koperasi/undangan/\S+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body

    # The officer accepts the invitation and lands on "Koperasi saya".
    officer = browser.new_context(locale="id-ID").new_page()
    officer.goto(base + link.group(1))
    expect(officer.get_by_text("Rina Wulandari")).to_be_visible()
    officer.get_by_label("Nama pengguna").fill("rina")
    officer.locator("#id_password1").fill(PASSWORD)
    officer.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    officer.get_by_role("button", name="Buat akun dan masuk").click()
    expect(officer.get_by_role("heading", name="Koperasi saya")).to_be_visible()
    expect(officer.get_by_text(f"Laporan RAT tahun buku {year}")).to_be_visible()
    officer.get_by_role("button", name="Isi laporan RAT").click()

    # The form checks as it goes: an unbalanced sheet is flagged before saving.
    officer.get_by_label("Tanggal RAT").fill(meeting_day().isoformat())
    officer.get_by_label("Cara pelaksanaan").select_option("luring")
    for label, value in REPORT.items():
        officer.get_by_label(label, exact=True).fill(value)
    officer.get_by_label("Beban", exact=True).fill("350.000.000")
    officer.get_by_label("Aset", exact=True).fill("1.000.000.000")
    hint = officer.locator("#balance-hint")
    expect(hint).to_contain_text("selisih Rp 250.000.000")
    officer.get_by_label("Aset", exact=True).fill("1.250.000.000")
    expect(hint).to_contain_text("Aset = kewajiban + ekuitas.")
    officer.get_by_role("button", name="Simpan draf").click()
    expect(officer.get_by_text("Draf laporan tersimpan.")).to_be_visible()
    # A file that only claims to be a PDF is refused by its content.
    upload(officer, "Neraca", b"<html>bukan pdf</html>")
    expect(officer.get_by_role("alert")).to_contain_text("Jenis berkas tidak diterima")
    for document in DOCUMENTS:
        upload(officer, document)
        expect(officer.get_by_text(f"{document} diunggah.")).to_be_visible()
    # A wrong document is deleted (after a question) and uploaded again; what
    # happened is said in the Lampiran box, where the page lands.
    asked: list[str] = []

    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    officer.once("dialog", accept)
    officer.locator("#attachments tr", has_text="Neraca").get_by_role(
        "button", name="Hapus"
    ).click()
    expect(
        officer.locator("#attachments").get_by_text("Lampiran Neraca dihapus.")
    ).to_be_visible()
    assert asked == ["Hapus lampiran Neraca?"]
    upload(officer, "Neraca")
    expect(officer.get_by_text("Neraca diunggah.")).to_be_visible()
    officer.screenshot(path=str(SCREENSHOTS / "rat-form.png"), full_page=True)
    officer.get_by_role("button", name="Simpan dan ajukan").click()
    expect(officer.get_by_text("Nomor tanda terima: RAT/")).to_be_visible()
    receipt = officer.get_by_test_id("receipt").inner_text()
    assert any(receipt in m.body for m in mail.outbox)

    # Staff send it back with a comment on the aset field.
    menu_link(staff, "Laporan RAT").click()
    staff.get_by_role("link", name="Periksa").click()
    women = staff.locator("#report-fields tr", has_text="Anggota wanita")
    expect(women).to_contain_text("3530")  # this year 35, last year 30
    staff.get_by_label("Catatan untuk Aset", exact=True).fill(
        "Aset tidak sama dengan neraca."
    )
    staff.get_by_label("Catatan untuk Neraca", exact=True).fill(
        "Halaman kedua tidak terbaca."
    )
    staff.get_by_label("Catatan untuk pengurus", exact=True).fill(
        "Mohon cocokkan dengan neraca."
    )
    staff.get_by_role("button", name="Kembalikan (perlu perbaikan)").click()
    expect(staff.get_by_text("Laporan dikembalikan untuk perbaikan.")).to_be_visible()

    # The officer sees exactly what to fix, fixes it and submits again.
    officer.goto(base + "/")
    expect(officer.get_by_test_id("rat-status").first).to_have_text("Perlu Perbaikan")
    officer.get_by_role("link", name="Perbaiki laporan").click()
    expect(officer.locator("#fix-list")).to_contain_text(
        "Aset tidak sama dengan neraca."
    )
    expect(officer.get_by_text("Perlu diperbaiki: Aset tidak sama")).to_be_visible()
    # The note on a document stands beside that document, where it is replaced.
    expect(officer.locator("#attachments tr", has_text="Neraca")).to_contain_text(
        "Perlu diperbaiki: Halaman kedua tidak terbaca."
    )
    officer.get_by_label("Aset", exact=True).fill("1.300.000.000")
    officer.get_by_label("Ekuitas / modal sendiri").fill("850.000.000")
    # The officer answers the note; it goes with the resubmission.
    officer.get_by_label("Tanggapan Anda untuk Dinas (bila perlu)").fill(
        "Neraca halaman kedua sudah dipindai ulang."
    )
    # Submitting straight away saves what was typed first.
    officer.get_by_role("button", name="Simpan dan ajukan kembali").click()
    expect(officer.get_by_text("Nomor tanda terima: " + receipt)).to_be_visible()

    # Staff see what changed and accept.
    menu_link(staff, "Laporan RAT").click()
    staff.get_by_role("link", name="Periksa").click()
    expect(staff.locator("#reply")).to_contain_text(
        "Neraca halaman kedua sudah dipindai ulang."
    )
    changes = staff.locator("#changes")
    expect(changes).to_contain_text("Rp 1.250.000.000")
    expect(changes).to_contain_text("Rp 1.300.000.000")
    staff.screenshot(path=str(SCREENSHOTS / "rat-review.png"), full_page=True)
    staff.get_by_role("button", name="Terima laporan").click()
    expect(staff.get_by_text("Laporan diterima")).to_be_visible()
    staff.get_by_role("link", name=cooperative.name).first.click()
    with translation.override("id"):
        held = date_format(meeting_day(), "j F Y")
    expect(staff.get_by_test_id("last-rat")).to_have_text(held)
    figures = staff.locator("#figures")
    expect(figures).to_contain_text("Rp 1.300.000.000")
    expect(figures).to_contain_text("Laporan RAT")

    menu_link(staff, "Laporan RAT").click()
    staff.get_by_role("link", name="Kelengkapan laporan").click()
    expect(staff.get_by_test_id("accepted")).to_have_text("1")
    expect(staff.get_by_test_id("submitted")).to_have_text("1")

    # A report that came on paper is typed in by staff from the cooperative's page.
    staff.goto(base + cooperative.get_absolute_url())
    staff.get_by_label("Tahun buku RAT").fill(str(year - 1))
    staff.get_by_role("button", name="Input laporan RAT kertas").click()
    expect(
        staff.get_by_role("heading", name=f"Laporan RAT tahun buku {year - 1}")
    ).to_be_visible()
    staff.goto(base + cooperative.get_absolute_url())
    expect(staff.locator("#rat-reports")).to_contain_text("input staf")
