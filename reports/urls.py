from django.urls import path

from . import rat_views, views
from .rekap import views as rekap_views

app_name = "reports"
# One route a line, past 88 columns where it must: the table reads, and greps, as a
# table (address, view, name).
# fmt: off
urlpatterns = [
    path("ekspor-koperasi/", views.registry_export_create, name="registry_export"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("<int:pk>/unduh/", views.run_download, name="run_download"),
    path("rekap/", rekap_views.rekap_index, name="rekap_index"),
    path("rekap/buat/", rekap_views.rekap_make, name="rekap_make"),
    path("rekap/proses/<int:pk>/", rekap_views.rekap_job, name="rekap_job"),
    path("rekap/<int:pk>/", rekap_views.rekap_detail, name="rekap_detail"),
    path("rekap/<int:pk>/perubahan/", rekap_views.rekap_changes, name="rekap_changes"),
    path("rekap/<int:pk>/setujui/", rekap_views.rekap_approve_view, name="rekap_approve"),
    path("rekap/<int:pk>/kirim/", rekap_views.rekap_send, name="rekap_send"),
    path("rekap/pengiriman/<int:pk>/hapus/", rekap_views.rekap_sending_delete, name="rekap_sending_delete"),
    path("rekap/<int:pk>/unduh.<str:fmt>", rekap_views.rekap_download, name="rekap_download"),
    path("rekap/verifikasi/<uuid:token>/", rekap_views.rekap_verify, name="rekap_verify"),
    path("peta/", rekap_views.region_map_view, name="region_map"),
    path("rat/", rat_views.rat_queue, name="rat_queue"),
    path("rat/kelengkapan/", rat_views.rat_completeness_view, name="rat_completeness"),
    path("rat/kelengkapan/belum-lapor.xlsx", rat_views.rat_missing_export, name="rat_missing_export"),
    path("rat/koperasi/<int:cooperative_pk>/mulai/", rat_views.rat_start, name="rat_start"),
    path("rat/<int:pk>/", rat_views.rat_detail, name="rat_detail"),
    path("rat/<int:pk>/isi/", rat_views.rat_edit, name="rat_edit"),
    path("rat/<int:pk>/lampiran/", rat_views.rat_attachment_upload, name="rat_attachment_upload"),
    path("rat/<int:pk>/kembalikan/", rat_views.rat_return, name="rat_return"),
    path("rat/lampiran/<int:pk>/", rat_views.rat_attachment, name="rat_attachment"),
    path("rat/lampiran/<int:pk>/hapus/", rat_views.rat_attachment_delete, name="rat_attachment_delete"),
]
# fmt: on
