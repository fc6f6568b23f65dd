import datetime
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.models import KabupatenKota, Kecamatan
from lib.forms import LineField, PlausibleDateField, WholeNumberField

from .definitions import DEFINITIONS


def scope_choices() -> list[tuple[str, str]]:
    """The office's kab/kota, then each of its kecamatan."""
    code = settings.OFFICE_KABKOTA_CODE
    kabkota = KabupatenKota.objects.filter(kemendagri_code=code).first()
    choices = [(code, kabkota.name if kabkota else code)]
    choices += [
        (k.kemendagri_code, f"{_('Kecamatan')} {k.name}")
        for k in Kecamatan.objects.filter(kabkota__kemendagri_code=code).order_by(
            "name"
        )
    ]
    return choices


class RekapMakeForm(forms.Form):
    code = forms.ChoiceField(label=_("Laporan"))
    tahun_buku = WholeNumberField(label=_("Tahun buku"), min_value=2000)
    as_of = PlausibleDateField(
        label=_("Keadaan per"),
        required=False,
        help_text=_(
            "Tanggal keadaan yang dicantumkan pada laporan; kosongkan untuk 31 "
            "Desember tahun buku (atau hari ini, untuk tahun berjalan). Angkanya "
            "diambil dari registri saat rekap dibekukan: bekukan segera setelah "
            "tanggal ini."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    scope_code = forms.ChoiceField(label=_("Cakupan"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code_field = self.fields["code"]
        scope_field = self.fields["scope_code"]
        assert isinstance(code_field, forms.ChoiceField)
        assert isinstance(scope_field, forms.ChoiceField)
        code_field.choices = [(code, str(d.title)) for code, d in DEFINITIONS.items()]
        scope_field.choices = scope_choices()
        self.fields["tahun_buku"].widget.attrs["max"] = timezone.localdate().year
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_tahun_buku(self) -> int:
        year: int = self.cleaned_data["tahun_buku"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("Tahun buku belum dimulai."))
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        if data.get("tahun_buku") and not data.get("as_of"):
            data["as_of"] = min(datetime.date(data["tahun_buku"], 12, 31), today)
        if (
            data.get("as_of")
            and data.get("tahun_buku")
            and data["as_of"] < datetime.date(data["tahun_buku"], 1, 1)
        ):
            self.add_error(
                "as_of",
                _("Keadaan per tidak boleh sebelum tahun buku %(year)s dimulai.")
                % {"year": data["tahun_buku"]},
            )
        if data.get("as_of") and data["as_of"] > today:
            self.add_error(
                "as_of",
                _(
                    "Keadaan per tidak boleh di masa depan: angka rekap diambil dari "
                    "registri saat dibekukan."
                ),
            )
        if data.get("tahun_buku") and data.get("code") in DEFINITIONS:
            refusal = DEFINITIONS[data["code"]].refusal(data["tahun_buku"])
            if refusal:
                self.add_error("code", refusal)
        return data


class RekapSendForm(forms.Form):
    sent_to = LineField(label=_("Penerima"), max_length=200)
    sent_on = PlausibleDateField(
        label=_("Tanggal kirim"), widget=forms.DateInput(attrs={"type": "date"})
    )
    nomor_surat = LineField(label=_("Nomor surat"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_sent_on(self) -> datetime.date:
        sent_on: datetime.date = self.cleaned_data["sent_on"]
        if sent_on > timezone.localdate():
            raise forms.ValidationError(_("Tanggal kirim tidak boleh di masa depan."))
        return sent_on
