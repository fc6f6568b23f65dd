from django.urls import path

from . import download_views, evidence_views, letter_views, public_views, views

app_name = "campaigns"
# One route a line, past 88 columns where it must: the table reads, and greps, as a
# table (address, view, name).
# fmt: off
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<int:year>/", views.campaign_detail, name="detail"),
    path("<int:year>/buka/", views.campaign_open, name="open"),
    path("<int:year>/hapus/", views.campaign_delete, name="delete"),
    path("<int:year>/putuskan/", views.bulk_decide, name="bulk_decide"),
    path("<int:year>/tutup/", views.campaign_close, name="close"),
    path("proses/<int:pk>/", views.job_detail, name="job"),
    path("koperasi/<int:pk>/", views.item_detail, name="item"),
    path("koperasi/<int:pk>/putuskan/", views.item_decide, name="item_decide"),
    path("koperasi/<int:pk>/konfirmasi/", evidence_views.confirm, name="confirm"),
    path("konfirmasi/terkirim/", evidence_views.confirm_link_done, name="confirm_link_done"),
    path("konfirmasi/<str:token>/", evidence_views.confirm_by_link, name="confirm_link"),
    path("bukti/<int:pk>/periksa/", evidence_views.evidence_review, name="review"),
    path("<int:year>/kunjungan/", evidence_views.visit_kelurahan, name="visit_kelurahan"),
    path("<int:year>/kunjungan/<int:kelurahan>/", evidence_views.visit_list, name="visit_list"),
    path("koperasi/<int:pk>/kunjungan/", evidence_views.visit_form, name="visit"),
    path("bukti/<int:pk>/<str:what>/<int:photo>/", evidence_views.evidence_file, name="evidence_file"),
    path("<int:year>/surat/", letter_views.letters, name="letters"),
    path("<int:year>/surat/pengaturan/", letter_views.letter_settings, name="letter_settings"),
    path("surat/<int:pk>/pdf/", letter_views.letter_pdf, name="letter_pdf"),
    path("proses/<int:pk>/unduh/", letter_views.job_download, name="job_download"),
    path("surat/<str:token>/", letter_views.verify_letter, name="verify_letter"),
    path("surat/<uuid:token>/pdf/", letter_views.verify_letter_pdf, name="verify_letter_pdf"),
    path("<int:year>/keberatan/", views.objections, name="objections"),
    path("keberatan/<int:pk>/putuskan/", views.objection_decide, name="objection_decide"),
    path("keberatan/<int:pk>/dokumen/", views.objection_document, name="objection_document"),
    path("pengumuman/", public_views.objection_period_list, name="objection_period"),
    path("pengumuman/<int:pk>/keberatan/", public_views.objection_create, name="objection_create"),
    path("pengumuman/<int:pk>/keberatan/terkirim/", public_views.objection_done, name="objection_done"),
    path("<int:year>/unduhan/", download_views.downloads, name="downloads"),
    path("<int:year>/unduhan/<str:what>/", download_views.download, name="download"),
]
# fmt: on
