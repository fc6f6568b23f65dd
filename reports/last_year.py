"""What a RAT report is compared with and opens with: last year's (its accepted
report, else the registry's figures and last RAT) and the registry's figures of
the report's own tahun buku."""

from typing import Any

from cooperatives.models import Cooperative, CooperativeFigures
from cooperatives.rules import rat_tahun_buku

from .models import RatReport, RatStatus
from .rat import FIGURES_OF_REPORT, REPORT_FIELDS


def last_year_members(cooperative: Cooperative, tahun_buku: int) -> int | None:
    """Members at the end of the previous tahun buku: its yearly figures, else its
    RAT report. One or two queries."""
    figures = CooperativeFigures.objects.filter(
        cooperative=cooperative, tahun_buku=tahun_buku - 1
    ).first()
    if figures is not None and figures.members_total is not None:
        return figures.members_total
    report = RatReport.objects.filter(
        cooperative=cooperative, tahun_buku=tahun_buku - 1
    ).first()
    return report.members_total if report is not None else None


def last_year_figures(report: RatReport) -> CooperativeFigures | None:
    return CooperativeFigures.objects.filter(
        cooperative_id=report.cooperative_id, tahun_buku=report.tahun_buku - 1
    ).first()


# The fields a new report takes from last year: what a cooperative's members, books
# and meeting habits carry over. The meeting itself, the elected boards and what
# the officer confirmed are new each year.
_NEW_EACH_YEAR = {
    "meeting_date",
    "members_present",
    "pengurus_terpilih",
    "pengawas_terpilih",
    "confirm_member_jump",
    "confirm_late_meeting",
    "confirm_same_figures",
}
PREFILLED = tuple(name for name in REPORT_FIELDS if name not in _NEW_EACH_YEAR)
# Of those, how the cooperative meets rather than what its books say: carried
# over beside the registry's figures of the report's own year too.
HABITS = ("meeting_mode", "quorum")


def own_year_values(report: RatReport) -> dict[str, Any]:
    """The registry's figures of the report's own tahun buku (an ODS import, a
    correction), as report fields: what a new report opens with before last
    year's. One query."""
    figures = CooperativeFigures.objects.filter(
        cooperative_id=report.cooperative_id, tahun_buku=report.tahun_buku
    ).first()
    values = _as_report(figures)
    return {name: value for name, value in values.items() if value is not None}


def last_year_values(report: RatReport) -> dict[str, Any]:
    """Last year's values of the report's fields, to prefill it and show beside each
    field: last year's accepted report, else last year's figures (kewajiban as
    aset - ekuitas, the balance the report must keep). Missing values are left out.
    Up to three queries (the cooperative for its last RAT, unless loaded)."""
    return last_year(report)[1]


def last_year(report: RatReport) -> tuple[RatReport | None, dict[str, Any]]:
    """Last year's accepted report, if any, and ``last_year_values``."""
    previous = RatReport.objects.filter(
        cooperative_id=report.cooperative_id,
        tahun_buku=report.tahun_buku - 1,
        status=RatStatus.DITERIMA,
    ).first()
    if previous is not None:
        values = {name: getattr(previous, name) for name in PREFILLED}
    else:
        values = _as_report(last_year_figures(report))
    known = {name: value for name, value in values.items() if value not in (None, "")}
    # Last year's meeting, shown beside the field and never taken as this
    # year's: the accepted report's, else the registry's last RAT when it is
    # last year's (from the ODS: "Tahun lalu —" beside a date the registry had).
    meeting = previous.meeting_date if previous is not None else None
    if meeting is None and report.status == RatStatus.DITERIMA:
        meeting = report.last_year_meeting_date
    if meeting is None:
        cooperative = report.cooperative
        if (
            rat_tahun_buku(cooperative.last_rat_year, cooperative.last_rat_date)
            == report.tahun_buku - 1
        ):
            meeting = cooperative.last_rat_date
    if meeting is not None:
        known["meeting_date"] = meeting
    return previous, known


def _as_report(figures: CooperativeFigures | None) -> dict[str, Any]:
    """A year's figures as report fields, kewajiban as aset - ekuitas (the
    balance the report must keep)."""
    if figures is None:
        return {}
    values = {name: getattr(figures, src) for name, src in FIGURES_OF_REPORT.items()}
    if values["aset"] is not None and values["ekuitas"] is not None:
        values["kewajiban"] = values["aset"] - values["ekuitas"]
    return values
