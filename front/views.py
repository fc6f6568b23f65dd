"""The pages that show several apps at once. Each keeps its old address and name
(``home``, ``cooperatives:detail``; see ``koperasi_registry/urls.py``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from campaigns.services import rat_reports_collect
from cooperatives.access import get_cooperative_for_user, require_dinas
from cooperatives.models import CooperativeStatus, Officer
from cooperatives.selectors import (
    cooperative_page_data,
    dashboard_counts,
    senders_known,
)
from health_assessment.forms import AssessmentStartForm
from health_assessment.selectors import assessments_of_cooperative, chart_data
from notifications.models import IncomingMessage
from notifications.whatsapp import whatsapp_receiving
from public.selectors import inbox_waiting
from reports.access import get_rat_report_for_user
from reports.forms import AcceptForm
from reports.models import RatStatus
from reports.rat_views import rat_review_refused
from reports.selectors import acceptance_effect, officer_portal, rat_reports_for_user
from reports.services import RatRefused, rat_report_accept


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
    waiting = IncomingMessage.objects.waiting().count()
    return render(
        request, "front/dashboard.html", {"data": data, "incoming_waiting": waiting}
    )


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


@login_required
@require_POST
def rat_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Accept a RAT report; in a running pemutakhiran it is evidence at once (the
    cooperative's class moves to A or B before staff decide or send a letter),
    not at the next quarter-hourly refresh."""
    report = get_rat_report_for_user(request, pk, review=True)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        # Not accepted without the note the reviewer wrote (it was dropped).
        messages.error(request, _("Catatan paling banyak 2.000 huruf."))
        return redirect(report)
    # Said after: the last RAT stays when the registry has a later one.
    moves_last_rat = acceptance_effect(report).last_rat is not None
    try:
        rat_report_accept(
            acting_user=request.user,
            report=report,
            note=form.cleaned_data.get("note", ""),
            # Always checked: a form without it (another client, a page from
            # before) is refused as one whose figures changed.
            seen=request.POST.get("seen", ""),
        )
    except RatRefused as exc:
        rat_review_refused(request, report, exc, asked=RatStatus.DITERIMA)
        return redirect(report)
    rat_reports_collect(cooperative_ids=[report.cooperative_id], actor=request.user)
    messages.success(
        request,
        _("Laporan diterima; data keragaan dan tanggal RAT koperasi diperbarui.")
        if moves_last_rat
        else _("Laporan diterima; data keragaan koperasi diperbarui."),
    )
    return redirect(report)


@login_required
@require_GET
def whatsapp_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What people sent to the office's WhatsApp number, newest first, each with
    the cooperatives its number belongs to in the registry."""
    require_dinas(request)
    incoming = IncomingMessage.objects.select_related("reply_to", "handled_by")
    waiting = request.GET.get("status") == "baru"
    if waiting:
        incoming = incoming.waiting()
    page = Paginator(incoming, 25).get_page(request.GET.get("page"))
    known = senders_known(message.sender for message in page)
    context = {
        "page": page,
        "rows": [(message, known.get(message.sender, [])) for message in page],
        "only_waiting": waiting,
        "waiting": inbox_waiting(),
        "connected": whatsapp_receiving(),
    }
    return render(request, "front/whatsapp_inbox.html", context)
