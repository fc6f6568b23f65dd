from django.urls import path

from . import views, webhook

app_name = "notifications"

urlpatterns = [
    path("<int:pk>/terkirim/", views.mark_sent, name="mark_sent"),
    path("whatsapp/webhook/", webhook.whatsapp_webhook, name="whatsapp_webhook"),
    path("masuk/<int:pk>/ditangani/", views.incoming_handle, name="incoming_handle"),
]
