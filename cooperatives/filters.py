from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import (
    Bentuk,
    Cooperative,
    CooperativeStatus,
    Jenis,
    Kecamatan,
    Kelompok,
    Kelurahan,
    Pola,
)
from .search import RANK, cooperative_search, is_search


class KelurahanSelect(forms.Select):
    """Each kelurahan option names its kecamatan (``data-kecamatan``), so that the
    page offers only those of the chosen kecamatan (app.js, ``data-narrowed-by``)."""

    def __init__(self) -> None:
        super().__init__(attrs={"data-narrowed-by": "kecamatan"})

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        instance = getattr(option["value"], "instance", None)
        if instance is not None:
            option["attrs"]["data-kecamatan"] = str(instance.kecamatan_id)
        return option


class KelurahanField(django_filters.fields.ModelChoiceField):
    widget = KelurahanSelect

    def label_from_instance(self, obj: Kelurahan) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.kecamatan.name})"


class KelurahanChoice(django_filters.ModelChoiceFilter):
    field_class = KelurahanField


class KelompokField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: Kelompok) -> str:  # type: ignore[override]
        return obj.label


class KelompokChoice(django_filters.ModelChoiceFilter):
    field_class = KelompokField


class Ordering(django_filters.OrderingFilter):
    """Sort choices in the page's language. django-filter builds its
    "%s (descending)" once, when the class is defined, in the language of that
    moment (and has no Indonesian): here each label stays lazy."""

    def build_choices(
        self, fields: dict[str, str], labels: dict[str, Any]
    ) -> list[tuple[str, Any]]:
        choices = []
        for field, param in fields.items():
            label = labels.get(field, param)
            choices.append((param, label))
            choices.append((f"-{param}", format_lazy(_("{} (menurun)"), label)))
        return choices


class CooperativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search", max_length=100)
    jenis = django_filters.ChoiceFilter(
        label=_("Jenis"), choices=Jenis.choices, empty_label=_("Semua jenis")
    )
    pola = django_filters.ChoiceFilter(
        label=_("Pola"), choices=Pola.choices, empty_label=_("Semua pola")
    )
    bentuk = django_filters.ChoiceFilter(
        label=_("Bentuk"), choices=Bentuk.choices, empty_label=_("Semua bentuk")
    )
    kelompok = KelompokChoice(
        label=_("Kelompok"),
        queryset=Kelompok.objects.all(),
        empty_label=_("Semua kelompok"),
    )
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"),
        field_name="kelurahan__kecamatan",
        queryset=Kecamatan.objects.order_by("name"),
        empty_label=_("Semua kecamatan"),
    )
    kelurahan = KelurahanChoice(
        label=_("Kelurahan"),
        queryset=Kelurahan.objects.select_related("kecamatan").order_by("name"),
        empty_label=_("Semua kelurahan"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=CooperativeStatus.choices,
        empty_label=_("Semua status"),
    )
    o = Ordering(
        label=_("Urutkan"),
        empty_label=_("Nama (bawaan)"),
        fields=(
            ("name", "nama"),
            ("nik", "nik"),
            ("kelurahan__kecamatan__name", "kecamatan"),
            ("jenis", "jenis"),
            ("status", "status"),
            ("last_rat_date", "rat"),
            ("tanggal_badan_hukum", "tanggal_bh"),
        ),
        field_labels={
            "name": _("Nama"),
            "nik": _("NIK"),
            "kelurahan__kecamatan__name": _("Kecamatan"),
            "jenis": _("Jenis"),
            "status": _("Status"),
            "last_rat_date": _("RAT terakhir"),
            "tanggal_badan_hukum": _("Tanggal badan hukum"),
        },
    )

    class Meta:
        model = Cooperative
        fields: list[str] = []

    def search(
        self, queryset: QuerySet[Cooperative], name: str, value: str
    ) -> QuerySet[Cooperative]:
        """The one search (``cooperatives.search``): name words in any order, small
        typos forgiven, an exact NIK or nomor badan hukum first."""
        return cooperative_search(queryset, value)

    @property
    def region_mismatch(self) -> str:
        """Why the list is empty when the kelurahan chosen lies in another
        kecamatan than the one chosen ("0 koperasi" said nothing), else ""."""
        if not self.form.is_valid():
            return ""
        kecamatan = self.form.cleaned_data.get("kecamatan")
        kelurahan = self.form.cleaned_data.get("kelurahan")
        if kecamatan is None or kelurahan is None:
            return ""
        if kelurahan.kecamatan_id == kecamatan.pk:
            return ""
        return gettext(
            "Kelurahan %(kelurahan)s ada di Kecamatan %(actual)s, bukan %(chosen)s: "
            "tidak ada koperasi yang memenuhi keduanya."
        ) % {
            "kelurahan": kelurahan.name,
            "actual": kelurahan.kecamatan.name,
            "chosen": kecamatan.name,
        }

    @property
    def qs(self) -> QuerySet[Cooperative]:
        queryset = super().qs
        # A stable order under every sort, so that pagination never repeats a row.
        ordering = list(queryset.query.order_by) or ["name"]
        if is_search(queryset):
            ordering.insert(0, RANK)
        return queryset.order_by(*ordering, "id")
