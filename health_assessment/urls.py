from django.urls import path

from . import views

app_name = "health_assessment"
# One route a line, past 88 columns where it must: the table reads, and greps, as a
# table (address, view, name).
# fmt: off
urlpatterns = [
    path("statistik/", views.assessment_statistics, name="statistics"),
    path("koperasi/<int:cooperative_pk>/mulai/", views.assessment_start, name="start"),
    path("koperasi/<int:cooperative_pk>/hasil-lama/", views.historic_result_create, name="historic_create"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/isi/", views.assessment_edit, name="edit"),
    path("<int:pk>/hitung/", views.assessment_live, name="live"),
    path("<int:pk>/revisi/", views.assessment_revise, name="revise"),
    path("<int:pk>/pdf/", views.assessment_pdf, name="pdf"),
]
# fmt: on
