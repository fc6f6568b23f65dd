"""Dinas staff's side of the public site: the concerns members sent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from cooperatives.access import require_dinas
from lib.redirects import back_or

from . import services
from .access import get_concern_for_user
from .models import Concern
from .selectors import inbox_waiting


@login_required
@require_GET
def concern_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_dinas(request)
    concerns = Concern.objects.select_related("cooperative", "handled_by")
    if request.GET.get("status") == "baru":
        concerns = concerns.waiting()
    page = Paginator(concerns, 50).get_page(request.GET.get("page"))
    context = {"page": page, "waiting": inbox_waiting()}
    return render(request, "public/concern_list.html", context)


@login_required
@require_POST
def concern_handle(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    concern = get_concern_for_user(request, pk)
    require_dinas(request, write=True)
    try:
        services.concern_mark_handled(
            acting_user=request.user,
            concern=concern,
            note=request.POST.get("note", "")[:2000],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Laporan %(ref)s ditandai sudah ditangani.") % {"ref": concern.reference},
        )
    return redirect(back_or(request, "concern_list"))
