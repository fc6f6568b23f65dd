"""The public side of the objection period: the list of cooperatives proposed for
dissolution with the date the period ends, and the keberatan form. Anonymous,
phone-first."""

from axes.helpers import get_client_ip_address
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .forms import ObjectionForm
from .models import CampaignItem, CampaignStatus
from .selectors import objection_period_items
from .services.objections import RateLimited, objection_file, objection_period_open


@require_safe
def objection_period_list(request: HttpRequest) -> HttpResponse:
    items = objection_period_items(today=timezone.localdate())
    return render(request, "campaigns/public_list.html", {"items": items})


def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        CampaignItem.objects.select_related("campaign", "cooperative__kelurahan"),
        pk=pk,
        campaign__status=CampaignStatus.BERJALAN,
    )
    if not objection_period_open(item):
        raise Http404
    form = ObjectionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            return render(
                request, "campaigns/public_objection_done.html", {"item": item}
            )
        try:
            objection_file(
                item=item,
                name=data["name"],
                contact=data["contact"],
                text=data["text"],
                document=data["document"],
                ip=get_client_ip_address(request) or "",
            )
        except RateLimited:
            form.add_error(
                None,
                _("Terlalu banyak keberatan dari alamat ini. Coba lagi sejam lagi."),
            )
            status = 429
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(
                request, "campaigns/public_objection_done.html", {"item": item}
            )
    context = {"item": item, "form": form}
    return render(
        request, "campaigns/public_objection_form.html", context, status=status
    )
