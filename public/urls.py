from django.urls import path, re_path

from . import views

app_name = "public"
# One route a line, past 88 columns where it must: the table reads, and greps, as a
# table (address, view, name).
# fmt: off
urlpatterns = [
    path("", views.home, name="home"),
    path("koperasi/", views.cooperative_list, name="list"),
    path("koperasi/<int:pk>/", views.cooperative_detail, name="cooperative"),
    path("koperasi/<int:pk>/qr.svg", views.cooperative_qr, name="qr"),
    path("koperasi/<int:pk>/poster/", views.cooperative_poster, name="poster"),
    path("koperasi/<int:pk>/laporkan/", views.concern_create, name="concern"),
    path("koperasi/<int:pk>/laporkan/terkirim/", views.concern_done, name="concern_done"),
    path("data/", views.open_data, name="open_data"),
    re_path(r"^data/koperasi\.(?P<file_format>csv|json)$", views.export_cooperatives, name="export_cooperatives"),
    re_path(r"^data/statistik\.(?P<file_format>csv|json)$", views.export_statistics, name="export_statistics"),
    path("api/v1/", views.api_schema, name="api_root"),
    path("api/v1/openapi.json", views.api_schema, name="api_schema"),
    path("api/v1/koperasi/", views.api_cooperatives, name="api_cooperatives"),
    path("api/v1/koperasi/<int:pk>/", views.api_cooperative, name="api_cooperative"),
    path("api/v1/statistik/", views.api_statistics, name="api_statistics"),
    path("verifikasi/penilaian/<str:token>/", views.verify_assessment, name="verify_assessment"),
    path("verifikasi/surat/<str:token>/", views.verify_status_letter, name="verify_status_letter"),
]
# fmt: on
