"""Reads about RAT reports that span relations: schedules, last year's figures, the
officers' portal, the review queue and the completeness page."""

import datetime
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.db.models import Case, Count, Field, Model, Prefetch, Q, QuerySet, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import User
from cooperatives.models import (
    Cooperative,
    CooperativeFigures,
    CooperativeStatus,
    Officer,
)
from cooperatives.rules import rat_is_later
from cooperatives.selectors import (
    officer_contact,
    statistics_rows,
    summed_by_statistics_row,
)
from lib.display import field_shown
from lib.phone import whatsapp_link
from notifications.models import Channel, Notification
from notifications.selectors import notifications_about
from notifications.texts import notification_text
from notifications.whatsapp import whatsapp_configured

from .last_year import last_year, last_year_members, last_year_values
from .models import (
    AttachmentKind,
    RatAttachment,
    RatPeriod,
    RatReport,
    RatStatus,
    RatSubmission,
    ReviewDecision,
)
from .rat import (
    FIGURES_OF_REPORT,
    REPORT_FIELDS,
    Problem,
    Schedule,
    last_day_after,
    members_jumped,
    reminder_topic,
    report_problems,
    same_as_last_year,
)

SUBMITTED = (RatStatus.DIAJUKAN, RatStatus.PERLU_PERBAIKAN, RatStatus.DITERIMA)


def rat_reports_not_accepted(tahun_buku: int) -> int:
    """Reports of ``tahun_buku`` that reached the Dinas and are not accepted yet
    (waiting, or sent back): counted as held RAT by R1, R5 and the map, but no
    proof of activity for the campaign until accepted. One query."""
    return RatReport.objects.filter(
        tahun_buku=tahun_buku,
        status__in=(RatStatus.DIAJUKAN, RatStatus.PERLU_PERBAIKAN),
    ).count()


def rat_schedule(tahun_buku: int) -> Schedule:
    """The deadlines of ``tahun_buku``: its RatPeriod row, else the settings' defaults.
    One query."""
    period = RatPeriod.objects.filter(tahun_buku=tahun_buku).first()
    if period is not None:
        return Schedule(tahun_buku, period.meeting_deadline, period.report_days)
    deadline = last_day_after(tahun_buku, settings.RAT_MEETING_MONTHS)
    return Schedule(tahun_buku, deadline, settings.RAT_REPORT_DAYS)


def reporting_year(today: datetime.date | None = None) -> int:
    """The tahun buku whose RAT is due now: the year that last ended."""
    return (today or timezone.localdate()).year - 1


def report_values(report: RatReport) -> dict[str, Any]:
    return {name: getattr(report, name) for name in REPORT_FIELDS}


def report_check(
    report: RatReport,
    values: Mapping[str, Any] | None = None,
    *,
    complete: bool = False,
) -> list[Problem]:
    """The problems of ``values`` (default: the report's own) for this report's
    cooperative and year; ``complete`` adds what a submission needs. Up to five
    queries."""
    attachments = set(report.attachments.values_list("kind", flat=True))
    return report_problems(
        report_values(report) if values is None else values,
        schedule=rat_schedule(report.tahun_buku),
        today=timezone.localdate(),
        last_year_members=last_year_members(report.cooperative, report.tahun_buku),
        last_year=last_year_values(report),
        complete=complete,
        attachments=attachments,
    )


@dataclass(frozen=True)
class Replaced:
    label: str
    now: str
    then: str
    # The change in percent when it is large (JUMP_SHARE or more either way):
    # an amount a tenth of the registry's may be a slip of a zero.
    jump: int | None = None


# A figure that moves this much against the registry's is pointed out.
JUMP_SHARE = Decimal("0.5")


def _jump(old: Any, new: Any) -> int | None:
    """``new`` against ``old`` in whole percent, when both are numbers, ``old`` is
    not zero and the change is JUMP_SHARE or more; else None."""
    numbers = (int, Decimal)
    if not isinstance(old, numbers) or not isinstance(new, numbers) or not old:
        return None
    change = (Decimal(new) - Decimal(old)) / abs(Decimal(old))
    return round(change * 100) if abs(change) >= JUMP_SHARE else None


@dataclass(frozen=True)
class AcceptanceEffect:
    """What accepting ``report`` would write over in the registry: the year's
    figures (``source`` is where the ones there came from; ``None`` when the
    year has none yet) and the last RAT."""

    source: str | None
    figures: list[Replaced]
    last_rat: Replaced | None
    # What was shown, as a short code the accept form sends back: accepting is
    # refused when the registry has changed since (``rat_report_accept``). Made
    # of the values, not of how they read: the language may change between.
    digest: str

    @property
    def has_jumps(self) -> bool:
        return any(row.jump is not None for row in self.figures)


def _replaced(model: type[Model], name: str, now: Any, then: Any) -> Replaced:
    field = cast("Field[Any, Any]", model._meta.get_field(name))
    return Replaced(
        str(capfirst(field.verbose_name)),
        field_shown(field, now),
        field_shown(field, then),
    )


def acceptance_effect(report: RatReport) -> AcceptanceEffect:
    """Shown beside "Terima laporan", so that staff see the figures they replace
    (an ODS import's, an earlier correction's) before they replace them. Mirrors
    ``rat_report_accept``: a blank field of the report leaves the figure known in
    place (a figure the year lacks is filled in); the meeting becomes the last RAT
    only when it is later. One query (the cooperative is the report's, loaded with
    it)."""
    known = CooperativeFigures.objects.filter(
        cooperative_id=report.cooperative_id, tahun_buku=report.tahun_buku
    ).first()
    figures = []
    seen: list[Any] = [known.source if known is not None else None]
    for name, figure in FIGURES_OF_REPORT.items():
        value = getattr(report, name)
        old = getattr(known, figure) if known is not None else None
        if value is None or value == old:
            continue
        replaced = _replaced(CooperativeFigures, figure, old, value)
        figures.append(replace(replaced, jump=_jump(old, value)))
        seen.append((figure, old, value))
    cooperative = report.cooperative
    last_rat = None
    if report.meeting_date and rat_is_later(
        rat_date=report.meeting_date,
        tahun_buku=report.tahun_buku,
        known_date=cooperative.last_rat_date,
        known_year=cooperative.last_rat_year,
    ):
        last_rat = _replaced(
            Cooperative, "last_rat_date", cooperative.last_rat_date, report.meeting_date
        )
        seen.append((cooperative.last_rat_date, report.meeting_date))
    return AcceptanceEffect(
        source=known.get_source_display() if known is not None else None,
        figures=figures,
        last_rat=last_rat,
        # Which submission was on the page, then what it replaces: a report
        # resubmitted since is not accepted unseen.
        digest=f"{report.submission_count}-"
        + hashlib.sha256(repr(seen).encode()).hexdigest()[:16],
    )


def rat_reports_for_user(user: User) -> QuerySet[RatReport]:
    """Reports this user may open: all for Dinas, their cooperatives' for officers."""
    visible = Cooperative.objects.visible_to(user)
    return RatReport.objects.filter(cooperative__in=visible)


def rat_review_queue(user: User) -> QuerySet[RatReport]:
    """Reports that reached the Dinas, oldest submission first."""
    return (
        rat_reports_for_user(user)
        .exclude(status=RatStatus.DRAFT)
        .select_related("cooperative__kelurahan__kecamatan")
        .order_by(
            # Waiting reports first, then the others by their last submission.
            Case(When(status=RatStatus.DIAJUKAN, then=0), default=1),
            "submitted_at",
        )
    )


@dataclass(frozen=True)
class PortalEntry:
    cooperative: Cooperative
    schedule: Schedule
    current: RatReport | None
    past: list[RatReport]
    today: datetime.date

    @property
    def meeting_date(self) -> datetime.date | None:
        return self.schedule.meeting_known(self.cooperative, self.current)

    @property
    def due_date(self) -> datetime.date:
        return self.schedule.report_due(self.meeting_date)

    @property
    def days_left(self) -> int:
        return (self.due_date - self.today).days

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)


def officer_portal(user: User, today: datetime.date) -> list[PortalEntry]:
    """Per cooperative of this officer: the report due for the year that last ended
    and the earlier ones. Three queries (cooperatives, their reports, the
    schedule), however many cooperatives."""
    year = reporting_year(today)
    reports = RatReport.objects.order_by("-tahun_buku")
    cooperatives = (
        Cooperative.objects.visible_to(user)
        .with_region()
        .prefetch_related(Prefetch("rat_reports", queryset=reports))
        .order_by("name")
    )
    schedule = rat_schedule(year)
    entries = []
    for cooperative in cooperatives:
        all_reports = list(cooperative.rat_reports.all())
        current = next((r for r in all_reports if r.tahun_buku == year), None)
        past = [r for r in all_reports if r.tahun_buku != year]
        entries.append(PortalEntry(cooperative, schedule, current, past, today))
    return entries


@dataclass(frozen=True)
class CompletenessRow:
    label: str
    expected: int
    submitted: int
    accepted: int
    on_time: int


def rat_completeness(tahun_buku: int) -> dict[str, Any]:
    """Expected reports (aktif cooperatives) and, of those, submitted, accepted and
    on time, in total, by kecamatan and by jenis. Three queries (schedule, two
    groupings).

    A report counts as submitted once it first reached the Dinas (returned ones
    included), and as on time when that first submission came by its deadline.
    Counts are distinct per cooperative: the join brings in every year's reports.
    """
    # Among the expected only: a report of a cooperative no longer aktif counted
    # as submitted, and "belum melapor" (expected - submitted) came out one short.
    expected = Q(status=CooperativeStatus.AKTIF)
    report = expected & Q(rat_reports__tahun_buku=tahun_buku)
    submitted = report & Q(rat_reports__status__in=SUBMITTED)
    measures = {
        "expected": expected,
        "submitted": submitted,
        "accepted": report & Q(rat_reports__status=RatStatus.DITERIMA),
        "on_time": submitted & Q(rat_reports__submitted_on_time=True),
    }
    aggregates = {
        name: Count("id", filter=condition, distinct=True)
        for name, condition in measures.items()
    }
    result: dict[str, Any] = {"schedule": rat_schedule(tahun_buku)}
    path = "kelurahan__kecamatan__name"
    counts: Any = Cooperative.objects.values(path).annotate(**aggregates)
    result["by_kecamatan"] = [
        CompletenessRow(row[path], *(row[name] for name in measures))
        for row in counts.order_by(path)
        if row["expected"]
    ]
    # By the Dinas's rows: simpan pinjam konvensional and syariah apart.
    grouped: Any = Cooperative.objects.values("jenis", "pola").annotate(**aggregates)
    per_row = summed_by_statistics_row(
        grouped, lambda row: {name: row[name] for name in measures}
    )
    result["by_jenis"] = [
        CompletenessRow(str(label), *(per_row[key][name] for name in measures))
        for key, label in statistics_rows()
        if key in per_row and per_row[key]["expected"]
    ]
    result["total"] = CompletenessRow(
        "",
        *(sum(getattr(row, name) for row in result["by_jenis"]) for name in measures),
    )
    return result


def rat_missing(tahun_buku: int) -> QuerySet[Cooperative]:
    """Aktif cooperatives that have not submitted their report for ``tahun_buku``,
    with their active officers for the contact columns."""
    submitted = RatReport.objects.filter(tahun_buku=tahun_buku, status__in=SUBMITTED)
    active_officers = (
        Officer.objects.filter(is_active=True)
        .select_related("user")
        .order_by("position")
    )
    return (
        Cooperative.objects.filter(status=CooperativeStatus.AKTIF)
        .exclude(pk__in=submitted.values("cooperative_id"))
        .with_region()
        .prefetch_related(Prefetch("officers", queryset=active_officers))
        .order_by("kelurahan__kecamatan__name", "name")
    )


def _shown(name: str, value: Any) -> str:
    """A report field as a person reads it (``lib.display``). ``value`` may be the
    model's or a submission copy's (JSON: text for amounts and dates)."""
    return field_shown(cast("Field[Any, Any]", RatReport._meta.get_field(name)), value)


@dataclass(frozen=True)
class ReportRow:
    name: str
    label: str
    value: str
    last_year: str
    comment: str


def confirmed_checks(report: RatReport) -> list[str]:
    """What the officer confirmed when a check asked, for the staff who review
    the report: a member count more than half off last year's (with both
    counts, as ``report_check`` reads them), a RAT held after the deadline. One
    or two queries when the member count was confirmed, none otherwise."""
    confirmed = []
    if report.confirm_member_jump:
        # Last year's count as the check that asked for the confirmation read it.
        before = last_year_members(report.cooperative, report.tahun_buku)
        after = report.members_total
        if members_jumped(after, before):
            confirmed.append(
                _(
                    "Jumlah anggota berubah lebih dari 50%% dibanding tahun lalu "
                    "(%(before)s menjadi %(after)s); pengurus menyatakan itu benar."
                )
                % {"before": before, "after": after}
            )
    if report.confirm_late_meeting:
        confirmed.append(
            _("RAT diadakan setelah batas waktu; pengurus menyatakan itu benar.")
        )
    if report.confirm_same_figures and same_as_last_year(
        report_values(report), last_year_values(report)
    ):
        # Only while they still are: figures changed after the confirmation
        # are this year's, whatever was ticked before.
        confirmed.append(
            _(
                "Angka keuangan sama persis dengan tahun lalu; pengurus menyatakan "
                "itu benar."
            )
        )
    return confirmed


def report_rows(
    report: RatReport, fields: Iterable[str], comments: dict[str, str]
) -> list[ReportRow]:
    """The report's fields beside last year's, as the form shows them
    (``last_year``): last year's accepted report where there is one, else the
    yearly figures (kewajiban as aset - ekuitas). Three queries at most."""
    previous, known = last_year(report)
    rows = []
    for name in fields:
        if name in known:
            before = _shown(name, known[name])
        elif previous is not None:
            before = _shown(name, getattr(previous, name))
        else:
            before = ""
        label = str(RatReport._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        rows.append(
            ReportRow(
                name,
                label[:1].upper() + label[1:],
                _shown(name, getattr(report, name)),
                before,
                comments.get(name, ""),
            )
        )
    return rows


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def changes_since_last_submission(report: RatReport) -> list[Change]:
    """What differs between the last two submissions (fields and documents); empty
    for a first submission. One query."""
    last_two = list(report.submissions.order_by("-number")[:2])
    if len(last_two) < 2:
        return []
    new, old = last_two
    changes = []
    for name, value in new.data.items():
        if old.data.get(name) != value:
            field = RatReport._meta.get_field(name)
            changes.append(
                Change(
                    str(field.verbose_name),  # type: ignore[union-attr]
                    _shown(name, old.data.get(name)),
                    _shown(name, value),
                )
            )
    for kind in sorted(set(new.attachments) | set(old.attachments)):
        before, after = old.attachments.get(kind) or {}, new.attachments.get(kind) or {}
        if before.get("sha256") == after.get("sha256"):
            if before.get("name") == after.get("name"):
                continue
            # Uploaded again, the same bytes under another name: staff who asked
            # for a new document see that it came, and that it is the old one.
            after = {**after, "name": _("%(name)s (isi berkas sama)") % after}
        changes.append(
            Change(
                str(AttachmentKind(kind).label),
                before.get("name", ""),
                after.get("name", ""),
            )
        )
    return changes


def latest_return_comments(report: RatReport) -> tuple[str, dict[str, str]]:
    """The note and per-field comments of the last "perlu perbaikan", while the
    report is being fixed; nothing otherwise."""
    if not report.needs_fixing:
        return "", {}
    review = report.reviews.filter(decision=ReviewDecision.RETURNED).first()
    if review is None:
        return "", {}
    return review.note, dict(review.field_comments)


def reminder_context(
    cooperative: Cooperative,
    report: RatReport | None,
    year: int,
    due: datetime.date,
    offset: int,
) -> dict[str, Any]:
    """What a RAT reminder says, for the reminder task and for the link staff
    send by hand from the completeness page."""
    return {
        "cooperative": cooperative,
        "tahun_buku": year,
        "due": due,
        "offset": offset,
        "days_late": -offset,
        "report": report,
        "url": settings.SITE_URL + reverse("home"),
        "office": settings.OFFICE_NAME,
    }


@dataclass
class WaitingReminder:
    """On the completeness page: a missing cooperative's WhatsApp reminders that
    staff send by hand, stored ones first, else one link per officer number."""

    messages: list[Notification]
    links: list[tuple[str, str]]  # (officer, wa.me link)


def completeness_whatsapp(
    missing: list[Cooperative], year: int
) -> dict[int, WaitingReminder]:
    """For each cooperative of ``missing`` (with its active officers prefetched):
    the WhatsApp reminders already stored (sent, or waiting for staff), or, where
    none were and the WhatsApp API is not configured, a link per officer reached
    by WhatsApp (as ``officer_contacts`` decides) that opens WhatsApp with today's
    reminder filled in. Two queries."""
    topics = {reminder_topic(c, year): c.pk for c in missing}
    stored: dict[int, list[Notification]] = {}
    for message in notifications_about(topics).filter(channel=Channel.WHATSAPP):
        stored.setdefault(topics[message.topic], []).append(message)
    schedule = rat_schedule(year)
    reports = {
        r.cooperative_id: r
        for r in RatReport.objects.filter(
            tahun_buku=year, cooperative__in=[c.pk for c in missing]
        )
    }
    today = timezone.localdate()
    result = {}
    for cooperative in missing:
        links: list[tuple[str, str]] = []
        if cooperative.pk not in stored and not whatsapp_configured():
            report = reports.get(cooperative.pk)
            due = schedule.due_for(cooperative, report)
            context = reminder_context(
                cooperative, report, year, due, (due - today).days
            )
            body = notification_text("reports/email/rat_reminder", context)
            for officer in cooperative.officers.all():
                contact = officer_contact(officer)
                if contact and contact.channel == Channel.WHATSAPP:
                    link = whatsapp_link(contact.address, body)
                    links.append((officer.name, link or ""))
        result[cooperative.pk] = WaitingReminder(stored.get(cooperative.pk, []), links)
    return result


def attachment_twin(attachment: RatAttachment) -> RatAttachment | None:
    """Another document of the same report with the very same file (by its
    SHA-256): one scan uploaded as both Neraca and Laporan hasil usaha, most
    likely a mix-up. One query."""
    return (
        attachment.report.attachments.exclude(pk=attachment.pk)
        .filter(sha256=attachment.sha256)
        .first()
    )


def latest_reply(report: RatReport) -> RatSubmission | None:
    """The last submission when it carried the officers' answer to the Dinas's
    notes and waits for review (once returned again, the answer belonged to the
    earlier note), else None. One query, none for a report not waiting."""
    if not report.is_awaiting_review:
        return None
    last = report.submissions.order_by("-number").first()
    return last if last is not None and last.reply else None
