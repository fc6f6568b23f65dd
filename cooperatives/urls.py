from django.urls import path

from . import import_views, letter_views, views

app_name = "cooperatives"
# The cooperative's own page ("detail") combines the RAT and health panels, so it
# lives in front/ and koperasi_registry/urls.py adds it to this namespace.
# One route a line, past 88 columns where it must: the table reads, and greps, as a
# table (address, view, name).
# fmt: off
urlpatterns = [
    path("", views.cooperative_list, name="list"),
    path("baru/", views.cooperative_create, name="create"),
    path("<int:pk>/ubah/", views.cooperative_edit, name="edit"),
    path("<int:pk>/status/", views.cooperative_status_change, name="status_change"),
    path("<int:pk>/keragaan/", views.figures_edit, name="figures_edit"),
    path("<int:pk>/pengurus/", views.officer_add, name="officer_add"),
    path("pengurus/<int:pk>/nonaktifkan/", views.officer_deactivate, name="officer_deactivate"),
    path("pengurus/<int:pk>/ubah/", views.officer_edit, name="officer_edit"),
    path("pengurus/<int:pk>/pemberitahuan/", views.officer_notifications, name="officer_notifications"),
    path("pengurus/<int:pk>/undang/", views.officer_invite, name="officer_invite"),
    path("pengurus/<int:pk>/kata-sandi/", views.officer_password_link, name="officer_password_link"),
    path("undangan/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<int:pk>/surat-status/", letter_views.status_letter_issue, name="status_letter_issue"),
    path("surat-status/<int:pk>/pdf/", letter_views.status_letter_pdf, name="status_letter_pdf"),
    path("surat-status/<int:pk>/cabut/", letter_views.status_letter_revoke, name="status_letter_revoke"),
    path("impor/", import_views.import_list, name="import_list"),
    path("impor/unggah/", import_views.import_create, name="import_create"),
    path("impor/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("impor/<int:pk>/terapkan/", import_views.import_apply, name="import_apply"),
    path("impor/<int:pk>/batal/", import_views.import_cancel, name="import_cancel"),
    path("impor/<int:pk>/kelompok/", import_views.import_map_kelompok, name="import_map_kelompok"),
    path("impor/<int:pk>/urungkan/", import_views.import_undo, name="import_undo"),
    path("impor/<int:pk>/baris-ditolak/", import_views.import_rejected_download, name="import_rejected"),
]
# fmt: on
