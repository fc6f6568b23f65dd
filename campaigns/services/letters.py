"""The letter ladder: requesting a batch (web or command) and producing it (Celery
task). Each letter gets its number, one PDF on the office's letterhead with a QR
code to its public verification page, and goes by e-mail where an officer has an
address; the batch also yields one combined PDF to print."""

import datetime
import logging
import time
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record, display_value
from cooperatives.models import Cooperative
from lib.display import shown
from lib.office_text import lazy_text

from ..models import (
    Campaign,
    CampaignItem,
    CampaignJob,
    CampaignLetter,
    CampaignStatus,
    JobKind,
    JobStatus,
    LetterChoice,
)
from ..rules import (
    LADDER,
    LetterKind,
)
from ..selectors import unknown_filters
from .confirmations import confirmation_link_create, new_link_token
from .letter_ladder import (
    ASKS_TO_CONFIRM,
    letter_respond_by,
    letter_soonest,
    letters_eligible,
)
from .letter_notices import (
    letter_notices_queue,
    letters_cancel,
    notice_time,
    peringatan_withdrawn,
)
from .letter_numbers import letter_number, number_pattern_check

logger = logging.getLogger(__name__)


# How far ahead a letter may be dated (prepared for a later day): a year.
LETTER_DAYS_AHEAD = 366


def _check_letter_date(
    campaign: Campaign, issued_on: datetime.date, *, history: bool = False
) -> None:
    """A letter's date from CAMPAIGN_LETTER_DAYS_BACK days before today (for a
    ``history``, from the start of the campaign's tahun buku) to a year from
    today. A batch dated 9999-12-31 numbered a letter and then made the
    campaign's page fail for everyone (the reply date overflowed)."""
    today = timezone.localdate()
    latest = today + datetime.timedelta(days=LETTER_DAYS_AHEAD)
    if issued_on > latest:
        raise ValidationError(
            _("Tanggal surat paling jauh setahun dari hari ini (%(date)s).")
            % {"date": shown(latest)}
        )
    if issued_on < datetime.date(campaign.year, 1, 1):
        raise ValidationError(
            _("Tanggal surat tidak boleh sebelum tahun %(year)s.")
            % {"year": campaign.year}
        )
    earliest = today - datetime.timedelta(days=settings.CAMPAIGN_LETTER_DAYS_BACK)
    if not history and issued_on < earliest:
        raise ValidationError(
            _(
                "Tanggal surat paling awal %(date)s (%(days)s hari sebelum hari "
                "ini): surat bertanggal mundur melewati jarak antarsurat dan "
                "memberi batas jawaban yang sudah lewat."
            )
            % {"date": shown(earliest), "days": settings.CAMPAIGN_LETTER_DAYS_BACK}
        )


class LettersAlreadyRequested(Exception):
    """Every letter asked for is in a batch still being made (``job``)."""

    def __init__(self, job: CampaignJob) -> None:
        super().__init__(job)
        self.job = job


@transaction.atomic
def letter_job_request(
    *,
    acting_user: User,
    campaign: Campaign,
    kind: str,
    issued_on: datetime.date,
    filters: Mapping[str, str],
    item_ids: list[int] | None = None,
    history: bool = False,
) -> CampaignJob:
    """A batch of ``kind`` letters dated ``issued_on`` for the items the filters
    (and ``item_ids``, when given) select, those for which it is the next letter.
    Refused when none is due. ``history``: letters of the past being loaded (the
    demo), dated as far back as the campaign's tahun buku; staff pages never
    ask for it."""
    from ..selectors import campaign_items

    if campaign.status != CampaignStatus.BERJALAN:
        raise ValidationError(_("Pemutakhiran ini tidak sedang berjalan."))
    if kind not in LetterChoice.values:
        raise ValidationError(_("Jenis surat tidak dikenal."))
    _check_letter_date(campaign, issued_on, history=history)
    unknown = unknown_filters(dict(filters))
    if unknown:
        # Left out, the batch would cover more than the form said (the city).
        raise ValidationError(
            _(
                "Saringan tidak dikenali (%(names)s); tidak ada surat yang diminta. "
                "Pilih saringan lagi lalu ulangi."
            )
            % {"names": ", ".join(unknown)}
        )
    items = campaign_items(campaign=campaign, params=dict(filters))
    if item_ids is not None:
        items = items.filter(pk__in=item_ids)
    # One request at a time per campaign: the same form sent twice made a second
    # job for the same letters, which then made none ("Selesai: 0 koperasi",
    # an empty PDF) and left staff on it.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    due = letters_eligible(campaign, kind, issued_on, items)
    pending = list(
        CampaignJob.objects.filter(
            campaign=campaign,
            kind=JobKind.LETTERS,
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
            params__letter=kind,
        ).order_by("-pk")
    )
    waiting = {pk: job for job in pending for pk in job.params.get("items", [])}
    if due and all(item.pk in waiting for item in due):
        raise LettersAlreadyRequested(waiting[due[0].pk])
    due = [item for item in due if item.pk not in waiting]
    if not due:
        none_due = _(
            "Tidak ada koperasi yang menunggu surat ini pada tanggal tersebut "
            "(jarak antarsurat belum terpenuhi, batas jawaban yang tertulis "
            "di surat sebelumnya belum lewat, surat sebelumnya bertanggal "
            "sesudah hari ini, atau sudah dikirim)."
        )
        soonest = letter_soonest(campaign, kind, items)
        if soonest is not None and soonest.asked_from is not None:
            # Its date may be right, but the letter before it has not gone out.
            none_due += " " + _(
                "Surat ini paling cepat dapat bertanggal %(date)s, untuk "
                "%(n)s koperasi, dan baru dapat diminta mulai %(asked)s, "
                "tanggal surat sebelumnya."
            ) % {
                "date": shown(soonest.dated),
                "n": soonest.count,
                "asked": shown(soonest.asked_from),
            }
        elif soonest is not None and soonest.dated > issued_on:
            none_due += " " + _(
                "Surat ini paling cepat dapat bertanggal %(date)s, untuk "
                "%(n)s koperasi."
            ) % {"date": shown(soonest.dated), "n": soonest.count}
        raise ValidationError(none_due)
    job = CampaignJob.objects.create(
        campaign=campaign,
        kind=JobKind.LETTERS,
        created_by=acting_user,
        total=len(due),
        params={
            "letter": kind,
            "issued_on": issued_on.isoformat(),
            "items": [item.pk for item in due],
            "parts": max(1, min(settings.CAMPAIGN_LETTER_PARTS, len(due))),
        },
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.SUBMIT,
        obj=campaign,
        message=lazy_text(
            gettext_lazy("%(n)s surat %(kind)s diminta."),
            n=len(due),
            kind=LetterChoice(kind).label,
        ),
    )
    return job


def letter_previous(letter: CampaignLetter) -> CampaignLetter | None:
    """The ladder's letter before ``letter`` to the same cooperative, which a
    teguran or the peringatan refers to ("Menunjuk surat kami nomor …")."""
    step = LADDER.index(LetterKind(letter.kind))
    if step == 0:
        return None
    return (
        CampaignLetter.objects.filter(
            item_id=letter.item_id, kind=LADDER[step - 1], cancelled_at__isnull=True
        )
        .order_by("-issued_on", "-pk")
        .first()
    )


def _issue(
    item: CampaignItem, kind: str, issued_on: datetime.date, job: CampaignJob
) -> CampaignLetter:
    """Create the letter row, numbered next in the office's register."""
    campaign = Campaign.objects.select_for_update().get(pk=item.campaign_id)
    # One register of letters for the office, whichever campaign writes them: a
    # campaign for 2024 opened after 2025's closed numbered its letters from 1
    # again, the same numbers as 2025's, and every batch failed. (One campaign
    # runs at a time, so the campaign's row is the register's lock.)
    numbered = CampaignLetter.objects.all()
    if "{year" in campaign.number_pattern:
        # The number carries the letter's year: its sequence starts again with
        # each year, as the office's register of letters does.
        numbered = numbered.filter(issued_on__year=issued_on.year)
    last = numbered.aggregate(n=Max("sequence"))["n"]
    sequence = (last or 0) + 1
    number = letter_number(campaign, kind, sequence, issued_on)
    while CampaignLetter.objects.filter(number=number).exists():
        # A pattern changed since (another code, no year): never a number twice.
        sequence += 1
        number = letter_number(campaign, kind, sequence, issued_on)
    letter = CampaignLetter(
        item=item,
        kind=kind,
        sequence=sequence,
        number=number,
        issued_on=issued_on,
        verification_token=uuid.uuid4(),
        job=job,
    )
    letter.respond_by = letter_respond_by(letter, campaign)
    letter.save()
    if kind == LetterKind.PERINGATAN:
        item.peringatan_on = issued_on
        item.save(update_fields=["peringatan_on"])
    audit_record(
        actor=job.created_by,
        action=AuditAction.ISSUE,
        obj=letter,
        cooperative=item.cooperative,
        message=lazy_text(
            gettext_lazy("%(kind)s %(number)s."),
            kind=display_value(letter, "kind"),
            number=letter.number,
        ),
    )
    return letter


def _issue_batch(job: CampaignJob) -> None:
    """Number the batch's letters at once, in the order of its combined PDF (the
    cooperatives' names): parts numbering their own share side by side had
    interleaved the register (009, 029, 010, 030…). Items whose letter exists
    already (a rerun) or whose cooperative was dissolved meanwhile get none."""
    kind = job.params["letter"]
    issued_on = datetime.date.fromisoformat(job.params["issued_on"])
    items = (
        CampaignItem.objects.filter(pk__in=job.params["items"])
        .select_related("campaign", "cooperative__kelurahan__kecamatan")
        .order_by("cooperative__name", "id")
    )
    for item in items:
        if item.letters.filter(kind=kind, cancelled_at__isnull=True).exists():
            continue
        if not _dissolved_meanwhile(item, job):
            _issue(item, kind, issued_on, job)


def letter_job_execute(*, job_id: int, part: int | None = None) -> CampaignJob:
    """Render and send one part of the batch (its items ``part``, ``part +
    parts``, ...), so that the parts run side by side on several workers; the
    part that starts first numbers the whole batch (``_issue_batch``), the part
    that finishes last joins the combined PDF. ``part=None`` runs every part
    here, one after the other (command, demo, tests). A letter already rendered
    is skipped, so a rerun never doubles a letter."""
    parts = CampaignJob.objects.get(pk=job_id).params.get("parts", 1)
    if part is None:
        job = None
        for each in range(parts):
            job = letter_job_execute(job_id=job_id, part=each)
        assert job is not None
        return job
    try:
        with transaction.atomic():
            job = CampaignJob.objects.select_for_update().get(pk=job_id)
            if job.status in (JobStatus.DONE, JobStatus.FAILED):
                return job
            if job.status == JobStatus.QUEUED:
                job.status = JobStatus.RUNNING
                job.params["started"] = time.time()
                job.save(update_fields=["status", "params"])
                _issue_batch(job)
        kind = job.params["letter"]
        ids = job.params["items"][part::parts]
        items = (
            CampaignItem.objects.filter(pk__in=ids)
            .select_related("campaign", "cooperative__kelurahan__kecamatan")
            .order_by("cooperative__name", "id")
        )
        for item in items:
            if _failed(job_id):
                break  # another part failed: its letters are withdrawn
            if not _letter_for(item, kind, job):
                continue  # made by an earlier run of this part, and counted
            # Counted while the batch runs: a twin run of this part may have
            # finished it meanwhile, counting what was made.
            CampaignJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
                done=F("done") + 1,
                progress=Least(99, (F("done") + 1) * 100 / max(job.total, 1)),
            )
        return _finish_part(job_id, part)
    except Exception as exc:
        logger.exception("Letter job %s (part %s) failed", job_id, part)
        letter_job_fail(
            job_id=job_id,
            error=_(
                "Surat gagal dibuat (%(error)s). Surat yang sudah dibuat tetap "
                "sah dan tidak dibuat dua kali; minta lagi untuk membuat yang belum."
            )
            % {"error": type(exc).__name__},
        )
        raise


def _failed(job_id: int) -> bool:
    return CampaignJob.objects.filter(pk=job_id, status=JobStatus.FAILED).exists()


@transaction.atomic
def letter_job_fail(*, job_id: int, error: str) -> None:
    """The batch failed (an error, or a worker that kept dying on it): it says
    so, and its letters numbered but not made are cancelled (their numbers stay
    in the register as cancelled), so that asking again makes them anew; a
    peringatan among them no longer announces the dissolution. The letters made
    stay, and are not made twice: a letter another part is saving is waited
    for (its row lock) and then left as made."""
    CampaignJob.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, finished_at=timezone.now(), error=error
    )
    waiting = CampaignLetter.objects.filter(
        job_id=job_id, file="", cancelled_at__isnull=True
    )
    ids = list(waiting.select_for_update().values_list("pk", flat=True))
    unmade = CampaignLetter.objects.filter(pk__in=ids, file="")
    items = list(unmade.values_list("item_id", flat=True))
    letters_cancel(
        unmade, why=gettext_lazy("Pembuatan surat gagal; surat tidak dikirim.")
    )
    peringatan_withdrawn(items)


def _letter_for(item: CampaignItem, kind: str, job: CampaignJob) -> bool:
    """Render, store and send the item's letter, numbered already
    (``_issue_batch``). False when there is none, it was made already, or its
    cooperative has been dissolved since it was numbered (the letter is then
    cancelled). A letter that asks to confirm gets its one-time confirmation
    link here: only the letter carries the token."""
    from ..documents import letter_html, render_pdf

    letter = item.letters.filter(kind=kind, cancelled_at__isnull=True).first()
    if letter is None or letter.file:
        return False
    with transaction.atomic():
        if _dissolved_meanwhile(item, job):
            letters_cancel(
                CampaignLetter.objects.filter(pk=letter.pk),
                why=gettext_lazy("Koperasi dibubarkan sebelum surat dibuat."),
            )
            peringatan_withdrawn([item.pk])
            return False
    # The link is stored only with the letter made: a letter that fails or is
    # withdrawn leaves the officers' earlier link working.
    token = new_link_token() if kind in ASKS_TO_CONFIRM else None
    pdf = render_pdf(letter_html(letter=letter, item=item, token=token))
    with transaction.atomic():
        locked = CampaignLetter.objects.select_for_update().get(pk=letter.pk)
        if locked.cancelled_at is not None or locked.file:
            return False  # withdrawn (the batch failed), or made by a twin run
        if token is not None:
            confirmation_link_create(
                item=item,
                token=token,
                handed_over=notice_time(letter),
                until=letter_respond_by(letter),
            )
        letter.file.save(f"{letter.number.replace('/', '-')}.pdf", ContentFile(pdf))
        letter_notices_queue(letter, item)
    return True


def _dissolved_meanwhile(item: CampaignItem, job: CampaignJob) -> bool:
    """Whether the item's cooperative has been dissolved since the batch was asked
    for (``CampaignItem.dissolved``); if so, its name is kept on the job for the
    batch's page. Read under the cooperative's lock: a dissolution waits for the
    letter being issued, or is seen here."""
    item.cooperative.status = (
        Cooperative.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=item.cooperative_id)
    )
    if not item.dissolved:
        return False
    locked = CampaignJob.objects.select_for_update().get(pk=job.pk)
    locked.params["dissolved"] = [
        *locked.params.get("dissolved", []),
        item.cooperative.name,
    ]
    locked.save(update_fields=["params"])
    return True


def _finish_part(job_id: int, part: int) -> CampaignJob:
    from ..documents import combine_pdfs
    from ..selectors import job_letters_made

    with transaction.atomic():
        job = CampaignJob.objects.select_for_update().get(pk=job_id)
        finished = sorted(set(job.params.get("finished", [])) | {part})
        job.params["finished"] = finished
        if (
            len(finished) < job.params.get("parts", 1)
            or job.status != JobStatus.RUNNING
        ):
            job.save(update_fields=["params"])
            return job
        letters = job_letters_made(job)
        combined = combine_pdfs(letter.file for letter in letters)
        kind = job.params["letter"]
        job.file.save(f"surat-{kind}-{job.pk}.pdf", ContentFile(combined), save=False)
        job.status = JobStatus.DONE
        job.progress = 100
        job.done = letters.count()
        job.seconds = round(time.time() - job.params.get("started", time.time()), 2)
        job.finished_at = timezone.now()
        job.save()
    return job


SETTINGS_FIELDS = (
    "interval_teguran_1",
    "interval_teguran_2",
    "interval_peringatan",
    "objection_months",
    "number_pattern",
    "letter_codes",
)


@transaction.atomic
def campaign_letter_settings(
    *, acting_user: User, campaign: Campaign, values: Mapping[str, Any]
) -> Campaign:
    """Change the ladder's intervals, the objection period, the number pattern
    or the classification codes; audited field by field."""
    from audit.services import diff, snapshot

    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    if "number_pattern" in values:
        number_pattern_check(values["number_pattern"])
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status == CampaignStatus.DITUTUP:
        raise ValidationError(_("Pemutakhiran ini sudah ditutup."))
    before = snapshot(locked, SETTINGS_FIELDS)
    for name, value in values.items():
        setattr(locked, name, value)
    changes = diff(locked, before, SETTINGS_FIELDS)
    if changes:
        locked.save(update_fields=list(values))
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=locked,
            changes=changes,
        )
    return locked
