"""The campaign's downloads (staff): result, status changes, usulan pembubaran."""

import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from lib.excel import write_xlsx

from . import exports
from .access import get_campaign_for_user
from .models import Campaign


@require_GET
@login_required
def downloads(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    campaign = get_campaign_for_user(request, year)
    usulan = exports.usulan_queryset(campaign).count()
    context = {"campaign": campaign, "usulan": usulan}
    return render(request, "campaigns/downloads.html", context)


@require_GET
@login_required
def download(
    request: AuthenticatedHttpRequest, year: int, what: str
) -> HttpResponseBase:
    campaign = get_campaign_for_user(request, year)
    if what == "usulan-surat":
        return _usulan_letter(request, campaign)
    if what not in _SHEETS:
        raise Http404
    headers, rows, sheet = _SHEETS[what](campaign)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115
    write_xlsx(
        Path(handle.name),
        sheet_name=sheet,
        headers=headers,
        rows=rows,
        title=exports.sheet_title(campaign, sheet),
    )
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"pemutakhiran-{year}-{what}.xlsx"
    )


def _usulan_letter(
    request: AuthenticatedHttpRequest, campaign: Campaign
) -> HttpResponseBase:
    items = exports.usulan_items(campaign)
    if not items:
        # A cover letter proposing to dissolve "0 koperasi" is no letter.
        messages.info(
            request, _("Belum ada koperasi yang diusulkan dibubarkan (kelas F).")
        )
        return redirect("campaigns:downloads", campaign.year)
    pdf = exports.usulan_cover_pdf(campaign, items)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"usulan-pembubaran-{campaign.year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


Sheet = tuple[list[str], Iterable[Sequence[Any]], str]


def _result(campaign: Campaign) -> Sheet:
    return exports.result_headers(), exports.result_rows(campaign), _("Hasil")


def _changes(campaign: Campaign) -> Sheet:
    return (
        exports.changes_headers(),
        exports.changes_rows(campaign),
        _("Perubahan status"),
    )


def _usulan(campaign: Campaign) -> Sheet:
    return (
        exports.usulan_headers(),
        exports.usulan_rows(exports.usulan_items(campaign)),
        _("Usulan pembubaran"),
    )


# Each workbook by the last part of its address.
_SHEETS: dict[str, Callable[[Campaign], Sheet]] = {
    "hasil": _result,
    "perubahan": _changes,
    "usulan": _usulan,
}
