"""A cooperative's page, mounted by ``koperasi_registry/urls.py`` in the
``cooperatives`` namespace at ``/koperasi/<pk>/``, the address and name it has
always had."""

from django.urls import path

from . import views

cooperative_patterns = [
    path("<int:pk>/", views.cooperative_detail, name="detail"),
]
