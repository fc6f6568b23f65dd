"""The public search's form: one box for name, NIK or kelurahan, three filters.

A plain form rather than a django-filter ``FilterSet`` (as the staff list has):
a FilterSet copies its filters and builds a form class on every request, twice
the time of the form alone on the page every visitor's search renders."""

from functools import cached_property, lru_cache
from typing import NamedTuple

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative, CooperativeStatus, Jenis
from cooperatives.search import RANK, cooperative_search, is_search

from .selectors import kecamatan_choices, regions


class PublicSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Cari koperasi: nama, NIK, atau kelurahan"),
        max_length=100,
        required=False,
    )
    jenis = forms.ChoiceField(
        label=_("Jenis"),
        choices=lambda: [("", _("Semua jenis")), *Jenis.choices],
        required=False,
    )
    kecamatan = forms.TypedChoiceField(
        label=_("Kecamatan"),
        choices=lambda: [("", _("Semua kecamatan")), *kecamatan_choices()],
        coerce=int,
        empty_value=None,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=lambda: [("", _("Semua status")), *CooperativeStatus.choices],
        required=False,
    )


class PublicCooperativeFilter:
    """The cooperatives of ``queryset`` that the public search's parameters
    (``data``) ask for, in a stable order (``qs``). A parameter that is not valid
    (an unknown jenis, a kecamatan that is no number) is left out of the search;
    the API answers it with the form's errors."""

    def __init__(
        self,
        data: QueryDict | None = None,
        queryset: QuerySet[Cooperative] | None = None,
    ) -> None:
        self.data = data if data is not None else QueryDict()
        self.queryset = queryset
        self.form = PublicSearchForm(data)

    @cached_property
    def qs(self) -> QuerySet[Cooperative]:
        assert self.queryset is not None, "a search needs its queryset"
        queryset = self.queryset
        if self.problems:
            # A text the box cannot take (over 100 characters, a NUL) finds
            # nothing, and the page says why: not every cooperative.
            return queryset.none().order_by("name", "id")
        # Only the parameters that were valid.
        values = self.form.cleaned_data
        if values.get("q"):
            # The one search (``cooperatives.search``), as staff and the API use it.
            queryset = cooperative_search(queryset, values["q"])
        if values.get("jenis"):
            queryset = queryset.filter(jenis=values["jenis"])
        if values.get("kecamatan") is not None:
            # By kelurahan ids rather than a join: one bitmap scan of the name
            # index for the whole kecamatan instead of one per kelurahan.
            kelurahan = regions()["kelurahan"].get(values["kecamatan"], [])
            queryset = queryset.filter(kelurahan_id__in=kelurahan)
        if values.get("status"):
            queryset = queryset.filter(status=values["status"])
        # A stable order, so that pages never repeat or skip a row.
        if is_search(queryset):
            return queryset.order_by(RANK, "name", "id")
        return queryset.order_by("name", "id")

    @cached_property
    def problems(self) -> list[str]:
        """What is wrong with the search text, for the page to say. A filter value
        that is not one of its choices (from an edited address) is left out
        quietly: the boxes show what is searched."""
        return [str(message) for message in self.form.errors.get("q", [])]

    def controls(self) -> tuple["Control", ...]:
        """The three filters as plain select boxes for the template, the chosen
        option marked. Cheaper than rendering the form's fields, which builds a
        bound field and a widget per option; made once per language, kecamatan
        list and choice in each process (``_controls``): building the options'
        labels was a twentieth of a search page's time."""
        chosen = tuple(str(self.data.get(name, "") or "") for name in _FILTERS)
        return _controls(get_language(), chosen, tuple(kecamatan_choices()))


class Control(NamedTuple):
    """A select box: its name, id, label and (value, label, chosen) options."""

    name: str
    id: str
    label: str
    options: tuple[tuple[str, str, bool], ...]


_FILTERS = ("jenis", "kecamatan", "status")


@lru_cache(maxsize=512)
def _controls(
    language: str, chosen: tuple[str, ...], kecamatan: tuple[tuple[int, str], ...]
) -> tuple[Control, ...]:
    """``PublicCooperativeFilter.controls`` for the active ``language`` (the
    labels' translation) and the ``kecamatan`` list its choices are made of."""
    fields = PublicSearchForm.base_fields
    return tuple(
        Control(
            name=name,
            id=f"id_{name}",
            label=str(fields[name].label),
            options=tuple(
                (str(value), str(label), str(value) == choice)
                for value, label in getattr(fields[name], "choices", [])
            ),
        )
        for name, choice in zip(_FILTERS, chosen, strict=True)
    )
