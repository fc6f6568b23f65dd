"""The rules of a RAT report that need no database: its deadlines, and the checks
that the form runs on every save and the submit service runs again in full."""

import calendar
import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from lib.numbers import format_rupiah

from .models import ATTACHMENTS_KEY, AttachmentKind, RatReport

# The fields an officer fills in; everything else is stamped by the services.
REPORT_FIELDS = (
    "meeting_date",
    "meeting_mode",
    "members_present",
    "quorum",
    "members_male",
    "members_female",
    "pengurus_terpilih",
    "pengawas_terpilih",
    "aset",
    "kewajiban",
    "ekuitas",
    "modal_luar",
    "volume_usaha",
    "pendapatan",
    "beban",
    "shu",
    "shu_cadangan",
    "shu_anggota",
    "shu_lainnya",
    "confirm_member_jump",
    "confirm_late_meeting",
    "confirm_same_figures",
)
# What a submitted report must contain. Elected pengurus/pengawas are optional (not
# every RAT elects a board) and so are modal luar and the plans (rencana kerja, RAPB).
REQUIRED_FIELDS = (
    "meeting_date",
    "meeting_mode",
    "members_present",
    "quorum",
    "members_male",
    "members_female",
    "aset",
    "kewajiban",
    "ekuitas",
    "volume_usaha",
    "pendapatan",
    "beban",
    "shu",
)
# The documents that prove the meeting took place and the figures it approved.
REQUIRED_ATTACHMENTS = (
    AttachmentKind.BERITA_ACARA,
    AttachmentKind.DAFTAR_HADIR,
    AttachmentKind.NERACA,
    AttachmentKind.LAPORAN_HASIL_USAHA,
)
# Where an accepted report's fields go in the cooperative's yearly figures
# (CooperativeFigures), and where last year's figures are read back beside them.
FIGURES_OF_REPORT = {
    "members_male": "members_male",
    "members_female": "members_female",
    "aset": "aset",
    "ekuitas": "modal_sendiri",
    "modal_luar": "modal_luar",
    "volume_usaha": "volume_usaha",
    "shu": "shu",
}
SHU_PARTS = ("shu_cadangan", "shu_anggota", "shu_lainnya")
# A member count that moves more than this against last year needs a confirmation.
MEMBER_JUMP = Decimal("0.5")
# The key under which missing attachments are reported (not a model field).


def last_day_after(year: int, months: int) -> datetime.date:
    """The last day of the ``months``-th month after tahun buku ``year`` ends:
    ``(2025, 6)`` is 30 June 2026."""
    month_index = 12 * (year + 1) + months - 1
    end_year, end_month = divmod(month_index, 12)
    end_month += 1
    return datetime.date(
        end_year, end_month, calendar.monthrange(end_year, end_month)[1]
    )


@dataclass(frozen=True)
class Schedule:
    """When the RAT of one tahun buku must be held and reported."""

    tahun_buku: int
    meeting_deadline: datetime.date
    report_days: int

    @property
    def meeting_from(self) -> datetime.date:
        """The first day a meeting on this tahun buku can be held: the books are
        closed."""
        return datetime.date(self.tahun_buku + 1, 1, 1)

    def meeting_known(
        self, cooperative: Cooperative, report: RatReport | None
    ) -> datetime.date | None:
        """The date of the cooperative's RAT on this tahun buku as far as it is
        known: the report's, else the registry's when its last RAT is this
        tahun buku's (a campaign confirmation, an ODS import; the tahun buku
        as recorded, else read from the date). An officer whose RAT the Dinas
        has on record was told the report was due ``report_days`` after the
        latest legal meeting date, however long ago the meeting was. A date
        before the books closed is no meeting on them (a pair typed wrong),
        and moves nothing."""
        if report is not None and report.meeting_date is not None:
            return report.meeting_date
        held = cooperative.last_rat_date
        if (
            held is not None
            and cooperative.last_rat_tahun_buku == self.tahun_buku
            and held >= self.meeting_from
        ):
            return held
        return None

    def due_for(
        self, cooperative: Cooperative, report: RatReport | None
    ) -> datetime.date:
        return self.report_due(self.meeting_known(cooperative, report))

    def report_due(self, meeting_date: datetime.date | None) -> datetime.date:
        """The report is due ``report_days`` after the meeting; before a meeting date
        is known, after the last day the meeting may be held. A date at the end of
        the calendar (stored before the forms refused it) is due at that end."""
        start = meeting_date or self.meeting_deadline
        try:
            return start + datetime.timedelta(days=self.report_days)
        except OverflowError:
            return datetime.date.max


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a report. ``confirm`` names the checkbox that accepts it
    as correct (a warning); without one, it is an error."""

    field: str
    message: str
    confirm: str = ""


def _missing(value: Any) -> bool:
    return value is None or value == ""


def _meeting_problems(
    values: Mapping[str, Any], schedule: Schedule, today: datetime.date
) -> list[Problem]:
    meeting = values.get("meeting_date")
    if meeting is None:
        return []
    if meeting < schedule.meeting_from:
        message = _(
            "Tanggal RAT harus setelah tahun buku %(year)s ditutup (mulai %(start)s)."
        ) % {"year": schedule.tahun_buku, "start": _date(schedule.meeting_from)}
        return [Problem("meeting_date", message)]
    if meeting > today:
        return [Problem("meeting_date", _("Tanggal RAT tidak boleh di masa depan."))]
    if meeting > schedule.meeting_deadline and not values.get("confirm_late_meeting"):
        message = _(
            "RAT ini melewati batas waktu %(deadline)s. Bila tanggalnya memang benar, "
            "centang konfirmasi di bawah."
        ) % {"deadline": _date(schedule.meeting_deadline)}
        return [Problem("meeting_date", message, "confirm_late_meeting")]
    return []


def members_jumped(total: int | None, last_year_members: int | None) -> bool:
    """The member count moved by more than half of last year's, either way."""
    return bool(
        total is not None
        and last_year_members
        and abs(total - last_year_members) > MEMBER_JUMP * last_year_members
    )


def _member_problems(
    values: Mapping[str, Any], last_year_members: int | None
) -> list[Problem]:
    problems = []
    male, female = values.get("members_male"), values.get("members_female")
    total = None if male is None and female is None else (male or 0) + (female or 0)
    present = values.get("members_present")
    if present is not None and total is not None and present > total:
        message = _("Anggota hadir (%(present)s) melebihi jumlah anggota (%(total)s).")
        problems.append(
            Problem("members_present", message % {"present": present, "total": total})
        )
    jumped = members_jumped(total, last_year_members)
    if jumped and not values.get("confirm_member_jump"):
        message = _(
            "Jumlah anggota berubah lebih dari 50%% dibanding tahun lalu "
            "(%(before)s menjadi %(after)s). Bila benar, centang konfirmasi di bawah."
        ) % {"before": last_year_members, "after": total}
        problems.append(Problem("members_male", message, "confirm_member_jump"))
    return problems


# The figures a new report opens with from last year (``PREFILLED``) that a year
# of business always changes: all of them equal to last year's is a report sent
# as it opened, not this year's books.
SAME_AS_LAST_YEAR = ("aset", "kewajiban", "ekuitas", "volume_usaha", "shu")


def same_as_last_year(values: Mapping[str, Any], last_year: Mapping[str, Any]) -> bool:
    """Whether the figures are last year's, each of them (three at least known)."""
    compared = [name for name in SAME_AS_LAST_YEAR if last_year.get(name) is not None]
    return len(compared) >= 3 and all(
        values.get(name) == last_year[name] for name in compared
    )


def _copied_problems(
    values: Mapping[str, Any], last_year: Mapping[str, Any]
) -> list[Problem]:
    if values.get("confirm_same_figures") or not same_as_last_year(values, last_year):
        return []
    message = _(
        "Aset, kewajiban, ekuitas, volume usaha dan SHU sama persis dengan tahun "
        "lalu (terisi otomatis saat laporan dibuka). Isi dengan neraca tahun buku "
        "ini; bila memang sama, centang konfirmasi di bawah."
    )
    return [Problem("aset", message, "confirm_same_figures")]


def _money_problems(values: Mapping[str, Any], *, complete: bool) -> list[Problem]:
    problems = []
    aset: Decimal | None = values.get("aset")
    kewajiban: Decimal | None = values.get("kewajiban")
    ekuitas: Decimal | None = values.get("ekuitas")
    if aset is not None and kewajiban is not None and ekuitas is not None:
        balance = kewajiban + ekuitas
        if aset != balance:
            message = _(
                "Aset (%(aset)s) harus sama dengan kewajiban + ekuitas (%(sum)s)."
            ) % {"aset": format_rupiah(aset), "sum": format_rupiah(balance)}
            problems.append(Problem("aset", message))
    shu = values.get("shu")
    parts = [values.get(name) for name in SHU_PARTS]
    given = [part for part in parts if part is not None]
    distributed = shu is not None and shu > 0 and (given or complete)
    if distributed and sum(given, Decimal(0)) != shu:
        message = _("Pembagian SHU (%(parts)s) harus sama dengan SHU (%(shu)s).") % {
            "parts": format_rupiah(sum(given, Decimal(0))),
            "shu": format_rupiah(shu),
        }
        problems.append(Problem("shu_cadangan", message))
    return problems


def _completeness_problems(
    values: Mapping[str, Any], attachments: Collection[str]
) -> list[Problem]:
    problems = [
        Problem(name, _("Wajib diisi sebelum laporan diajukan."))
        for name in REQUIRED_FIELDS
        if _missing(values.get(name))
    ]
    present, quorum = values.get("members_present"), values.get("quorum")
    if present is not None and quorum is not None and present < quorum:
        message = _("Kuorum tidak tercapai: hadir %(present)s, kuorum %(quorum)s.")
        problems.append(
            Problem("members_present", message % {"present": present, "quorum": quorum})
        )
    missing = [kind for kind in REQUIRED_ATTACHMENTS if kind not in attachments]
    if missing:
        names = ", ".join(str(AttachmentKind(kind).label) for kind in missing)
        message = _("Lampiran wajib belum diunggah: %(names)s.") % {"names": names}
        problems.append(Problem(ATTACHMENTS_KEY, message))
    return problems


def report_problems(
    values: Mapping[str, Any],
    *,
    schedule: Schedule,
    today: datetime.date,
    last_year_members: int | None,
    last_year: Mapping[str, Any] | None = None,
    complete: bool = False,
    attachments: Collection[str] = (),
) -> list[Problem]:
    """Everything wrong with ``values`` (a report's fields by name); ``last_year``,
    last year's values of them (``last_year.last_year_values``).

    A draft (``complete=False``) is checked for consistency only; a submission also
    needs every required field, the quorum and the required attachments.
    """
    problems = [
        *_meeting_problems(values, schedule, today),
        *_member_problems(values, last_year_members),
        *_money_problems(values, complete=complete),
        *_copied_problems(values, last_year or {}),
    ]
    if complete:
        problems += _completeness_problems(values, attachments)
    return problems


def _date(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def report_topic(report: RatReport) -> str:
    """What a report's messages are filed under (``Notification.topic``)."""
    return f"rat_report:{report.pk}"


def reminder_topic(cooperative: Cooperative, year: int) -> str:
    """What the reminders to ``cooperative`` for ``year`` are filed under."""
    return f"rat_reminder:{year}:{cooperative.pk}"
