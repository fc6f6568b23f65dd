"""The public side of the objection period: the list of cooperatives proposed for
dissolution with the date the period ends, and the keberatan form. Anonymous,
phone-first."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lib.clientip import client_ip
from lib.forms import ask_files_again
from lib.receipts import read_receipt, redirect_with_receipt, sending_once
from lib.uploads import content_digest

from .access import (
    ObjectionPeriodClosed,
    get_item_named_by_receipt,
    get_item_open_to_objection,
)
from .forms import ObjectionForm
from .models import CampaignItem
from .selectors import objection_period_items, objections_under_review
from .services.objections import RateLimited, objection_file


@require_safe
def objection_period_list(request: HttpRequest) -> HttpResponse:
    items = objection_period_items(today=timezone.localdate())
    reviewing = objections_under_review(item.pk for item in items)
    rows = [(item, reviewing.get(item.pk, 0)) for item in items]
    return render(request, "campaigns/public_list.html", {"rows": rows})


def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = get_item_open_to_objection(pk)
    except ObjectionPeriodClosed as closed:
        template = "campaigns/public_objection_closed.html"
        return render(request, template, {"item": closed.item}, status=404)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        words = (item.pk, data["name"], data["contact"], data["text"])
        # The file too: the same words sent again with the document forgotten
        # the first time are a sending of their own (it was dropped unseen);
        # sent again without it (a browser keeps no file when going back), they
        # are the sending that had it.
        document = content_digest(data["document"])
        sent = (*words, document) if document else words
        with sending_once(_RECEIPT, *sent) as earlier:
            if earlier:
                return redirect(earlier)  # the same, sent again after going back
            if data["website"]:
                return _sent(item)
            try:
                objection = objection_file(
                    item=item,
                    name=data["name"],
                    contact=data["contact"],
                    text=data["text"],
                    document=data["document"],
                    ip=client_ip(request),
                )
            except RateLimited:
                form.add_error(
                    None,
                    _(
                        "Terlalu banyak keberatan dari alamat ini. Coba lagi "
                        "sejam lagi, atau ajukan langsung ke kantor Dinas "
                        "(alamat dan teleponnya di bawah)."
                    ),
                )
                status = 429
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                also = (words,) if document else ()
                return _sent(item, sent, also, reference=objection.reference)
    ask_files_again(form)
    context = {"item": item, "form": form}
    return render(
        request, "campaigns/public_objection_form.html", context, status=status
    )


_RECEIPT = "campaigns.objection"


def _sent(
    item: CampaignItem,
    sent: tuple[Any, ...] = (),
    also_sent: tuple[tuple[Any, ...], ...] = (),
    reference: str | None = None,
) -> HttpResponseRedirect:
    """To the "received" page by a redirect: reloading it, or sending the same
    ``sent`` (or ``also_sent``) values again, files nothing again. ``reference``:
    the number the member quotes (none for what the spam trap kept out)."""
    url = reverse("campaigns:objection_done", args=[item.pk])
    return redirect_with_receipt(
        url,
        _RECEIPT,
        sent=sent,
        also_sent=also_sent,
        item=item.pk,
        reference=reference,
    )


@require_safe
def objection_done(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = read_receipt(request, _RECEIPT)
    if receipt is None or receipt.get("item") != pk:
        return redirect("campaigns:objection_period")
    item = get_item_named_by_receipt(pk)
    reference = receipt.get("reference")
    objection = item.objections.filter(reference=reference).first()
    context = {"item": item, "reference": reference, "objection": objection}
    return render(request, "campaigns/public_objection_done.html", context)
