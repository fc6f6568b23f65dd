"""The pages that show several apps at once. Each keeps its old address and name
(``home``, ``cooperatives:detail``; see ``koperasi_registry/urls.py``)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from cooperatives.access import get_cooperative_for_user
from cooperatives.models import CooperativeStatus, Officer
from cooperatives.selectors import cooperative_page_data, dashboard_counts
from health_assessment.forms import AssessmentStartForm
from health_assessment.selectors import assessments_of_cooperative, chart_data
from reports.selectors import officer_portal, rat_reports_for_user


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.is_dinas:
        entries = officer_portal(request.user, timezone.localdate())
        own = dict(
            Officer.objects.filter(user=request.user, is_active=True).values_list(
                "cooperative_id", "pk"
            )
        )
        context = {
            "entries": [
                (
                    e,
                    assessments_of_cooperative(e.cooperative, request.user),
                    own.get(e.cooperative.pk),
                )
                for e in entries
            ]
        }
        return render(request, "front/officer_home.html", context)
    status = request.GET.get("status", CooperativeStatus.AKTIF)
    if status not in CooperativeStatus.values:
        status = ""
    data = dashboard_counts(status=status)
    return render(request, "front/dashboard.html", {"data": data})


@login_required
def cooperative_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cooperative = get_cooperative_for_user(request, pk)
    assessments = assessments_of_cooperative(cooperative, request.user)
    context = {
        "cooperative": cooperative,
        **cooperative_page_data(cooperative, request.user),
        "assessments": assessments,
        "assessment_chart": chart_data(assessments),
        "start_form": AssessmentStartForm(),
        "rat_reports": rat_reports_for_user(request.user).filter(
            cooperative=cooperative
        ),
    }
    return render(request, "front/detail.html", context)
