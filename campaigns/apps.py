from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Pemutakhiran")

    def ready(self) -> None:
        # R3, R4 and the progress map measure join the rekap (reports never
        # imports campaigns; see campaigns/rekap.py).
        from . import rekap

        rekap.register()
