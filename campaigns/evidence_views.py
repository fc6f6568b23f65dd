"""Evidence pages: an officer's confirmation (logged in, or through the one-time
link on the letter, without an account), staff review, and field visits from a
phone."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from cooperatives.models import Kelurahan
from cooperatives.rules import rat_is_later
from lib.forms import ask_files_again
from lib.receipts import read_receipt, redirect_with_receipt
from lib.uploads import upload_response
from reports.models import RatReport

from . import services
from .access import (
    get_campaign_for_user,
    get_evidence_for_user,
    get_item_for_officer,
    get_item_for_user,
    get_item_named_by_receipt,
)
from .forms import ConfirmationForm, ReviewForm, VisitForm
from .models import CampaignItem, Evidence
from .selectors import rat_report_under_review, waiting_confirmations


def _initial(
    item: CampaignItem, waiting: Evidence | None, report: RatReport | None
) -> dict[str, Any]:
    """The registry's data with what a confirmation still waiting proposed, and
    the RAT of a report under review when it is later than the registry's."""
    cooperative = item.cooperative
    initial: dict[str, Any] = {
        "address": cooperative.address,
        "phone": cooperative.phone,
        "email": cooperative.email,
        "rat_date": cooperative.last_rat_date_shown,
        "rat_year": cooperative.last_rat_tahun_buku,
    }
    if waiting is not None:
        initial.update(
            {
                k: v
                for k, v in waiting.data.items()
                if k in ("address", "phone", "email")
            }
        )
        initial["board"] = waiting.data.get("pengurus", "")
        if waiting.rat_date:
            initial["rat_date"] = waiting.rat_date
            initial["rat_year"] = waiting.rat_year
    # Last: the page says the report's meeting needs no confirming, and showed
    # a waiting confirmation's other date beside it.
    if (
        report is not None
        and report.meeting_date
        and rat_is_later(
            rat_date=report.meeting_date,
            tahun_buku=report.tahun_buku,
            known_date=cooperative.last_rat_date,
            known_year=cooperative.last_rat_tahun_buku,
        )
    ):
        initial["rat_date"] = report.meeting_date
        initial["rat_year"] = report.tahun_buku
    return initial


def _submit(
    request: HttpRequest, item: CampaignItem, form: ConfirmationForm, **kw: Any
) -> bool:
    data = form.cleaned_data
    try:
        services.confirmation_submit(
            item=item,
            fields={k: data[k] or "" for k in ("address", "phone", "email")},
            board=data["board"],
            rat_date=data["rat_date"],
            rat_year=data["rat_year"],
            berita_acara=data["berita_acara"],
            photo=data["photo"],
            **kw,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


@login_required
def confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ "Konfirmasi data" on Koperasi saya, for the cooperative's own officers."""
    item = get_item_for_officer(request, pk)
    if item.dissolved:
        return _dissolved(request, item)
    waiting = waiting_confirmations(item).first()
    report = rat_report_under_review(item)
    form = ConfirmationForm(
        request.POST or None,
        request.FILES or None,
        initial=_initial(item, waiting, report),
        cooperative=item.cooperative,
    )
    posted = request.method == "POST" and form.is_valid()
    if posted and _submit(request, item, form, acting_user=request.user):
        messages.success(
            request, _("Terima kasih. Konfirmasi Anda akan diperiksa oleh Dinas.")
        )
        return redirect("home")
    ask_files_again(form)
    context = {"item": item, "form": form, "waiting": waiting, "report": report}
    return render(request, "campaigns/confirm.html", context)


def confirm_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The same confirmation through the letter's one-time link: no account."""
    link = services.confirmation_link_for_token(token)
    if link is None:
        return _sent_again(request, token) or render(
            request, "campaigns/link_invalid.html", status=410
        )
    item = link.item
    if item.dissolved:
        return _dissolved(request, item)
    # A confirmation the officers sent logged in and still waiting: the form
    # starts from it and says that sending replaces it (it had started from the
    # registry's old RAT, and a phone number corrected through the letter's link
    # replaced the officer's RAT of last year without a word).
    waiting = waiting_confirmations(item).first()
    report = rat_report_under_review(item)
    form = ConfirmationForm(
        request.POST or None,
        request.FILES or None,
        initial=_initial(item, waiting, report),
        cooperative=item.cooperative,
    )
    posted = request.method == "POST" and form.is_valid()
    if posted and _submit(request, item, form, acting_user=None, token=token):
        # To the "received" page by a redirect: a reload sends nothing again (and
        # would find the link used).
        url = reverse("campaigns:confirm_link_done")
        return redirect_with_receipt(url, _LINK_RECEIPT, item=item.pk)
    if posted:
        # Sent at the same moment as another sending, which used the link.
        again = _sent_again(request, token)
        if again:
            return again
    ask_files_again(form)
    context = {
        "item": item,
        "form": form,
        "by_link": True,
        "report": report,
        "waiting": waiting,
    }
    return render(request, "campaigns/confirm.html", context)


def _dissolved(request: HttpRequest, item: CampaignItem) -> HttpResponse:
    """The confirmation page of a cooperative dissolved since the campaign opened:
    said at once, not after the form is filled in and sent."""
    return render(request, "campaigns/confirm.html", {"item": item, "dissolved": True})


_LINK_RECEIPT = "campaigns.confirmation_link"


def _sent_again(request: HttpRequest, token: str) -> HttpResponse | None:
    """A link used within the day, opened again (the browser's back button, the
    letter's link followed once more) or its form sent again (back and send, two
    taps at once): the first sending's "received" page, which says when the link
    was used and, for a form sent again, that the first sending is the one kept."""
    used = services.confirmation_link_used_recently(token)
    if used is None or used.used_at is None:
        return None
    url = reverse("campaigns:confirm_link_done")
    return redirect_with_receipt(
        url,
        _LINK_RECEIPT,
        item=used.item_id,
        used=used.used_at.isoformat(),
        resent=request.method == "POST",
    )


@require_safe
def confirm_link_done(request: HttpRequest) -> HttpResponse:
    receipt = read_receipt(request, _LINK_RECEIPT)
    if receipt is None:
        return render(request, "campaigns/link_invalid.html", status=410)
    item = get_item_named_by_receipt(receipt.get("item"))
    used = receipt.get("used")
    context = {
        "item": item,
        "used_at": datetime.datetime.fromisoformat(used) if used else None,
        "resent": bool(receipt.get("resent")),
    }
    return render(request, "campaigns/confirm_done.html", context)


@login_required
@require_POST
def evidence_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evidence = get_evidence_for_user(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.evidence_review(
                acting_user=request.user, evidence=evidence, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Bukti diperiksa."))
    return redirect(evidence.item)


@login_required
def visit_kelurahan(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    campaign = get_campaign_for_user(request, year)
    kelurahan = (
        Kelurahan.objects.filter(cooperatives__campaign_items__campaign=campaign)
        .select_related("kecamatan")
        .annotate(n=Count("cooperatives__campaign_items"))
        .order_by("kecamatan__name", "name")
    )
    return render(
        request,
        "campaigns/visit_kelurahan.html",
        {"campaign": campaign, "kelurahan": kelurahan},
    )


@login_required
def visit_list(
    request: AuthenticatedHttpRequest, year: int, kelurahan: int
) -> HttpResponse:
    campaign = get_campaign_for_user(request, year)
    place = get_object_or_404(
        Kelurahan.objects.select_related("kecamatan"), pk=kelurahan
    )
    items = (
        campaign.items.filter(cooperative__kelurahan=place)
        .select_related("cooperative")
        .order_by("cooperative__name")
    )
    return render(
        request,
        "campaigns/visit_list.html",
        {"campaign": campaign, "place": place, "items": items},
    )


@login_required
def visit_form(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The visit form; the phone script posts it with fetch and asks for JSON, so
    that a send that fails keeps what was typed and is sent again."""
    item = get_item_for_user(request, pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = VisitForm(
        request.POST or None,
        request.FILES or None,
        initial={"on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(
                acting_user=request.user, item=item, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            done = _("Kunjungan ke %(name)s tercatat.") % {
                "name": item.cooperative.name
            }
            back = reverse(
                "campaigns:visit_list",
                args=[item.campaign.year, item.cooperative.kelurahan_id],
            )
            messages.success(request, done)  # shown on the page the script opens
            if wants_json:
                return JsonResponse({"ok": True, "message": done, "next": back})
            return redirect(back)
    if request.method == "POST" and wants_json:
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    ask_files_again(form)  # a browser keeps no chosen file across pages
    return render(request, "campaigns/visit_form.html", {"item": item, "form": form})


@login_required
def evidence_file(
    request: AuthenticatedHttpRequest, pk: int, what: str, photo: int
) -> HttpResponseBase:
    """A photo or the document of a piece of evidence (private media: staff)."""
    evidence = get_evidence_for_user(request, pk)
    if what == "foto":
        stored = get_object_or_404(evidence.photos, pk=photo).file
    elif what == "dokumen" and evidence.document:
        stored = evidence.document
    else:
        raise Http404
    return upload_response(stored)
