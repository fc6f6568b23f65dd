"""Logging in, password reset and password change, with limits: the first two
answer whoever asks, the last whoever sits at a computer left logged in."""

import hashlib
import hmac
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import (
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from lib.clientip import client_ip
from lib.ratelimit import hourly_count, hourly_reset, over_hourly_limit

from .forms import LoginForm

_FAILED_LOGINS = "login-failed"
_FAILED_CHANGES = "password-change-failed"


def _keyed(value: str) -> str:
    """A keyed hash: counters compare addresses without storing them."""
    return hmac.new(
        settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256
    ).hexdigest()


class LimitedPasswordResetView(auth_views.PasswordResetView):
    """At most PASSWORD_RESET_PER_HOUR_ADDRESS mails to one e-mail address and
    PASSWORD_RESET_PER_HOUR_CLIENT requests from one client per hour. Past the
    address limit the visitor gets the usual answer and no mail (the answer must
    not tell whether the address exists); past the client limit, a message."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        client = _keyed(client_ip(self.request))
        if over_hourly_limit(
            "password-reset-client", client, settings.PASSWORD_RESET_PER_HOUR_CLIENT
        ):
            form.add_error(
                None,
                _(
                    "Terlalu banyak permintaan atur ulang kata sandi dari perangkat "
                    "ini. Coba lagi dalam satu jam."
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        address = _keyed(form.cleaned_data["email"].strip().lower())
        if over_hourly_limit(
            "password-reset-address", address, settings.PASSWORD_RESET_PER_HOUR_ADDRESS
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def count_failed_login(request: HttpRequest | None = None, **_: Any) -> None:
    """``user_login_failed``: one more failed login from the client this hour."""
    if request is not None:
        over_hourly_limit(
            _FAILED_LOGINS,
            _keyed(client_ip(request)),
            settings.LOGIN_FAILURES_PER_HOUR_CLIENT,
        )


class LimitedLoginView(auth_views.LoginView):
    """django-axes locks a name after a few wrong passwords from one address; this
    also stops one address trying many names: past LOGIN_FAILURES_PER_HOUR_CLIENT
    failed logins in the hour, it tries none. (Axes locking the address alone would
    lock an office whose staff share one address after five mistakes.)"""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        failed = hourly_count(_FAILED_LOGINS, _keyed(client_ip(request)))
        if failed >= settings.LOGIN_FAILURES_PER_HOUR_CLIENT:
            return render(
                request, "accounts/lockout.html", {"client_limited": True}, status=429
            )
        return super().post(request, *args, **kwargs)


class LimitedPasswordChangeView(auth_views.PasswordChangeView):
    """Whoever sits at a computer left logged in could try old passwords without
    end: after AXES_FAILURE_LIMIT wrong ones in an hour the session ends, and
    logging in again meets the login's own lockout."""

    def form_invalid(self, form: PasswordChangeForm) -> HttpResponse:
        user = str(self.request.user.pk)
        if "old_password" in form.errors and over_hourly_limit(
            _FAILED_CHANGES, user, settings.AXES_FAILURE_LIMIT - 1
        ):
            # Counted afresh after logging in again, which needed the password.
            hourly_reset(_FAILED_CHANGES, user)
            logout(self.request)
            return render(
                self.request,
                "accounts/lockout.html",
                {"password_change": True},
                status=429,
            )
        return super().form_invalid(form)


class UnlockingPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password set through a reset link (from "Lupa kata sandi?" or sent by
    staff) also lifts the login's lockout of that name: an officer locked out
    after too many guesses who asked the Dinas for a link could otherwise not log
    in with the new password until the cool-off ended."""

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


class SaidLogoutView(auth_views.LogoutView):
    """Logging out lands on the login page, which now says it happened."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Anda sudah keluar."))
        return response
