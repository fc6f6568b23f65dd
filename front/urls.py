"""Pages of several apps, mounted by ``koperasi_registry/urls.py`` in the
namespace and at the address they have always had: a cooperative's page
(``cooperatives:detail``, ``/koperasi/<pk>/``) and a RAT report's acceptance,
which is campaign evidence as well (``reports:rat_accept``)."""

from django.urls import path

from . import views

cooperative_patterns = [
    path("<int:pk>/", views.cooperative_detail, name="detail"),
]
# Mounted in the ``reports`` namespace at ``/laporan/``.
report_patterns = [
    path("rat/<int:pk>/terima/", views.rat_accept, name="rat_accept"),
]
