"""The public site's one access helper: every cooperative of the registry is public,
through the whitelisted fields only (public.fields)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from cooperatives.models import Cooperative
from lib.http import AuthenticatedHttpRequest

from .models import Concern
from .selectors import public_cooperatives


def get_public_cooperative(pk: int) -> Cooperative:
    return get_object_or_404(public_cooperatives(), pk=pk)


def get_concern_for_user(request: AuthenticatedHttpRequest, pk: int) -> Concern:
    """Concerns are read by Dinas users only; anyone else gets a 404."""
    if not request.user.is_dinas:
        raise Http404
    return get_object_or_404(Concern.objects.select_related("cooperative"), pk=pk)
