"""The public verification pages of the documents the office issues (status
letters, health results, campaign letters): a code that names no document gets a
page that says so plainly, with the 404 status, instead of the site's "page not
found" (someone holding a forged letter must read that it is not the office's)."""

import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


def unknown_code_page(what: Any) -> Callable[..., Callable[..., HttpResponse]]:
    """Decorates a verification view whose access helper raises Http404 for an
    unknown code; ``what`` names the document ("surat keterangan status")."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                token = kwargs.get("token")
                if isinstance(token, str):
                    # The route takes any text: a code read in capitals (a QR
                    # code's alphanumeric mode) or cut short gets this page too,
                    # not the site's "page not found".
                    try:
                        kwargs["token"] = uuid.UUID(token.strip())
                    except ValueError:
                        raise Http404 from None
                return view(request, *args, **kwargs)
            except Http404:
                return render(
                    request, "public/verify_unknown.html", {"what": what}, status=404
                )

        return wrapped

    return decorate
