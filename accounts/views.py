"""Password reset with limits: it sends mail to whoever asks."""

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from lib.clientip import client_ip
from lib.ratelimit import over_hourly_limit


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
