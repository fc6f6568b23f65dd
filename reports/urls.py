from django.urls import path

from . import rat_views, views

app_name = "reports"
urlpatterns = [
    path("ekspor-koperasi/", views.registry_export_create, name="registry_export"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("<int:pk>/unduh/", views.run_download, name="run_download"),
    path("rat/", rat_views.rat_queue, name="rat_queue"),
    path("rat/kelengkapan/", rat_views.rat_completeness_view, name="rat_completeness"),
    path(
        "rat/kelengkapan/belum-lapor.xlsx",
        rat_views.rat_missing_export,
        name="rat_missing_export",
    ),
    path(
        "rat/koperasi/<int:cooperative_pk>/mulai/",
        rat_views.rat_start,
        name="rat_start",
    ),
    path("rat/<int:pk>/", rat_views.rat_detail, name="rat_detail"),
    path("rat/<int:pk>/isi/", rat_views.rat_edit, name="rat_edit"),
    path(
        "rat/<int:pk>/lampiran/",
        rat_views.rat_attachment_upload,
        name="rat_attachment_upload",
    ),
    path("rat/<int:pk>/ajukan/", rat_views.rat_submit, name="rat_submit"),
    path("rat/<int:pk>/kembalikan/", rat_views.rat_return, name="rat_return"),
    path("rat/<int:pk>/terima/", rat_views.rat_accept, name="rat_accept"),
    path("rat/lampiran/<int:pk>/", rat_views.rat_attachment, name="rat_attachment"),
    path(
        "rat/lampiran/<int:pk>/hapus/",
        rat_views.rat_attachment_delete,
        name="rat_attachment_delete",
    ),
]
