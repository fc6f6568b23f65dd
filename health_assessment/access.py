"""The one access helper for assessments. Every assessment view calls it first.

Officers see only finalised results of their own cooperatives: a draft, or anything
of another cooperative, is a 404. Writing (edit, finalise, revise) needs the right to
edit the registry; an officer who may see a result but not change it gets a 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.http import AuthenticatedHttpRequest

from .models import Assessment


def get_assessment_for_user(
    request: AuthenticatedHttpRequest, pk: int, *, write: bool = False
) -> Assessment:
    queryset = Assessment.objects.visible_to(request.user).select_related(
        "cooperative__kelurahan__kecamatan", "ruleset", "finalised_by", "created_by"
    )
    assessment = get_object_or_404(queryset, pk=pk)
    if write and not request.user.can_edit_registry:
        raise PermissionDenied
    return assessment
