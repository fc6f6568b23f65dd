"""Building RAT reports in tests: a complete, consistent report and its files."""

import datetime
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import User
from reports import services
from reports.models import RatReport
from reports.rat import REQUIRED_ATTACHMENTS
from tests.personas import PersonaTestCase

# A tahun buku whose meeting is safely in the past whatever day the tests run.
YEAR = 2024
MEETING = datetime.date(2025, 3, 14)

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(name: str = "berita-acara.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def complete_values(**overrides: Any) -> dict[str, Any]:
    """Fields of a report that passes every check: 40 + 35 members, 60 present of a
    quorum of 38, aset 1.250.000.000 = kewajiban 450.000.000 + ekuitas 800.000.000,
    SHU 50.000.000 split 25/20/5."""
    values: dict[str, Any] = {
        "meeting_date": MEETING,
        "meeting_mode": "luring",
        "members_present": 60,
        "quorum": 38,
        "members_male": 40,
        "members_female": 35,
        "pengurus_terpilih": "Budi Santoso — Ketua",
        "pengawas_terpilih": "",
        "aset": Decimal("1250000000"),
        "kewajiban": Decimal("450000000"),
        "ekuitas": Decimal("800000000"),
        "modal_luar": Decimal("300000000"),
        "volume_usaha": Decimal("2000000000"),
        "pendapatan": Decimal("400000000"),
        "beban": Decimal("350000000"),
        "shu": Decimal("50000000"),
        "shu_cadangan": Decimal("25000000"),
        "shu_anggota": Decimal("20000000"),
        "shu_lainnya": Decimal("5000000"),
        "confirm_member_jump": False,
        "confirm_late_meeting": False,
    }
    values.update(overrides)
    return values


def ready_report(
    user: User, cooperative: Any, *, year: int = YEAR, **overrides: Any
) -> RatReport:
    """A draft with every field and every required document, ready to submit."""
    report = services.rat_report_start(
        acting_user=user, cooperative=cooperative, tahun_buku=year
    )
    values = complete_values(**overrides)
    if year != YEAR and "meeting_date" not in overrides:
        values["meeting_date"] = datetime.date(year + 1, 3, 14)
    report = services.rat_report_save(acting_user=user, report=report, values=values)
    for kind in REQUIRED_ATTACHMENTS:
        services.rat_attachment_add(
            acting_user=user, report=report, kind=kind, upload=upload(f"{kind}.pdf")
        )
    return report


def submitted_report(user: User, cooperative: Any, **overrides: Any) -> RatReport:
    report, _ = services.rat_report_submit(
        acting_user=user, report=ready_report(user, cooperative, **overrides)
    )
    return report


MONEY = {"aset", "kewajiban", "ekuitas", "shu", "shu_cadangan", "shu_anggota"}


def form_data(**overrides):
    """The report form as a browser posts it: amounts typed the Indonesian way."""
    values = complete_values(**overrides)
    data = {}
    for name, value in values.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif value is None:
            data[name] = ""
        elif hasattr(value, "quantize") or (isinstance(value, int) and name in MONEY):
            sign = "-" if value < 0 else ""
            data[name] = sign + f"{abs(int(value)):,}".replace(",", ".")
        else:
            data[name] = str(value)
    return data


class OfficerDraftTestCase(PersonaTestCase):
    """Officer A has started the report of YEAR through the page: ``self.client``
    (logged in as officer A), ``self.report``, ``self.edit`` (its form's URL)."""

    def setUp(self):
        self.client = self.client_for(self.officer_a)
        start = reverse("reports:rat_start", args=[self.coop_a.pk])
        response = self.client.post(start, {"tahun_buku": YEAR})
        self.report = RatReport.objects.get(cooperative=self.coop_a)
        self.assertRedirects(
            response, reverse("reports:rat_edit", args=[self.report.pk])
        )
        self.edit = reverse("reports:rat_edit", args=[self.report.pk])


def submit_on_page(client, report: RatReport, **post: Any):
    """Press "Simpan dan ajukan" on ``report``'s form, every field as filled in
    (``form_data``), through the officer's ``client``."""
    data = {**form_data(), "action": "submit"}
    return client.post(reverse("reports:rat_edit", args=[report.pk]), data, **post)
