import django_filters
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cooperatives.models import (
    Cooperative,
    CooperativeStatus,
    Jenis,
    Kecamatan,
    Kelurahan,
)


def kecamatan_choices() -> list[tuple[int, str]]:
    """The city's kecamatan (six of them), kept in the cache for an hour: every
    search page lists them."""
    choices = cache.get("public:kecamatan")
    if choices is None:
        choices = list(Kecamatan.objects.order_by("name").values_list("pk", "name"))
        cache.set("public:kecamatan", choices, 3600)
    return list(choices)


class PublicCooperativeFilter(django_filters.FilterSet):
    """The public search: one box for name, NIK or kelurahan, three filters."""

    q = django_filters.CharFilter(
        label=_("Cari koperasi: nama, NIK, atau kelurahan"),
        method="search",
        max_length=100,
    )
    jenis = django_filters.ChoiceFilter(label=_("Jenis"), choices=Jenis.choices)
    kecamatan = django_filters.TypedChoiceFilter(
        label=_("Kecamatan"),
        field_name="kelurahan__kecamatan_id",
        choices=lambda: [("", "---------"), *kecamatan_choices()],
        coerce=int,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CooperativeStatus.choices
    )

    class Meta:
        model = Cooperative
        fields: list[str] = []

    def search(
        self, queryset: QuerySet[Cooperative], name: str, value: str
    ) -> QuerySet[Cooperative]:
        value = value.strip()
        if not value:
            return queryset
        # The kelurahan (34 of them) are looked up first, so that the planner can
        # combine the name and NIK trigram indexes with the kelurahan index instead
        # of scanning every cooperative for a sub-select.
        places = list(
            Kelurahan.objects.filter(name__icontains=value).values_list("pk", flat=True)
        )
        condition = Q(name__icontains=value) | Q(nik__startswith=value)
        if places:
            condition |= Q(kelurahan_id__in=places)
        return queryset.filter(condition)

    @property
    def qs(self) -> QuerySet[Cooperative]:
        # A stable order, so that pages never repeat or skip a row.
        return super().qs.order_by("name", "id")
