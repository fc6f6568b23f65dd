from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthAssessmentConfig(AppConfig):
    name = "health_assessment"
    verbose_name = _("Penilaian kesehatan")
