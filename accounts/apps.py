from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Akun dan peran")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from .views import count_failed_login

        user_login_failed.connect(count_failed_login, dispatch_uid="accounts-failed")
