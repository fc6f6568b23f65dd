from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<int:year>/", views.campaign_detail, name="detail"),
    path("<int:year>/buka/", views.campaign_open, name="open"),
    path("<int:year>/putuskan/", views.bulk_decide, name="bulk_decide"),
    path("<int:year>/tutup/", views.campaign_close, name="close"),
    path("proses/<int:pk>/", views.job_detail, name="job"),
    path("koperasi/<int:pk>/", views.item_detail, name="item"),
    path("koperasi/<int:pk>/putuskan/", views.item_decide, name="item_decide"),
]
