from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from lib.clientip import serving


class ClientAddressMiddleware:
    """Makes the client's address (``lib.clientip``) known to what the request does,
    so that the audit rows it writes record where it came from."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with serving(request):
            return self.get_response(request)


class ChosenLanguageMiddleware:
    """Bahasa Indonesia unless the person picked another language in the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an office
    PC with an English Windows would show English. Here only the language cookie that
    the switcher sets counts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)  # type: ignore[attr-defined]
        return response


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared ``Content-Length`` is over
    ``REQUEST_BODY_MAX_BYTES`` with a 413 before any of the body is read (Django
    would otherwise receive a 300 MB upload whole into a temporary file before a
    form could refuse it). Must come before anything that reads ``request.POST``
    (the CSRF check). The reverse proxy's own body limit stops what is sent
    without a length."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = settings.REQUEST_BODY_MAX_BYTES
        if declared > limit:
            context = {"limit_mb": limit // (1024 * 1024)}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)
