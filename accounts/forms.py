from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Perhatikan huruf besar/kecil."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi administrator Dinas."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # "Kata sandi", as every other page and the "Lupa kata sandi?" link say
        # (Django's Indonesian has "Sandi").
        self.fields["password"].label = _("Kata sandi")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Masuk"), css_class="w-100"))
