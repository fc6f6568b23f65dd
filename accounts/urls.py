from django.urls import include, path

from .views import (
    LimitedLoginView,
    LimitedPasswordChangeView,
    LimitedPasswordResetView,
    SaidLogoutView,
    UnlockingPasswordResetConfirmView,
)

urlpatterns = [
    path("login/", LimitedLoginView.as_view(), name="login"),
    path("logout/", SaidLogoutView.as_view(), name="logout"),
    path("password_reset/", LimitedPasswordResetView.as_view(), name="password_reset"),
    path(
        "password_change/",
        LimitedPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "reset/<uidb64>/<token>/",
        UnlockingPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("", include("django.contrib.auth.urls")),
]
