from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role

from .models import RatAttachment, RatReport, ReportRun
from .selectors import rat_reports_for_user


def get_report_run_for_user(request: AuthenticatedHttpRequest, pk: int) -> ReportRun:
    """A run is seen by the person who asked for it (and Dinas administrators)."""
    queryset = ReportRun.objects.all()
    if request.user.role != Role.ADMIN:
        queryset = queryset.filter(created_by=request.user)
    return get_object_or_404(queryset, pk=pk)


def get_rat_report_for_user(
    request: AuthenticatedHttpRequest,
    pk: int,
    *,
    write: bool = False,
    review: bool = False,
) -> RatReport:
    """A report is seen by Dinas users and the officers of its cooperative (others:
    404). ``write`` (fill in, attach, submit) is for both; ``review`` (send back,
    accept) only for Dinas users who may edit the registry (officers: 403)."""
    queryset = rat_reports_for_user(request.user).select_related(
        "cooperative__kelurahan__kecamatan", "submitted_by", "reviewed_by"
    )
    report = get_object_or_404(queryset, pk=pk)
    if write and request.user.is_dinas and not request.user.can_edit_registry:
        raise PermissionDenied
    if review and not request.user.can_edit_registry:
        raise PermissionDenied
    return report


def get_rat_attachment_for_user(
    request: AuthenticatedHttpRequest, pk: int, *, write: bool = False
) -> RatAttachment:
    """Same rules as the attachment's report: another cooperative's file is a 404."""
    visible = rat_reports_for_user(request.user)
    attachment = get_object_or_404(
        RatAttachment.objects.select_related("report__cooperative"),
        pk=pk,
        report__in=visible,
    )
    if write and request.user.is_dinas and not request.user.can_edit_registry:
        raise PermissionDenied
    return attachment
