"""Forms of the campaign pages. They validate and normalise; services write."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.models import CooperativeStatus

from .services.decisions import DECIDABLE


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CampaignCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    window_years = forms.IntegerField(
        label=_("Jangka waktu RAT (tahun buku)"), min_value=1, max_value=10, initial=3
    )
    cutoff_date = forms.DateField(
        label=_("Tanggal batas"),
        required=False,
        widget=DateInput(),
        help_text=_("Kosongkan untuk 31 Maret tahun berikutnya."),
    )


class DecisionForm(forms.Form):
    new_status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, CooperativeStatus(s).label) for s in DECIDABLE],
    )
    reason = forms.CharField(
        label=_("Alasan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    effective_date = forms.DateField(
        label=_("Berlaku sejak"), required=False, widget=DateInput()
    )

    def clean_effective_date(self) -> datetime.date:
        value = self.cleaned_data.get("effective_date") or timezone.localdate()
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal berlaku tidak boleh di masa depan."))
        return value
