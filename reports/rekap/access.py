"""The access helpers of the rekap: Dinas business only. Officers get a 404 on every
rekap page (they cannot learn one exists); approving needs the Kepala Dinas's right
and recording a dispatch the right to edit the registry (403 otherwise)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.http import AuthenticatedHttpRequest

from .models import RekapFreezeJob, RekapSending, RekapSnapshot
from .services import can_approve


def require_rekap(request: AuthenticatedHttpRequest) -> None:
    """Pages that list or make rekap, and the map: Dinas users only."""
    if not request.user.is_dinas:
        raise Http404


def get_snapshot_for_user(
    request: AuthenticatedHttpRequest,
    pk: int,
    *,
    approve: bool = False,
    write: bool = False,
) -> RekapSnapshot:
    require_rekap(request)
    snapshot = get_object_or_404(
        RekapSnapshot.objects.select_related("made_by", "approved_by"),
        pk=pk,
    )
    if approve and not can_approve(request.user):
        raise PermissionDenied
    if write and not request.user.can_edit_registry:
        raise PermissionDenied
    return snapshot


def get_sending_for_user(request: AuthenticatedHttpRequest, pk: int) -> RekapSending:
    """A recorded sending, to be taken back: who may record one."""
    require_rekap(request)
    sending = get_object_or_404(RekapSending.objects.select_related("snapshot"), pk=pk)
    if not request.user.can_edit_registry:
        raise PermissionDenied
    return sending


def get_freeze_job_for_user(
    request: AuthenticatedHttpRequest, pk: int
) -> RekapFreezeJob:
    require_rekap(request)
    return get_object_or_404(RekapFreezeJob.objects.select_related("snapshot"), pk=pk)


def get_snapshot_by_token(token: uuid.UUID) -> RekapSnapshot:
    """Public: the QR code on a rekap's PDF names it; anyone holding the paper
    may check it."""
    return get_object_or_404(RekapSnapshot, verification_token=token)
