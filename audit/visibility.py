"""Who reads which audit row. Dinas users read every row; an officer reads, on
their own cooperative's page, only the rows decided below, one decision per
(object type, action). A pair not listed is hidden: a new kind of row stays with
the Dinas until someone decides otherwise here (and in the test of this table).
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from .models import AuditAction as A

# (app_label.model, action) -> whether the cooperative's officers see the row.
OFFICER_SEES: dict[tuple[str, str], bool] = {
    # The registry record, its figures, its officers and letters: the officers'
    # own data, changed by them or by the Dinas in the open.
    ("cooperatives.cooperative", A.CREATE): True,
    ("cooperatives.cooperative", A.UPDATE): True,
    ("cooperatives.cooperative", A.STATUS_CHANGE): True,
    ("cooperatives.cooperative", A.IMPORT_UNDO): True,
    ("cooperatives.cooperative", A.DELETE): True,
    ("cooperatives.cooperativefigures", A.CREATE): True,
    ("cooperatives.cooperativefigures", A.UPDATE): True,
    ("cooperatives.officer", A.CREATE): True,
    ("cooperatives.officer", A.UPDATE): True,
    ("cooperatives.officer", A.DEACTIVATE): True,
    ("cooperatives.officer", A.INVITE): True,
    ("cooperatives.statusletter", A.ISSUE): True,
    ("cooperatives.statusletter", A.REVOKE): True,
    # The RAT report is the officers' own work and the Dinas's answer to it.
    ("reports.ratreport", A.CREATE): True,
    ("reports.ratreport", A.UPDATE): True,
    ("reports.ratreport", A.SUBMIT): True,
    ("reports.ratreport", A.RETURN): True,
    ("reports.ratreport", A.ACCEPT): True,
    ("reports.ratattachment", A.CREATE): True,
    ("reports.ratattachment", A.UPDATE): True,
    ("reports.ratattachment", A.DELETE): True,
    # Health assessments: officers see final results only, never a draft (nor a
    # revision, which starts as a draft); creating covers drafts too, so it is hidden.
    ("health_assessment.assessment", A.CREATE): False,
    ("health_assessment.assessment", A.UPDATE): False,
    ("health_assessment.assessment", A.FINALISE): True,
    ("health_assessment.assessment", A.REVISE): False,
    # A member's concern: the form promises that only the Dinas reads it, so even
    # its existence (and its reference) stays with the Dinas.
    ("public.concern", A.CREATE): False,
    ("public.concern", A.UPDATE): False,
}


def officer_visible_q() -> Q:
    """The rows an officer may read, as a filter (content types from Django's
    cache: no query after the first)."""
    by_type: dict[int, list[str]] = {}
    for (label, action), visible in OFFICER_SEES.items():
        if visible:
            app_label, model = label.split(".")
            content_type = ContentType.objects.get_by_natural_key(app_label, model)
            by_type.setdefault(content_type.pk, []).append(action)
    condition = Q(pk__in=[])
    for content_type_id, actions in by_type.items():
        condition |= Q(content_type_id=content_type_id, action__in=actions)
    return condition


def visible_to(user: Any) -> Q:
    """A filter of the audit rows ``user`` may read (cooperative scoping is the
    caller's: this only decides by kind of row)."""
    if getattr(user, "is_dinas", False):
        return Q()
    return officer_visible_q()
