"""Demo RAT reports for `seed_demo`: a believable year in the review queue.

For the tahun buku that last ended: 40 reports accepted, 15 waiting for review and 5
drafts, all entered through the same services as real ones; the second demo officer's
cooperative has a report sent back for fixing; the first demo officer's cooperative
has none, so that the demo officer can file one.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from cooperatives.models import Cooperative, CooperativeStatus, RecordSource

from . import services
from .last_year import last_year_members
from .models import RatReport
from .rat import REQUIRED_ATTACHMENTS
from .selectors import rat_schedule, reporting_year

# A one-page PDF: enough for the review page to show and open.
# A one-page PDF: attachments must open and have a page.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
ACCEPTED, WAITING, DRAFTS = 40, 15, 5


def _meeting(year: int, index: int, today: datetime.date) -> datetime.date:
    schedule = rat_schedule(year)
    day = schedule.meeting_from + datetime.timedelta(days=40 + index % 80)
    return max(schedule.meeting_from, min(day, today, schedule.meeting_deadline))


def _values(cooperative: Cooperative, year: int, index: int) -> dict[str, object]:
    members = last_year_members(cooperative, year) or 40
    male = members * 3 // 5
    ekuitas = Decimal(200_000_000 + index * 7_500_000)
    kewajiban = Decimal(100_000_000 + index * 3_000_000)
    shu = Decimal(10_000_000 + index * 250_000)
    return {
        "meeting_date": _meeting(year, index, timezone.localdate()),
        "meeting_mode": "luring",
        "members_present": max(1, members * 2 // 3),
        "quorum": max(1, members // 2),
        "members_male": male,
        "members_female": members - male,
        "aset": ekuitas + kewajiban,
        "kewajiban": kewajiban,
        "ekuitas": ekuitas,
        "modal_luar": kewajiban // 2,
        "volume_usaha": Decimal(500_000_000 + index * 10_000_000),
        "pendapatan": shu * 8,
        "beban": shu * 7,
        "shu": shu,
        "shu_cadangan": shu / 2,
        "shu_anggota": shu * 2 / 5,
        "shu_lainnya": shu / 10,
    }


def _filed(user: User, cooperative: Cooperative, year: int, index: int) -> RatReport:
    report = services.rat_report_start(
        acting_user=user, cooperative=cooperative, tahun_buku=year
    )
    report = services.rat_report_save(
        acting_user=user, report=report, values=_values(cooperative, year, index)
    )
    for kind in REQUIRED_ATTACHMENTS:
        services.rat_attachment_add(
            acting_user=user,
            report=report,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", DEMO_PDF),
        )
    return report


def _sent_when_it_was(report: RatReport, index: int) -> None:
    """A demo report submitted some days after its meeting, not on the day the
    demo was loaded: every one of them had read "terlambat" (0 of 56 on time).
    Most come within the 30 days; every seventh a little after."""
    meeting = report.meeting_date
    if meeting is None:
        return
    days = 45 if index % 7 == 6 else 5 + index % 24
    day = min(meeting + datetime.timedelta(days=days), timezone.localdate())
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    due = rat_schedule(report.tahun_buku).report_due(meeting)
    RatReport.objects.filter(pk=report.pk).update(
        first_submitted_at=moment, submitted_at=moment, submitted_on_time=day <= due
    )
    report.submissions.update(submitted_at=moment)


def load_demo_rat_reports(*, staff: User, officers: dict[str, User]) -> int:
    """Idempotent: nothing happens when the year already has reports."""
    year = reporting_year()
    if RatReport.objects.filter(tahun_buku=year).exists():
        return 0
    aktif = list(
        Cooperative.objects.filter(
            source=RecordSource.DEMO, status=CooperativeStatus.AKTIF
        ).order_by("nik")
    )
    for index, cooperative in enumerate(aktif[2 : 2 + ACCEPTED + WAITING + DRAFTS]):
        report = _filed(staff, cooperative, year, index)
        if index < ACCEPTED + WAITING:
            report, _ = services.rat_report_submit(acting_user=staff, report=report)
            _sent_when_it_was(report, index)
        if index < ACCEPTED:
            services.rat_report_accept(acting_user=staff, report=report)
    second = officers.get("pengurus2")
    if second is not None and len(aktif) > 1:
        report = _filed(second, aktif[1], year, 99)
        report, _ = services.rat_report_submit(acting_user=second, report=report)
        services.rat_report_return(
            acting_user=staff,
            report=report,
            note="Mohon lengkapi daftar pengurus terpilih.",
            field_comments={"pengurus_terpilih": "Tuliskan nama dan jabatan."},
        )
    return RatReport.objects.filter(tahun_buku=year).count()
