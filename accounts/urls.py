from django.contrib.auth import views as auth_views
from django.urls import include, path

from .forms import LoginForm
from .views import LimitedPasswordResetView

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("password_reset/", LimitedPasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]
