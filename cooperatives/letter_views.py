"""Status letters: staff issue and withdraw them on the cooperative's page; staff and
the cooperative's officers download the PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest

from . import documents, services
from .access import get_cooperative_for_user, get_status_letter_for_user
from .forms import StatusLetterForm, StatusLetterRevokeForm


@login_required
@require_POST
def status_letter_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cooperative = get_cooperative_for_user(request, pk, write=True)
    form = StatusLetterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isi keperluan surat (paling banyak 200 huruf)."))
        return redirect(cooperative)
    try:
        letter = services.status_letter_issue(
            acting_user=request.user,
            cooperative=cooperative,
            purpose=form.cleaned_data["purpose"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Surat %(number)s diterbitkan; unduh PDF-nya di daftar surat.")
            % {"number": letter.number},
        )
    return redirect(f"{cooperative.get_absolute_url()}#status-letters")


@login_required
@require_GET
def status_letter_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = get_status_letter_for_user(request, pk)
    pdf = documents.status_letter_pdf(letter=letter, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"surat-status-{letter.year}-{letter.sequence:04d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_POST
def status_letter_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = get_status_letter_for_user(request, pk, write=True)
    form = StatusLetterRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tulis alasan pencabutan."))
        return redirect(letter.cooperative)
    try:
        services.status_letter_revoke(
            acting_user=request.user, letter=letter, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Surat %(number)s dicabut.") % {"number": letter.number}
        )
    return redirect(f"{letter.cooperative.get_absolute_url()}#status-letters")
