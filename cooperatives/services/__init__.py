"""Every write to the registry, grouped by topic: ``registry`` (cooperatives,
figures, officers, regions), ``invitations``, ``letters`` (status letters) and
``imports`` (ODS import, apply, undo)."""

from .invitations import (
    invitation_accept,
    invitation_accepted_recently,
    invitation_for_token,
    officer_invite,
    officer_send_password_link,
)
from .letters import status_letter_issue, status_letter_revoke
from .registry import (
    COOPERATIVE_FIELDS,
    FIGURE_FIELDS,
    OFFICER_FIELDS,
    cooperative_change_status,
    cooperative_last_rat_record,
    cooperative_register,
    cooperative_update,
    figures_record,
    officer_add,
    officer_deactivate,
    officer_update,
    region_boundaries_load,
    regions_load,
)

__all__ = [
    "COOPERATIVE_FIELDS",
    "FIGURE_FIELDS",
    "OFFICER_FIELDS",
    "cooperative_change_status",
    "cooperative_last_rat_record",
    "cooperative_register",
    "cooperative_update",
    "figures_record",
    "invitation_accept",
    "invitation_accepted_recently",
    "invitation_for_token",
    "officer_add",
    "officer_deactivate",
    "officer_invite",
    "officer_send_password_link",
    "officer_update",
    "region_boundaries_load",
    "regions_load",
    "status_letter_issue",
    "status_letter_revoke",
]
