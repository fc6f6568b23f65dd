from django.urls import include, path

from .views import LimitedLoginView, LimitedPasswordResetView

urlpatterns = [
    path("login/", LimitedLoginView.as_view(), name="login"),
    path("password_reset/", LimitedPasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]
