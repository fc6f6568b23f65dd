"""Creating, opening and closing a campaign. Opening freezes a baseline for every
cooperative the office supervises (not Dibubarkan) in one pass over the registry."""

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from cooperatives.models import Cooperative, CooperativeStatus, Officer

from ..models import (
    Campaign,
    CampaignItem,
    CampaignJob,
    CampaignStatus,
    JobKind,
    JobStatus,
)
from ..rules import class_from_rat, rat_tahun_buku

logger = logging.getLogger(__name__)

CHUNK = 5000
_COOP_FIELDS = (
    "id",
    "name",
    "nik",
    "status",
    "last_rat_year",
    "last_rat_date",
    "address",
    "phone",
    "email",
    "kelurahan_id",
    "kelurahan__name",
    "kelurahan__kecamatan_id",
)


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
        message=_("Jangka waktu %(n)s tahun buku, batas %(date)s.")
        % {"n": window_years, "date": campaign.cutoff_date.isoformat()},
    )
    return campaign


@transaction.atomic
def campaign_open_request(
    *, acting_user: User | None, campaign: Campaign
) -> CampaignJob:
    """The job that opens ``campaign``; the caller enqueues it after commit
    (``campaigns.jobs.enqueue``). Asking again while one runs returns that one."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status != CampaignStatus.DRAF:
        raise ValidationError(_("Pemutakhiran ini sudah dibuka."))
    pending = locked.jobs.filter(
        kind=JobKind.OPEN, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
    ).first()
    if pending is not None:
        return pending
    job = CampaignJob.objects.create(
        campaign=locked, kind=JobKind.OPEN, created_by=acting_user
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.SUBMIT,
        obj=locked,
        message=_("Pembukaan pemutakhiran diminta."),
    )
    return job


def _baseline(row: dict[str, Any], officers: list[dict[str, str]]) -> dict[str, Any]:
    rat_date = row["last_rat_date"]
    return {
        "name": row["name"],
        "nik": row["nik"] or "",
        "status": row["status"],
        "last_rat_date": rat_date.isoformat() if rat_date else None,
        "last_rat_year": row["last_rat_year"],
        "address": row["address"],
        "kelurahan": row["kelurahan__name"],
        "phone": row["phone"],
        "email": row["email"],
        "officers": officers,
    }


def _chunks() -> Iterator[list[dict[str, Any]]]:
    """The cooperatives to freeze, CHUNK at a time in id order (keyset paging: no
    server-side cursor held across the commits between chunks)."""
    queryset = (
        Cooperative.objects.exclude(status=CooperativeStatus.DIBUBARKAN)
        .order_by("id")
        .values(*_COOP_FIELDS)
    )
    last = 0
    while True:
        rows = list(queryset.filter(id__gt=last)[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def _officers(first: int, last: int) -> dict[int, list[dict[str, str]]]:
    found: dict[int, list[dict[str, str]]] = defaultdict(list)
    rows = (
        Officer.objects.filter(
            is_active=True, cooperative_id__gte=first, cooperative_id__lte=last
        )
        .order_by("cooperative_id", "position", "name")
        .values_list("cooperative_id", "name", "position", "phone", "email")
    )
    for coop_id, name, position, phone, email in rows:
        found[coop_id].append(
            {"name": name, "position": position, "phone": phone, "email": email}
        )
    return found


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
                    "label": _("status"),
                    "old": str(CampaignStatus.DRAF.label),
                    "new": str(CampaignStatus.BERJALAN.label),
                }
            },
            message=_("Data awal %(n)s koperasi dibekukan.") % {"n": done},
        )
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


def _freeze(campaign: Campaign, job: CampaignJob) -> int:
    done = 0
    for rows in _chunks():
        officers = _officers(rows[0]["id"], rows[-1]["id"])
        items = []
        for row in rows:
            rat_year = rat_tahun_buku(row["last_rat_year"], row["last_rat_date"])
            items.append(
                CampaignItem(
                    campaign=campaign,
                    cooperative_id=row["id"],
                    kecamatan_id=row["kelurahan__kecamatan_id"],
                    baseline=_baseline(row, officers.get(row["id"], [])),
                    baseline_status=row["status"],
                    rat_year=rat_year,
                    proposed_class=class_from_rat(
                        rat_year,
                        tahun_buku=campaign.tahun_buku,
                        window_years=campaign.window_years,
                    ),
                )
            )
        with transaction.atomic():
            CampaignItem.objects.bulk_create(items, batch_size=CHUNK)
        done += len(items)
        percent = min(99, done * 100 // max(job.total, 1))
        CampaignJob.objects.filter(pk=job.pk).update(progress=percent, done=done)
    return done


@transaction.atomic
def campaign_close(*, acting_user: User, campaign: Campaign) -> Campaign:
    """Freeze the result: the counts as they stand are kept in ``result`` and the
    campaign takes no more evidence, decisions or letters."""
    from ..selectors import campaign_summary

    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status != CampaignStatus.BERJALAN:
        raise ValidationError(_("Hanya pemutakhiran yang berjalan dapat ditutup."))
    locked.result = campaign_summary(campaign=locked).as_json()
    locked.status = CampaignStatus.DITUTUP
    locked.closed_at = timezone.now()
    locked.save(update_fields=["result", "status", "closed_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.FINALISE,
        obj=locked,
        message=_("Hasil pemutakhiran dibekukan."),
    )
    return locked
