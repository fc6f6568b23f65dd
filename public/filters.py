from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative, CooperativeStatus, Jenis
from cooperatives.search import RANK, cooperative_search, is_search

from .selectors import kecamatan_choices, regions


class PublicCooperativeFilter(django_filters.FilterSet):
    """The public search: one box for name, NIK or kelurahan, three filters."""

    q = django_filters.CharFilter(
        label=_("Cari koperasi: nama, NIK, atau kelurahan"),
        method="search",
        max_length=100,
    )
    jenis = django_filters.ChoiceFilter(
        label=_("Jenis"), choices=Jenis.choices, empty_label=_("Semua jenis")
    )
    kecamatan = django_filters.TypedChoiceFilter(
        label=_("Kecamatan"),
        method="in_kecamatan",
        choices=lambda: [("", _("Semua kecamatan")), *kecamatan_choices()],
        coerce=int,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=CooperativeStatus.choices,
        empty_label=_("Semua status"),
    )

    class Meta:
        model = Cooperative
        fields: list[str] = []

    def search(
        self, queryset: QuerySet[Cooperative], name: str, value: str
    ) -> QuerySet[Cooperative]:
        """The one search (``cooperatives.search``), as staff and the API use it."""
        return cooperative_search(queryset, value)

    def in_kecamatan(
        self, queryset: QuerySet[Cooperative], name: str, value: int | None
    ) -> QuerySet[Cooperative]:
        # By kelurahan ids rather than a join: one bitmap scan of the name index
        # for the whole kecamatan instead of one per kelurahan.
        if value is None or value == "":
            return queryset
        return queryset.filter(kelurahan_id__in=regions()["kelurahan"].get(value, []))

    def controls(self) -> list[dict[str, Any]]:
        """The three filters as plain select boxes for the template: name, label and
        (value, label, selected) options. Cheaper than rendering the form's fields,
        which builds a bound field and a widget per option."""
        controls = []
        for name in ("jenis", "kecamatan", "status"):
            field = self.form.fields[name]
            chosen = str(self.data.get(name, "") or "")
            options = [
                (str(value), str(label), str(value) == chosen)
                for value, label in getattr(field, "choices", [])
            ]
            controls.append(
                {
                    "name": name,
                    "id": f"id_{name}",
                    "label": field.label,
                    "options": options,
                }
            )
        return controls

    @property
    def qs(self) -> QuerySet[Cooperative]:
        # A stable order, so that pages never repeat or skip a row.
        queryset = super().qs
        if is_search(queryset):
            return queryset.order_by(RANK, "name", "id")
        return queryset.order_by("name", "id")
