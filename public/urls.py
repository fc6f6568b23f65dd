from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path(
        "verifikasi/penilaian/<uuid:token>/",
        views.verify_assessment,
        name="verify_assessment",
    ),
]
