from django.urls import path

from . import views

app_name = "cooperatives"
urlpatterns = [
    path("", views.cooperative_list, name="list"),
    path("baru/", views.cooperative_create, name="create"),
    path("<int:pk>/", views.cooperative_detail, name="detail"),
    path("<int:pk>/ubah/", views.cooperative_edit, name="edit"),
    path("<int:pk>/status/", views.cooperative_status_change, name="status_change"),
    path("<int:pk>/keragaan/", views.figures_edit, name="figures_edit"),
    path("<int:pk>/pengurus/", views.officer_add, name="officer_add"),
    path(
        "pengurus/<int:pk>/nonaktifkan/",
        views.officer_deactivate,
        name="officer_deactivate",
    ),
]
