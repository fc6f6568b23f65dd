"""Evidence that comes in by itself: accepted RAT reports of the campaign's
cooperatives, collected when a report is accepted, when a campaign opens or
closes, and by the periodic refresh, which also moves items whose objection
period has ended."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditAction
from cooperatives.models import CooperativeStatus
from lib.office_text import lazy_text
from reports.models import RatReport, RatStatus, ReviewDecision

from ..models import (
    CampaignItem,
    CampaignLetter,
    CampaignStatus,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
)
from .evidence import audit_evidence, item_recompute
from .letter_notices import letters_cancel


@transaction.atomic
def rat_reports_collect(
    *, cooperative_ids: list[int] | None = None, actor: User | None = None
) -> int:
    """Accepted RAT reports of the running campaign's cooperatives (all, or those
    of ``cooperative_ids``) become evidence (once each), which moves the items to
    A or B. ``actor`` is who set this off (the staff accepting a report, closing
    the campaign); the trail says "sistem" for the periodic refresh. Returns how
    many."""
    items = CampaignItem.objects.filter(campaign__status=CampaignStatus.BERJALAN)
    if cooperative_ids is not None:
        items = items.filter(cooperative_id__in=cooperative_ids)
    by_coop = {i.cooperative_id: i for i in items.select_related("campaign")}
    reports = RatReport.objects.filter(
        status=RatStatus.DITERIMA, cooperative_id__in=by_coop.keys()
    ).exclude(
        pk__in=Evidence.objects.filter(rat_report_id__isnull=False).values(
            "rat_report_id"
        )
    )
    added = 0
    for report in reports.prefetch_related("reviews"):
        item = by_coop[report.cooperative_id]
        accepted = max(
            (
                r.reviewed_at
                for r in report.reviews.all()
                if r.decision == ReviewDecision.ACCEPTED
            ),
            default=None,
        )
        if accepted is None:
            continue
        opened = item.campaign.opened_at
        if (
            opened
            and accepted < opened
            and report.tahun_buku < item.campaign.tahun_buku
        ):
            # An earlier year's report, accepted before this campaign: its RAT
            # is in the baseline already. The campaign's own tahun buku's report
            # is its proof whenever it was accepted (41 accepted before the
            # opening stayed "Belum ada bukti", and out of the verified count).
            continue
        evidence = Evidence.objects.create(
            item=item,
            kind=EvidenceKind.RAT,
            status=EvidenceStatus.DITERIMA,
            on=timezone.localdate(accepted),
            rat_date=report.meeting_date,
            rat_year=report.tahun_buku,
            rat_report_id=report.pk,
        )
        item_recompute(item)
        audit_evidence(
            evidence,
            actor,
            AuditAction.CREATE,
            lazy_text(
                gettext_lazy("Laporan RAT tahun buku %(year)s diterima."),
                year=report.tahun_buku,
            ),
        )
        added += 1
    return added


def campaign_refresh(*, today: datetime.date | None = None) -> int:
    """Collect accepted RAT reports, cancel the letters dated ahead of cooperatives
    dissolved since (their notices, held for the letter's day, had gone to a
    dissolved cooperative), then recompute the items whose objection period may
    have ended (they become F). Returns how many items changed class."""
    rat_reports_collect()
    letters_cancel(
        CampaignLetter.objects.filter(
            item__campaign__status=CampaignStatus.BERJALAN,
            item__cooperative__status=CooperativeStatus.DIBUBARKAN,
            issued_on__gt=today or timezone.localdate(),
        ),
        why=gettext_lazy("Koperasi dibubarkan sebelum tanggal surat."),
    )
    changed = 0
    items = CampaignItem.objects.filter(
        campaign__status=CampaignStatus.BERJALAN, peringatan_on__isnull=False
    ).select_related("campaign")
    for item in items:
        before = item.proposed_class
        with transaction.atomic():
            if item_recompute(item, today=today) != before:
                changed += 1
    return changed
