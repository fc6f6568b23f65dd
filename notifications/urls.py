from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("<int:pk>/terkirim/", views.mark_sent, name="mark_sent"),
]
