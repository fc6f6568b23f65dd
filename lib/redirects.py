"""Going back to the page a form was sent from."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def back_or(request: HttpRequest, default: str) -> str:
    """The page the form was sent from (its ``next`` field, on this site), else
    the page named ``default``: a filtered list stays filtered."""
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return reverse(default)
