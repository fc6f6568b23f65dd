from django.urls import include, path

from .views import (
    LimitedLoginView,
    LimitedPasswordChangeView,
    LimitedPasswordResetView,
)

urlpatterns = [
    path("login/", LimitedLoginView.as_view(), name="login"),
    path("password_reset/", LimitedPasswordResetView.as_view(), name="password_reset"),
    path(
        "password_change/",
        LimitedPasswordChangeView.as_view(),
        name="password_change",
    ),
    path("", include("django.contrib.auth.urls")),
]
