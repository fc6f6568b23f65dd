import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.encoding import escape_uri_path
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from lib.clientip import serving

from .errors import bad_request


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
            declared = int(request.headers.get("content-length") or 0)
        except ValueError:
            declared = 0
        limit = settings.REQUEST_BODY_MAX_BYTES
        if declared > limit:
            context = {"limit_mb": limit // (1024 * 1024)}
            return render(request, "413.html", context, status=413)
        fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        query = request.META.get("QUERY_STRING", "")
        if fields is not None and query.count("&") + query.count(";") >= fields:
            # An address of more fields than a request may hold: refused here,
            # with the 400 page. Refused later, Django's debug page (DEBUG,
            # as ``make run`` serves) read the address again, failed, and
            # answered a bare 500. Who asks is known from the session (this
            # runs before the authentication middleware): staff had read it
            # in the public site's frame.
            request.user = SimpleLazyObject(lambda: get_user(request))  # type: ignore[assignment]
            return bad_request(request, TooManyFieldsSent())
        return self.get_response(request)


# The session key of a form sent after its session ended: its page's path and
# the values typed, kept over the login for that page to put back.
UNSENT = "unsent_form"
# Text values kept at the most: a form's worth, not a pasted book.
_UNSENT_FIELDS = 200
_UNSENT_CHARS = 10_000
# What the page makes anew (the security token, its mark of the values shown,
# the button's choice), not what was typed.
_NOT_TYPED = {"csrfmiddlewaretoken", "seen", "action"}
# Secrets are never kept: a password typed into a form sent after the session
# ended was stored in the session in plain text and filled back in after login.
_SECRET = re.compile(r"pass|secret|token|otp", re.IGNORECASE)
# Who last used this browser logged in (signed, kept over a logout and the
# session's end): values typed are given back to that person only, not to the
# next one who logs in on a shared office computer.
TYPED_BY = "typed_by"
_TYPED_BY_SALT = "koperasi.typed-by"
# Longer than a session (8 hours): it must outlive the session it outlasts.
_TYPED_BY_AGE = 30 * 24 * 60 * 60


class ExpiredSessionMiddleware:
    """A form sent after its session ended (it expired, or the person logged out
    in another tab): Django sends it on to the login page, which said nothing,
    and what was typed was lost unseen (going Back asks the page again, which
    leads to the login too). The login page now says so, and the values typed
    are kept in the session, which the login keeps: the form's page, reached
    after logging in, puts them back in its fields (``base.html``,
    ``static/js/app.js``) to be checked and sent again. Chosen files cannot be
    kept, and the message says so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        unsent = None
        # Only a request with a session can have one kept: the public pages'
        # visitors without one (most of them) never load a session for this.
        if (
            request.method == "GET"
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.user.is_authenticated
        ):
            unsent = request.session.get(UNSENT)
            if unsent and unsent.get("by") != str(request.user.pk):
                del request.session[UNSENT]  # another person's: never shown
                unsent = None
            elif unsent and unsent.get("path") == request.path:
                # With the address the form was sent to: only that form of the
                # page takes them (a return note had filled the accept form's
                # note too, and one objection's answer every other's).
                request.unsent_values = {  # type: ignore[attr-defined]
                    "action": unsent.get("action", ""),
                    "values": unsent["values"],
                }
            else:
                unsent = None
        response = self.get_response(request)
        if unsent is not None and response.status_code == 200:
            del request.session[UNSENT]  # put back once, on the page itself
        if request.user.is_authenticated:
            self._mark_typed_by(request, response)
        if (
            request.method == "POST"
            and response.status_code == 302
            and not request.user.is_authenticated
            and self._sent_to_log_in(request, response)
        ):
            # Back after the login to the page the form was on: a form sent to
            # an action's own address (POST only) led to an empty 405 there.
            page = self._form_page(request)
            response["Location"] = redirect_to_login(page).url
            request.session[UNSENT] = {
                "path": urlsplit(page).path,
                "action": request.path,
                "values": self._typed(request),
                "by": request.get_signed_cookie(
                    TYPED_BY, default=None, salt=_TYPED_BY_SALT
                ),
            }
            said = _(
                "Sesi Anda sudah berakhir sebelum isian terkirim, jadi isian itu "
                "belum tersimpan. Masuk lagi: isian Anda diisikan kembali ke "
                "formulirnya untuk diperiksa dan dikirim ulang."
            )
            # Files sent, or chosen for an upload the page sent the form before
            # (rat_report.js: the upload waits for the draft's save).
            if request.FILES or request.POST.get("_files_chosen"):
                said += " " + _("Berkas yang dipilih perlu dipilih lagi.")
            messages.warning(request, said)
        return response

    @staticmethod
    def _mark_typed_by(request: HttpRequest, response: HttpResponse) -> None:
        """The ``TYPED_BY`` cookie names the person logged in (set once)."""
        pk = str(request.user.pk)
        if request.get_signed_cookie(TYPED_BY, None, salt=_TYPED_BY_SALT) != pk:
            response.set_signed_cookie(
                TYPED_BY,
                pk,
                salt=_TYPED_BY_SALT,
                max_age=_TYPED_BY_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )

    @staticmethod
    def _typed(request: HttpRequest) -> dict[str, list[str]]:
        typed = {}
        for name in list(request.POST)[:_UNSENT_FIELDS]:
            if name not in _NOT_TYPED and not _SECRET.search(name):
                values = request.POST.getlist(name)
                typed[name] = [value[:_UNSENT_CHARS] for value in values]
        return typed

    @staticmethod
    def _form_page(request: HttpRequest) -> str:
        """The page the form was sent from, as its Referer names it (this
        site's pages send it: ``SECURE_REFERRER_POLICY``); else the address it
        was sent to."""
        referer = request.headers.get("Referer", "")
        if referer and url_has_allowed_host_and_scheme(
            referer,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        ):
            parts = urlsplit(referer)
            if parts.path != resolve_url(settings.LOGIN_URL):
                return parts.path + (f"?{parts.query}" if parts.query else "")
        return request.get_full_path()

    @staticmethod
    def _sent_to_log_in(request: HttpRequest, response: HttpResponse) -> bool:
        """Sent to the login page to come back here: not a logout, whose
        redirect names no page to come back to."""
        location = urlsplit(response["Location"])
        if location.path != resolve_url(settings.LOGIN_URL):
            return False
        return parse_qs(location.query).get("next") == [request.get_full_path()]


class ActionPageMiddleware:
    """An action's address (POST only) opened as a page: a link kept, an
    address typed, a form whose session ended. It answered an empty 405, which
    a browser shows as "HTTP ERROR 405"; now a page that says what the address
    is and leads back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.method in ("GET", "HEAD")
            and not response.content
        ):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


_TYPED_PATH = re.compile(r"[a-z0-9/_\- ]+")


class TypedInCapitalsMiddleware:
    """An address typed from a printed letter with Caps Lock on
    (``/PEMUTAKHIRAN/KONFIRMASI/ABCD…/``) is sent on to the same address in lower
    case, where one exists: every path of the app is lower case, and its codes are
    found however they are typed. Only for a page that was not found, and only
    for reading (GET, HEAD): nothing sent is redirected."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        lower = request.path_info.lower()
        # Only what the app's own addresses are made of (letters, digits, "-",
        # "_", "/", and the spaces of a code typed in groups): an encoded "?",
        # "#" or ".." decoded into the path would move the redirect elsewhere.
        if lower == request.path_info or not _TYPED_PATH.fullmatch(lower):
            return response
        if not lower.endswith("/") and settings.APPEND_SLASH:
            lower += "/"
        try:
            resolve(lower, urlconf=getattr(request, "urlconf", None))
        except Resolver404:
            return response
        # The script's prefix, where the app is served below one, kept as it is.
        prefix = request.path[: len(request.path) - len(request.path_info)]
        query = request.META.get("QUERY_STRING", "")
        location = escape_uri_path(prefix + lower)
        return HttpResponseRedirect(location + ("?" + query if query else ""))
