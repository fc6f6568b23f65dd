from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifikasi")

    def ready(self) -> None:
        # Register the sending task in every process (web and worker), so that the
        # service can enqueue it by name without importing the task module.
        from . import tasks  # noqa: F401
