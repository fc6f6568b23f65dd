"""The public site's access helpers: every cooperative of the registry is public,
through the whitelisted fields only (public.fields)."""

import uuid

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.http import AuthenticatedHttpRequest
from cooperatives.models import Cooperative, StatusLetter
from health_assessment.models import Assessment, AssessmentStatus

from .models import Concern
from .selectors import public_cooperatives


def get_public_cooperative(pk: int) -> Cooperative:
    return get_object_or_404(public_cooperatives(), pk=pk)


def get_concern_for_user(request: AuthenticatedHttpRequest, pk: int) -> Concern:
    """Concerns are read by Dinas users only; anyone else gets a 404."""
    if not request.user.is_dinas:
        raise Http404
    return get_object_or_404(Concern.objects.select_related("cooperative"), pk=pk)


def get_status_letter_by_token(token: uuid.UUID) -> StatusLetter:
    """Anyone holding a letter may verify it; the token is only printed on it."""
    return get_object_or_404(
        StatusLetter.objects.select_related("cooperative"), verification_token=token
    )


def get_assessment_by_token(token: uuid.UUID) -> Assessment:
    """A final health result, for whoever holds its PDF; drafts are never shown."""
    return get_object_or_404(
        Assessment.objects.select_related("cooperative", "ruleset"),
        verification_token=token,
        status=AssessmentStatus.FINAL,
    )
