"""The campaign's panels on pages of other apps: Koperasi saya (the officer's
"Konfirmasi data" card) and the cooperative's page (class, evidence, letters,
objection period), through ``campaigns.selectors``: the officer's card costs
four queries per cooperative (an officer of five sees 24 on Koperasi saya, 12 of
one), the cooperative's page panel one."""

from typing import Any

from django import template

from campaigns.selectors import (
    item_for_cooperative,
    item_panel,
    latest_confirmation,
    letters_received,
    rat_report_under_review,
)
from cooperatives.models import Cooperative

register = template.Library()


@register.inclusion_tag("campaigns/_officer_panel.html")
def campaign_confirmation_panel(cooperative: Cooperative) -> dict[str, Any]:
    """Koperasi saya: the running campaign's request to confirm, and what became
    of the officers' latest confirmation (examined, accepted, or rejected and
    why), so that an accepted one is not asked for as if never sent."""
    item = item_for_cooperative(cooperative=cooperative)
    if item is not None and item.dissolved:
        item = None  # nothing more to confirm (``CampaignItem.dissolved``)
    if item is None:
        return {"item": None}
    # A RAT report of the campaign's year sent and being examined is the proof
    # once accepted: the officers were still asked for its berita acara.
    return {
        "item": item,
        "latest": latest_confirmation(item),
        "report": rat_report_under_review(item),
        "letters": letters_received(item),
    }


@register.inclusion_tag("campaigns/_cooperative_panel.html", takes_context=True)
def campaign_cooperative_panel(
    context: dict[str, Any], cooperative: Cooperative
) -> dict[str, Any]:
    user = context["request"].user
    return {"panel": item_panel(cooperative=cooperative), "is_dinas": user.is_dinas}


@register.simple_tag
def campaign_objection_period(cooperative_id: int) -> dict[str, Any]:
    """``campaign_public_notice``'s values for a page that says more around it
    (the public page leaves out the status's own advice while it shows)."""
    return campaign_public_notice(cooperative_id)


@register.inclusion_tag("campaigns/_public_notice.html")
def campaign_public_notice(cooperative_id: int) -> dict[str, Any]:
    """On the public page of a cooperative in its objection period: the planned
    dissolution, the date the period ends, and the keberatan form."""
    from django.utils import timezone

    from campaigns.selectors import objection_period_item, objections_under_review

    item = objection_period_item(
        cooperative_id=cooperative_id, today=timezone.localdate()
    )
    reviewing = objections_under_review([item.pk]).get(item.pk, 0) if item else 0
    return {"item": item, "reviewing": reviewing}


@register.inclusion_tag("campaigns/_dashboard_panel.html")
def campaign_dashboard_panel() -> dict[str, Any]:
    """The running campaign's progress on the staff dashboard (three queries)."""
    from campaigns.selectors import campaign_summary, running_campaign

    campaign = running_campaign()
    if campaign is None:
        return {"campaign": None}
    return {"campaign": campaign, "summary": campaign_summary(campaign=campaign)}
