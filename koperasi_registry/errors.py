"""The pages of refused requests that need the request itself: which frame (the
staff's or the public site's) and which advice depends on who is asking."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent too late or without its cookie. Django's own view renders the
    template without the request, so every visitor read the staff's advice
    ("data yang sudah tersimpan tidak hilang"), though a member's text was never
    saved."""
    return render(request, "403_csrf.html", status=403)
