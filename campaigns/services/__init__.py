"""Every write of a campaign, by topic: ``opening`` (create, open, close),
``decisions``, ``confirmations`` (from officers), ``evidence`` (their review, and
visits; ``rat_evidence``, what comes in by itself), ``objections`` and
``letters``."""

from .confirmations import (
    confirmation_link_create,
    confirmation_link_for_token,
    confirmation_link_used_recently,
    confirmation_submit,
)
from .decisions import (
    STATUS_FOR_CLASS,
    decision_outdated,
    items_decide,
    proposed_status,
)
from .evidence import (
    confirmation_topic,
    evidence_review,
    item_recompute,
    visit_record,
)
from .objections import objection_decide, objection_file
from .opening import (
    CampaignGone,
    CampaignOpenPending,
    campaign_close,
    campaign_create,
    campaign_draft_delete,
    campaign_open_execute,
    campaign_open_request,
    default_cutoff,
    objection_period_refusal,
)
from .rat_evidence import campaign_refresh, rat_reports_collect

__all__ = [
    "STATUS_FOR_CLASS",
    "CampaignGone",
    "CampaignOpenPending",
    "campaign_close",
    "campaign_create",
    "campaign_draft_delete",
    "campaign_open_execute",
    "campaign_open_request",
    "campaign_refresh",
    "confirmation_link_create",
    "confirmation_link_for_token",
    "confirmation_link_used_recently",
    "confirmation_submit",
    "confirmation_topic",
    "decision_outdated",
    "default_cutoff",
    "evidence_review",
    "item_recompute",
    "items_decide",
    "objection_decide",
    "objection_file",
    "objection_period_refusal",
    "proposed_status",
    "rat_reports_collect",
    "visit_record",
]
