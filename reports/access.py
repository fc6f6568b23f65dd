from django.shortcuts import get_object_or_404

from accounts.models import Role
from lib.http import AuthenticatedHttpRequest

from .models import ReportRun


def get_report_run_for_user(request: AuthenticatedHttpRequest, pk: int) -> ReportRun:
    """A run is seen by the person who asked for it (and Dinas administrators)."""
    queryset = ReportRun.objects.all()
    if request.user.role != Role.ADMIN:
        queryset = queryset.filter(created_by=request.user)
    return get_object_or_404(queryset, pk=pk)
