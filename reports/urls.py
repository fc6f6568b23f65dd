from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("ekspor-koperasi/", views.registry_export_create, name="registry_export"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("<int:pk>/unduh/", views.run_download, name="run_download"),
]
