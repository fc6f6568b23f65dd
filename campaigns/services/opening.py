"""Creating, opening and closing a campaign. Opening freezes a baseline for every
cooperative the office supervises (not Dibubarkan) in one pass over the registry."""

import datetime
import logging
import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from cooperatives.models import Cooperative, CooperativeStatus, Officer
from cooperatives.rules import rat_tahun_buku
from lib.display import shown
from lib.office_text import lazy_text

from ..models import (
    Campaign,
    CampaignItem,
    CampaignJob,
    CampaignStatus,
    EvidenceState,
    JobKind,
    JobStatus,
)
from ..rules import class_from_rat
from ..selectors import objection_period_items, running_campaign
from .rat_evidence import rat_reports_collect

logger = logging.getLogger(__name__)

# Cooperatives (by id range) frozen per statement and transaction.
CHUNK = 10_000


def default_cutoff(year: int) -> datetime.date:
    return datetime.date(year + 1, 3, 31)


@transaction.atomic
def campaign_create(
    *,
    acting_user: User | None,
    year: int,
    window_years: int = 3,
    cutoff_date: datetime.date | None = None,
) -> Campaign:
    """A Draf campaign for ``year``; the same year twice is refused."""
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Tahun pemutakhiran tidak masuk akal."))
    if not 1 <= window_years <= 10:
        raise ValidationError(_("Jangka waktu RAT harus 1 sampai 10 tahun buku."))
    if Campaign.objects.filter(year=year).exists():
        raise ValidationError(_("Pemutakhiran %(year)s sudah ada.") % {"year": year})
    campaign = Campaign.objects.create(
        year=year,
        window_years=window_years,
        cutoff_date=cutoff_date or default_cutoff(year),
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=campaign,
        message=lazy_text(
            gettext_lazy("Jangka waktu %(n)s tahun buku, batas %(date)s."),
            n=window_years,
            date=campaign.cutoff_date,
        ),
    )
    return campaign


class CampaignGone(ValidationError):
    """The campaign asked for no longer exists."""


# A worker takes an opening within seconds; one still queued after this was lost
# (the enqueue after commit failed, or a broker forgot it).
QUEUED_LOST_AFTER = datetime.timedelta(minutes=10)


class CampaignOpenPending(ValidationError):
    """The campaign is being opened already: ``job`` is that opening, to follow
    instead of starting it twice (a second click, a second tab)."""

    def __init__(self, job: CampaignJob) -> None:
        super().__init__(
            _(
                "Pembukaan pemutakhiran ini sudah diminta dan belum selesai; ikuti "
                "prosesnya (proses %(id)s)."
            )
            % {"id": job.pk}
        )
        self.job = job


@transaction.atomic
def campaign_draft_delete(*, acting_user: User | None, campaign: Campaign) -> None:
    """Delete a campaign still in Draf (a year made by mistake): nothing of it
    has reached a cooperative. Refused once opened, or while its opening runs."""
    locked = Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    if locked is None:
        # Deleted by another request that held the lock first (two staff, or
        # a second tab): said, not a server error.
        raise CampaignGone(_("Draf pemutakhiran ini sudah dihapus."))
    if locked.status != CampaignStatus.DRAF:
        raise ValidationError(
            _("Hanya pemutakhiran berstatus Draf yang dapat dihapus.")
        )
    if locked.jobs.filter(
        kind=JobKind.OPEN, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
    ).exists():
        raise ValidationError(
            _("Pemutakhiran ini sedang dibuka; tunggu sampai prosesnya selesai.")
        )
    audit_record(
        actor=acting_user,
        action=AuditAction.DELETE,
        obj=locked,
        message=gettext_lazy("Draf pemutakhiran dihapus."),
    )
    locked.delete()


@transaction.atomic
def campaign_open_request(
    *, acting_user: User | None, campaign: Campaign
) -> CampaignJob:
    """The job that opens ``campaign``; the caller enqueues it after commit
    (``campaigns.jobs.enqueue``). Asking again while one is queued or runs raises
    ``CampaignOpenPending`` with that one: enqueued twice, a second worker would
    start it over beside the first (it begins by discarding the items). One
    queued longer than ``QUEUED_LOST_AFTER`` no worker took is returned, to be
    enqueued again: it was lost on its way (nothing else would ever run it)."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status == CampaignStatus.DITUTUP:
        raise ValidationError(
            _("Pemutakhiran ini sudah ditutup; hasilnya tetap seperti dibekukan.")
        )
    if locked.status != CampaignStatus.DRAF:
        raise ValidationError(_("Pemutakhiran ini sudah dibuka."))
    if not locked.year_has_ended:
        # Class A is a RAT for the campaign's tahun buku: before it ends, no
        # cooperative can have one, and every letter would go out.
        raise ValidationError(
            _(
                "Tahun buku %(year)s belum berakhir, jadi belum ada koperasi yang "
                "dapat ber-RAT untuknya. Pemutakhiran %(year)s dapat dibuka mulai "
                "1 Januari %(next)s."
            )
            % {"year": locked.year, "next": locked.year + 1}
        )
    running = running_campaign()
    if running is not None:
        # One at a time: an accepted RAT report, a letter, the public list of
        # announcements each belong to the one campaign that runs.
        raise ValidationError(
            _(
                "Pemutakhiran %(year)s masih berjalan. Tutup dulu sebelum membuka "
                "pemutakhiran lain."
            )
            % {"year": running.year}
        )
    pending = locked.jobs.filter(
        kind=JobKind.OPEN, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
    ).first()
    if pending is not None:
        lost = (
            pending.status == JobStatus.QUEUED
            and timezone.now() - pending.created_at > QUEUED_LOST_AFTER
        )
        if not lost:
            raise CampaignOpenPending(pending)
        return pending  # handed out again by the caller
    job = CampaignJob.objects.create(
        campaign=locked, kind=JobKind.OPEN, created_by=acting_user
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.SUBMIT,
        obj=locked,
        message=gettext_lazy("Pembukaan pemutakhiran diminta."),
    )
    return job


def campaign_open_execute(*, job_id: int) -> CampaignJob:
    """Freeze the baseline and propose a class for every cooperative, CHUNK rows
    per transaction with progress on the job row. Run again after a crash, it
    starts over (the items of a campaign still Draf are discarded first)."""
    started = time.monotonic()
    with transaction.atomic():
        job = CampaignJob.objects.select_for_update().get(pk=job_id)
        campaign = Campaign.objects.select_for_update().get(pk=job.campaign_id)
        if job.status == JobStatus.DONE or campaign.status != CampaignStatus.DRAF:
            return job
        job.status = JobStatus.RUNNING
        job.total = Cooperative.objects.exclude(
            status=CooperativeStatus.DIBUBARKAN
        ).count()
        job.save(update_fields=["status", "total"])
        campaign.items.all().delete()
    try:
        done = _freeze(campaign, job)
    except Exception as exc:
        logger.exception("Opening campaign %s failed", campaign.year)
        CampaignJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=_("Pemutakhiran gagal dibuka (%(error)s). Silakan coba lagi.")
            % {"error": type(exc).__name__},
        )
        raise
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(
            status=CampaignStatus.BERJALAN, opened_at=timezone.now()
        )
        audit_record(
            actor=job.created_by,
            action=AuditAction.UPDATE,
            obj=campaign,
            changes={
                "status": {
                    "label": gettext_lazy("status"),
                    "old": CampaignStatus.DRAF.label,
                    "new": CampaignStatus.BERJALAN.label,
                }
            },
            message=lazy_text(
                gettext_lazy("Data awal %(n)s koperasi dibekukan."), n=done
            ),
        )
        # The reports of its tahun buku accepted before today are its evidence
        # from the start, not from the first refresh a quarter of an hour on.
        rat_reports_collect()
        CampaignJob.objects.filter(pk=job_id).update(
            status=JobStatus.DONE,
            progress=100,
            done=done,
            total=done,
            seconds=round(time.monotonic() - started, 2),
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


# One INSERT ... SELECT per id range: PostgreSQL builds each baseline (with the
# active officers as a JSON array) and the proposed class itself, so no row goes
# through Python. The CASE is ``rules.class_from_rat`` with the campaign's tahun
# buku and window bound in; test_opening checks the two agree on every boundary.
_FREEZE_SQL = """
INSERT INTO {item} (
    campaign_id, cooperative_id, baseline, baseline_status,
    rat_year, proposed_class, evidence_state, decision, decision_reason
)
SELECT
    %(campaign)s, c.id,
    jsonb_build_object(
        'name', c.name,
        'nik', COALESCE(c.nik, ''),
        'status', c.status,
        'last_rat_date', to_char(c.last_rat_date, 'YYYY-MM-DD'),
        'last_rat_year', c.last_rat_year,
        'address', c.address,
        'kelurahan', kel.name,
        'phone', c.phone,
        'email', c.email,
        'officers', COALESCE((
            SELECT jsonb_agg(
                jsonb_build_object(
                    'name', o.name, 'position', o.position,
                    'phone', o.phone, 'email', o.email
                ) ORDER BY o.position, o.name
            )
            FROM {officer} o
            WHERE o.cooperative_id = c.id AND o.is_active
        ), '[]'::jsonb)
    ),
    c.status,
    r.rat_year,
    CASE
        WHEN r.rat_year IS NULL THEN 'C'
        WHEN r.rat_year >= %(tahun_buku)s THEN 'A'
        WHEN r.rat_year > %(tahun_buku)s - %(window)s THEN 'B'
        ELSE 'C'
    END,
    %(evidence)s, '', ''
FROM {cooperative} c
JOIN {kelurahan} kel ON kel.id = c.kelurahan_id
CROSS JOIN LATERAL (
    SELECT COALESCE(
        c.last_rat_year, EXTRACT(YEAR FROM c.last_rat_date)::int - 1
    ) AS rat_year
) r
WHERE c.status <> %(dissolved)s AND c.id > %(after)s AND c.id <= %(upto)s
"""


def _freeze(campaign: Campaign, job: CampaignJob) -> int:
    from django.db import connection

    from cooperatives.models import Kelurahan

    sql = _FREEZE_SQL.format(
        item=CampaignItem._meta.db_table,
        officer=Officer._meta.db_table,
        cooperative=Cooperative._meta.db_table,
        kelurahan=Kelurahan._meta.db_table,
    )
    bounds = Cooperative.objects.aggregate(low=Min("id"), high=Max("id"))
    low, high = (bounds["low"] or 0) - 1, bounds["high"] or 0
    done = 0
    for after in range(low, high, CHUNK):
        if connection.vendor != "postgresql":
            done += _freeze_in_python(campaign, after=after, upto=after + CHUNK)
        else:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    sql,
                    {
                        "campaign": campaign.pk,
                        "tahun_buku": campaign.tahun_buku,
                        "window": campaign.window_years,
                        "evidence": EvidenceState.BELUM,
                        "dissolved": CooperativeStatus.DIBUBARKAN,
                        "after": after,
                        "upto": after + CHUNK,
                    },
                )
                done += cursor.rowcount
        percent = min(99, done * 100 // max(job.total, 1))
        CampaignJob.objects.filter(pk=job.pk).update(progress=percent, done=done)
    return done


@transaction.atomic
def _freeze_in_python(campaign: Campaign, *, after: int, upto: int) -> int:
    """``_FREEZE_SQL`` for one id range, row by row, where the database is not
    PostgreSQL (SQLite, the zero-setup default: a city's few hundred rows)."""
    cooperatives = (
        Cooperative.objects.filter(id__gt=after, id__lte=upto)
        .exclude(status=CooperativeStatus.DIBUBARKAN)
        .select_related("kelurahan")
        .prefetch_related(
            Prefetch(
                "officers",
                queryset=Officer.objects.filter(is_active=True).order_by(
                    "position", "name"
                ),
                to_attr="active_officers",
            )
        )
    )
    items = []
    for c in cooperatives:
        rat_year = rat_tahun_buku(c.last_rat_year, c.last_rat_date)
        baseline = {
            "name": c.name,
            "nik": c.nik or "",
            "status": c.status,
            "last_rat_date": c.last_rat_date.isoformat() if c.last_rat_date else None,
            "last_rat_year": c.last_rat_year,
            "address": c.address,
            "kelurahan": c.kelurahan.name,
            "phone": c.phone,
            "email": c.email,
            "officers": [
                {
                    "name": o.name,
                    "position": o.position,
                    "phone": o.phone,
                    "email": o.email,
                }
                for o in c.active_officers  # type: ignore[attr-defined]
            ],
        }
        klass = class_from_rat(
            rat_year,
            tahun_buku=campaign.tahun_buku,
            window_years=campaign.window_years,
        )
        items.append(
            CampaignItem(
                campaign=campaign,
                cooperative=c,
                baseline=baseline,
                baseline_status=c.status,
                rat_year=rat_year,
                proposed_class=klass,
                evidence_state=EvidenceState.BELUM,
                decision="",
                decision_reason="",
            )
        )
    CampaignItem.objects.bulk_create(items)
    return len(items)


def objection_period_refusal(campaign: Campaign) -> str:
    """Why ``campaign`` cannot close yet while cooperatives are announced for
    dissolution (their objection period, UU 25/1992 Pasal 47, runs until its last
    day, and closing would end it early: the announcement and the objection form
    serve the running campaign only), or "" when none is. Said on the campaign's
    page instead of its close button, and by ``campaign_close``."""
    items = objection_period_items(
        today=timezone.localdate(), campaign=campaign, to_come=True
    )
    if not items:
        return ""
    last = max(filter(None, (item.objection_ends_on for item in items)))
    names = ", ".join(item.cooperative.name for item in items[:3])
    if len(items) > 3:
        names += ", …"
    return ngettext(
        "%(n)s koperasi masih dalam masa keberatan (%(names)s) sampai %(date)s",
        "%(n)s koperasi masih dalam masa keberatan (%(names)s) sampai %(date)s",
        len(items),
    ) % {"n": len(items), "names": names, "date": shown(last)}


@transaction.atomic
def campaign_close(*, acting_user: User, campaign: Campaign) -> Campaign:
    """Freeze the result: the counts as they stand are kept in ``result`` and the
    campaign takes no more evidence, decisions or letters. Refused while an
    objection waits for its answer or an officer's confirmation for review:
    closing would leave them unanswered for good."""
    from ..selectors import (
        campaign_summary,
        open_objections_count,
        waiting_confirmations_count,
    )

    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status != CampaignStatus.BERJALAN:
        raise ValidationError(_("Hanya pemutakhiran yang berjalan dapat ditutup."))
    waiting = []
    announced = objection_period_refusal(locked)
    if announced:
        waiting.append(announced)
    objections = open_objections_count(campaign=locked)
    if objections:
        waiting.append(
            ngettext(
                "%(n)s keberatan belum diputuskan",
                "%(n)s keberatan belum diputuskan",
                objections,
            )
            % {"n": objections}
        )
    confirmations = waiting_confirmations_count(campaign=locked)
    if confirmations:
        waiting.append(
            ngettext(
                "%(n)s konfirmasi pengurus menunggu diperiksa",
                "%(n)s konfirmasi pengurus menunggu diperiksa",
                confirmations,
            )
            % {"n": confirmations}
        )
    if waiting:
        raise ValidationError(
            _("Pemutakhiran belum dapat ditutup: %(what)s. Selesaikan dulu.")
            % {"what": "; ".join(waiting)}
        )
    # RAT reports accepted since the last refresh count before the result is kept.
    rat_reports_collect(actor=acting_user)
    locked.result = campaign_summary(campaign=locked).as_json()
    locked.status = CampaignStatus.DITUTUP
    locked.closed_at = timezone.now()
    locked.save(update_fields=["result", "status", "closed_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.FINALISE,
        obj=locked,
        message=gettext_lazy("Hasil pemutakhiran dibekukan."),
    )
    return locked
