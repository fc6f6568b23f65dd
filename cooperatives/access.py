"""The one access helper per object type. Every view calls one on its first line.

Outsiders (an officer of another cooperative) get a 404, so that they cannot even
learn that an object exists; users who may see an object but not change it get a
403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.http import AuthenticatedHttpRequest

from .models import Cooperative, ImportJob, Officer, StatusLetter


def require_dinas(request: AuthenticatedHttpRequest, *, write: bool = False) -> None:
    """Registry-wide pages (lists, dashboard, new cooperative, imports) are for Dinas
    users; ``write`` pages also need the right to edit the registry."""
    if not request.user.is_dinas:
        raise PermissionDenied
    if write and not request.user.can_edit_registry:
        raise PermissionDenied


def get_cooperative_for_user(
    request: AuthenticatedHttpRequest, pk: int, *, write: bool = False
) -> Cooperative:
    queryset = Cooperative.objects.visible_to(request.user).with_region()
    cooperative = get_object_or_404(queryset, pk=pk)
    if write and not request.user.can_edit_registry:
        raise PermissionDenied
    return cooperative


def get_officer_for_user(
    request: AuthenticatedHttpRequest, pk: int, *, write: bool = False
) -> Officer:
    visible = Cooperative.objects.visible_to(request.user)
    officer = get_object_or_404(
        Officer.objects.select_related("cooperative"), pk=pk, cooperative__in=visible
    )
    if write and not request.user.can_edit_registry:
        raise PermissionDenied
    return officer


def get_own_officer_for_user(request: AuthenticatedHttpRequest, pk: int) -> Officer:
    """An officer's own position, for how they want to be notified: the officer
    themselves, or Dinas staff who edit the registry; anyone else gets a 404."""
    officer = get_officer_for_user(request, pk)
    mine = officer.user_id == request.user.pk and officer.is_active
    if not (mine or request.user.can_edit_registry):
        raise Http404
    return officer


def get_import_job_for_user(
    request: AuthenticatedHttpRequest, pk: int, *, write: bool = False
) -> ImportJob:
    """ODS imports are Dinas business: officers get a 404; applying, cancelling or
    undoing needs the right to edit the registry (403 otherwise)."""
    if not request.user.is_dinas:
        raise Http404
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    if write and not request.user.can_edit_registry:
        raise PermissionDenied
    return job


def get_status_letter_for_user(
    request: AuthenticatedHttpRequest, pk: int, *, write: bool = False
) -> StatusLetter:
    """A cooperative's officers may download its letters; withdrawing one needs the
    right to edit the registry."""
    visible = Cooperative.objects.visible_to(request.user)
    letter = get_object_or_404(
        StatusLetter.objects.select_related(
            "cooperative__kelurahan__kecamatan", "issued_by"
        ),
        pk=pk,
        cooperative__in=visible,
    )
    if write and not request.user.can_edit_registry:
        raise PermissionDenied
    return letter
