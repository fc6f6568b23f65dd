"""RAT reports: every change of a report, each atomic and audited in the same
transaction. The workflow is Draft -> Diajukan -> (Perlu Perbaikan -> Diajukan)* ->
Diterima; a transition from any other state is refused with a message."""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record, diff, display_value, snapshot
from cooperatives.models import (
    Cooperative,
    CooperativeFigures,
    CooperativeStatus,
    RecordSource,
)
from cooperatives.selectors import officer_contacts
from cooperatives.services import cooperative_last_rat_record, figures_record
from lib.office_text import in_office_language, lazy_text
from lib.text import shows_something, storable, visible_line, without_invisible
from notifications.contacts import contact_for
from notifications.services import notification_queue

from ..attachments import AttachmentRejected, refusal, sniff
from ..last_year import last_year
from ..models import (
    AttachmentKind,
    RatAttachment,
    RatReminder,
    RatReport,
    RatReview,
    RatStatus,
    RatSubmission,
    ReviewDecision,
    comment_label,
)
from ..rat import (
    FIGURES_OF_REPORT,
    REPORT_FIELDS,
    Problem,
    reminder_topic,
    report_topic,
)
from ..selectors import (
    SUBMITTED,
    acceptance_effect,
    rat_schedule,
    reminder_context,
    report_check,
    report_values,
    reporting_year,
)

# The officers' answer to the Dinas's notes, at most this long.
REPLY_MAX = 2000


class RatRefused(Exception):
    """A step that cannot be taken; ``problems`` say why, per field where they can."""

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def _locked(report: RatReport) -> RatReport:
    return (
        RatReport.objects.select_for_update()
        .select_related("cooperative")
        .get(pk=report.pk)
    )


def _require_editable(report: RatReport) -> None:
    if not report.is_editable:
        raise RatRefused(
            _("Laporan berstatus %(status)s tidak bisa diubah.")
            % {"status": report.get_status_display()}
        )


@transaction.atomic
def rat_report_start(
    *, acting_user: User, cooperative: Cooperative, tahun_buku: int
) -> RatReport:
    """The report of ``tahun_buku``, created as a draft when there is none yet (a
    second start returns the same report). One started by Dinas staff is marked as
    entered by staff: the paper report they are typing in."""
    if tahun_buku > reporting_year():
        raise RatRefused(
            _(
                "Laporan RAT tahun buku %(year)s baru bisa dibuat setelah tahun itu "
                "berakhir."
            )
            % {"year": tahun_buku}
        )
    report, created = RatReport.objects.get_or_create(
        cooperative=cooperative,
        tahun_buku=tahun_buku,
        defaults={"created_by": acting_user, "entered_by_staff": acting_user.is_dinas},
    )
    if created:
        audit_record(
            actor=acting_user,
            action=AuditAction.CREATE,
            obj=report,
            cooperative=cooperative,
            message=gettext_lazy("Laporan RAT dimulai (draf)."),
        )
    return report


@transaction.atomic
def rat_report_save(
    *,
    acting_user: User,
    report: RatReport,
    values: Mapping[str, Any],
    reply: str | None = None,
) -> RatReport:
    """Store the officer's fields (a draft, or a report sent back for fixing),
    and their answer to the Dinas's notes (``reply``, REPLY_MAX characters; kept
    only on a report sent back, and only from its officers)."""
    unknown = set(values) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    locked = _locked(report)
    _require_editable(locked)
    # The officers' own words: staff fixing a report for them do not write them.
    if reply is not None and locked.needs_fixing and not acting_user.is_dinas:
        text = without_invisible(storable(reply)).strip()[:REPLY_MAX]
        if not shows_something(visible_line(text)):
            text = ""  # only blank-looking characters: no answer
        if text != locked.reply:
            locked.reply = text
            locked.save(update_fields=["reply", "updated_at"])
    before = snapshot(locked, REPORT_FIELDS)
    for name, value in values.items():
        setattr(locked, name, value)
    changes = diff(locked, before, REPORT_FIELDS)
    if changes:
        try:
            locked.full_clean()
        except ValidationError as exc:
            raise RatRefused(
                Problem(field, message)
                for field, messages in exc.message_dict.items()
                for message in messages
            ) from exc
        locked.save()
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=locked,
            cooperative=locked.cooperative,
            changes=changes,
        )
    return locked


def _max_attachment_bytes() -> int:
    return int(settings.RAT_ATTACHMENT_MAX_MB) * 1024 * 1024


def rat_attachment_refusal(upload: UploadedFile) -> str | None:
    """Why ``upload`` could be stored as no document at all (its type, its size,
    a damaged file), or None: said before anything else about the file."""
    return refusal(upload, max_bytes=_max_attachment_bytes())


@transaction.atomic
def rat_attachment_add(
    *, acting_user: User, report: RatReport, kind: str, upload: UploadedFile
) -> RatAttachment:
    """Store one document, replacing an earlier one of the same kind. The type is
    judged from the content; the old file is deleted once the change is committed."""
    locked = _locked(report)
    _require_editable(locked)
    if kind not in AttachmentKind.values:
        raise RatRefused(_("Jenis dokumen tidak dikenal."))
    try:
        sniffed = sniff(upload, max_bytes=_max_attachment_bytes())
    except AttachmentRejected as exc:
        raise RatRefused([Problem("file", str(exc))]) from exc
    previous = RatAttachment.objects.filter(report=locked, kind=kind).first()
    if previous is not None:
        old_file = previous.file
        previous.delete()
        transaction.on_commit(lambda: old_file.delete(save=False))
    attachment = RatAttachment(
        report=locked,
        kind=kind,
        original_name=(visible_line(upload.name or "") or "berkas")[-255:],
        content_type=sniffed.content_type,
        size=sniffed.size,
        sha256=sniffed.sha256,
        uploaded_by=acting_user,
    )
    attachment.file.save(upload.name or "berkas", upload, save=False)
    try:
        attachment.save()
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE if previous else AuditAction.CREATE,
            obj=attachment,
            cooperative=locked.cooperative,
            message=lazy_text(
                gettext_lazy("Lampiran %(kind)s diunggah: %(name)s"),
                kind=display_value(attachment, "kind"),
                name=attachment.original_name,
            ),
        )
    except Exception:
        # The row is not stored, so the file must not stay behind either.
        attachment.file.storage.delete(str(attachment.file.name))
        raise
    return attachment


@transaction.atomic
def rat_attachment_remove(*, acting_user: User, attachment: RatAttachment) -> None:
    locked = _locked(attachment.report)
    _require_editable(locked)
    stored = attachment.file
    label = display_value(attachment, "kind")
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
    audit_record(
        actor=acting_user,
        action=AuditAction.DELETE,
        obj=locked,
        cooperative=locked.cooperative,
        message=lazy_text(gettext_lazy("Lampiran %(kind)s dihapus."), kind=label),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


@transaction.atomic
def rat_report_submit(
    *, acting_user: User, report: RatReport
) -> tuple[RatReport, bool]:
    """Submit a draft or a fixed report. Returns ``(report, submitted)``:
    ``submitted`` is False when it had already been submitted (a double click, a
    second tab), in which case nothing happens. Refused with every problem listed
    while the report is incomplete or inconsistent."""
    locked = _locked(report)
    if locked.status in (RatStatus.DIAJUKAN, RatStatus.DITERIMA):
        return locked, False
    problems = report_check(locked, complete=True)
    if problems:
        raise RatRefused(problems)
    now = timezone.now()
    number = locked.submission_count + 1
    if locked.first_submitted_at is None:
        schedule = rat_schedule(locked.tahun_buku)
        due = schedule.report_due(locked.meeting_date)
        locked.first_submitted_at = now
        locked.submitted_on_time = timezone.localdate(now) <= due
        locked.receipt_number = f"RAT/{locked.tahun_buku}/{locked.pk:06d}"
    locked.status = RatStatus.DIAJUKAN
    locked.submitted_at, locked.submitted_by = now, acting_user
    locked.submission_count = number
    reply, locked.reply = locked.reply, ""
    locked.save()
    RatSubmission.objects.create(
        report=locked,
        number=number,
        reply=reply,
        data={k: _jsonable(v) for k, v in report_values(locked).items()},
        attachments={
            a.kind: {"name": a.original_name, "sha256": a.sha256}
            for a in locked.attachments.all()
        },
        submitted_by=acting_user,
        submitted_at=now,
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.SUBMIT,
        obj=locked,
        cooperative=locked.cooperative,
        message=lazy_text(
            gettext_lazy("Pengajuan ke-%(n)s, tanda terima %(receipt)s."),
            n=number,
            receipt=locked.receipt_number,
        ),
    )
    _notify(locked, "rat_receipt")
    return locked, True


def _require_awaiting_review(report: RatReport) -> None:
    if not report.is_awaiting_review:
        raise RatRefused(
            _(
                "Hanya laporan berstatus Diajukan yang bisa diperiksa; laporan ini "
                "berstatus %(status)s."
            )
            % {"status": report.get_status_display()}
        )


def _review(
    report: RatReport,
    *,
    acting_user: User,
    decision: str,
    note: str,
    comments: Mapping[str, str],
) -> RatReview:
    now = timezone.now()
    report.reviewed_at, report.reviewed_by = now, acting_user
    return RatReview.objects.create(
        report=report,
        submission=report.submissions.order_by("-number")[0],
        decision=decision,
        note=note,
        field_comments=dict(comments),
        reviewed_by=acting_user,
        reviewed_at=now,
    )


def _resubmitted(report: RatReport) -> str:
    return _(
        "Laporan ini diajukan kembali sejak halaman dibuka (pengajuan ke-%(n)s); "
        "tidak ada yang dicatat. Periksa pengajuan terbaru, lalu putuskan lagi."
    ) % {"n": report.submission_count}


@transaction.atomic
def rat_report_return(
    *,
    acting_user: User,
    report: RatReport,
    note: str,
    field_comments: Mapping[str, str],
    submission: int | None = None,
) -> RatReport:
    """Send a submitted report back with the reasons, per field where given.
    ``submission``: the submission the page showed, when it says; a report
    resubmitted since is not sent back with notes written about the one before."""
    locked = _locked(report)
    _require_awaiting_review(locked)
    if submission is not None and submission != locked.submission_count:
        raise RatRefused(_resubmitted(locked))
    comments = {k: v.strip() for k, v in field_comments.items() if v.strip()}
    if not note.strip() and not comments:
        raise RatRefused(
            _("Tuliskan apa yang perlu diperbaiki (catatan umum atau per isian).")
        )
    review = _review(
        locked,
        acting_user=acting_user,
        decision=ReviewDecision.RETURNED,
        note=note.strip(),
        comments=comments,
    )
    locked.status = RatStatus.PERLU_PERBAIKAN
    locked.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.RETURN,
        obj=locked,
        cooperative=locked.cooperative,
        changes={
            k: {"label": comment_label(k), "old": "", "new": v}
            for k, v in comments.items()
        },
        message=note.strip(),
    )
    _notify(locked, "rat_returned", review)
    return locked


@transaction.atomic
def rat_report_accept(
    *, acting_user: User, report: RatReport, note: str = "", seen: str | None = None
) -> RatReport:
    """Accept a submitted report: its figures become the cooperative's figures for
    the year (source RAT) and its meeting the last RAT, unless a later one is known.
    ``seen``: the ``AcceptanceEffect.digest`` the person accepting was shown; a
    change to those figures or that RAT since (by someone else, in another tab)
    refuses the acceptance, so nobody's correction is replaced unseen."""
    locked = _locked(report)
    _require_awaiting_review(locked)
    if seen is not None:
        # Locked until the acceptance commits: what is compared is what is replaced.
        locked.cooperative = Cooperative.objects.select_for_update().get(
            pk=locked.cooperative_id
        )
        list(
            CooperativeFigures.objects.select_for_update().filter(
                cooperative_id=locked.cooperative_id, tahun_buku=locked.tahun_buku
            )
        )
        if acceptance_effect(locked).digest != seen:
            shown_submission, _sep, _rest = seen.partition("-")
            if _rest and shown_submission != str(locked.submission_count):
                raise RatRefused(_resubmitted(locked))
            raise RatRefused(
                _(
                    "Data keragaan atau RAT terakhir koperasi ini berubah sejak "
                    "halaman dibuka (oleh orang lain atau di tab lain); laporan "
                    "belum diterima. Periksa lagi yang akan diganti, lalu terima."
                )
            )
    review = _review(
        locked,
        acting_user=acting_user,
        decision=ReviewDecision.ACCEPTED,
        note=note.strip(),
        comments={},
    )
    # Kept: accepting makes this report's meeting the last RAT (below).
    locked.last_year_meeting_date = last_year(locked)[1].get("meeting_date")
    locked.status = RatStatus.DITERIMA
    locked.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.ACCEPT,
        obj=locked,
        cooperative=locked.cooperative,
        message=note.strip(),
    )
    _figures_from(locked, acting_user)
    if locked.meeting_date:
        cooperative_last_rat_record(
            acting_user=acting_user,
            cooperative=locked.cooperative,
            rat_date=locked.meeting_date,
            tahun_buku=locked.tahun_buku,
        )
    _notify(locked, "rat_accepted", review)
    return locked


def _figures_from(report: RatReport, acting_user: User) -> None:
    """The report's figures become the cooperative's for its year. A value the
    figures table refuses (a negative aset typed before that was checked) refuses
    the acceptance instead of failing half-way."""
    try:
        figures_record(
            acting_user=acting_user,
            cooperative=report.cooperative,
            tahun_buku=report.tahun_buku,
            # A blank field of the report leaves the figure already known in place.
            values={
                figure: getattr(report, field)
                for field, figure in FIGURES_OF_REPORT.items()
                if getattr(report, field) is not None
            },
            source=RecordSource.RAT_REPORT,
        )
    except ValidationError as exc:
        raise RatRefused(
            _("Data keuangan laporan tidak dapat dicatat: %(reason)s")
            % {"reason": " ".join(exc.messages)}
        ) from exc


def _notify(report: RatReport, template: str, review: RatReview | None = None) -> None:
    """Queue one of a report's messages (``rat_receipt``, ``rat_returned``,
    ``rat_accepted``), rendered now from the event (this submission, this review),
    to the cooperative's officers, each by e-mail or WhatsApp as they prefer, and to
    the officer who submitted if they are not among them (staff typing in a paper
    report get no copy). Sent after commit by the notification task, which retries
    a mail server or WhatsApp that is down."""
    recipients = officer_contacts(report.cooperative)
    person = report.submitted_by
    # Staff typing in a paper report get no copy; an officer of this cooperative
    # is reached above, on the channel they chose (asked only of anyone else).
    if (
        person is not None
        and not person.is_dinas
        and not person.officer_positions.filter(
            cooperative=report.cooperative, is_active=True
        ).exists()
    ):
        mine = contact_for(email=person.email, phone=person.phone, name=str(person))
        if mine and mine.address.lower() not in {c.address.lower() for c in recipients}:
            recipients.insert(0, mine)
    url = settings.SITE_URL + report.get_absolute_url()
    # Messages are in the office's language, whoever caused them.
    comments = in_office_language(review.labelled_comments) if review else []
    context = {
        "report": report,
        "review": review,
        "comments": comments,
        "url": url,
        "office": settings.OFFICE_NAME,
    }
    params: list[Any] = [report.cooperative.name, report.tahun_buku]
    if template == "rat_receipt":
        params.append(report.receipt_number)
    elif template == "rat_returned":
        parts = [review.note] if review and review.note else []
        parts += [f"{label}: {text}" for label, text in comments]
        # The approved text puts a full stop after the notes: none of their own
        # at the end of each ("Terima kasih.; Aset: …." read badly).
        params.append("; ".join(p.strip().rstrip(".;, ") for p in parts))
    notification_queue(
        template=f"reports/email/{template}",
        context=context,
        recipients=recipients,
        topic=report_topic(report),
        whatsapp_params=[*params, url],
    )


def rat_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the officers of aktif cooperatives whose report for the year that
    last ended has not been submitted, on the days RAT_REMINDER_OFFSETS before
    their deadline, each by e-mail or WhatsApp as they prefer. Returns the number
    of cooperatives reminded.

    Each reminder is recorded (cooperative, year, offset) in the same transaction
    as its messages are queued: a second run on the same day, or a retried task,
    reminds nobody twice; a mail server or WhatsApp that is down is retried by the
    notification task, message by message, and recorded on each.
    """
    today = today or timezone.localdate()
    year = reporting_year(today)
    schedule = rat_schedule(year)
    offsets = set(settings.RAT_REMINDER_OFFSETS)
    reports = {r.cooperative_id: r for r in RatReport.objects.filter(tahun_buku=year)}
    already = set(
        RatReminder.objects.filter(tahun_buku=year).values_list(
            "cooperative_id", "offset_days"
        )
    )
    sent = 0
    cooperatives = Cooperative.objects.filter(status=CooperativeStatus.AKTIF)
    for cooperative in cooperatives.order_by("pk").iterator(chunk_size=500):
        report = reports.get(cooperative.pk)
        if report is not None and report.status in SUBMITTED:
            continue
        due = schedule.due_for(cooperative, report)
        offset = (due - today).days
        if offset not in offsets or (cooperative.pk, offset) in already:
            continue
        sent += _remind(cooperative, report, year, offset, due)
    return sent


def _remind(
    cooperative: Cooperative,
    report: RatReport | None,
    year: int,
    offset: int,
    due: datetime.date,
) -> int:
    """Record one reminder and queue its messages in one transaction: the record
    stops a second run from reminding twice, and the notification task sends (and
    retries) each message."""
    recipients = officer_contacts(cooperative)
    if not recipients:
        return 0
    context = reminder_context(cooperative, report, year, due, offset)
    url = context["url"]
    with transaction.atomic():
        RatReminder.objects.create(
            cooperative=cooperative,
            tahun_buku=year,
            offset_days=offset,
            due_date=due,
            recipients=[c.address for c in recipients],
        )
        notification_queue(
            template="reports/email/rat_reminder",
            context=context,
            recipients=recipients,
            topic=reminder_topic(cooperative, year),
            whatsapp_params=[cooperative.name, year, due, url],
        )
    return 1
