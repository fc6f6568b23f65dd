"""Forms of the RAT report: the officer's report, its attachments, the staff's
review and the queue's filters. They validate; the services write."""

from datetime import timedelta
from typing import Any

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import DecimalField, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Jenis, Kecamatan
from lib.forms import (
    RupiahField,
    YearQueryForm,
    submit_helper,
    validate_year_in_range,
)

from .models import AttachmentKind, RatReport, RatStatus
from .rat import ATTACHMENTS_KEY, REPORT_FIELDS
from .selectors import report_check

# The Rupiah amounts: typed as ``1.250.000``, checked by RupiahField.
MONEY_FIELDS = tuple(
    name
    for name in REPORT_FIELDS
    if isinstance(RatReport._meta.get_field(name), DecimalField)
)
# Equity and SHU are negative after losses; every other amount never is.
SIGNED_FIELDS = ("ekuitas", "shu")
CONFIRM_FIELDS = ("confirm_member_jump", "confirm_late_meeting")
# Fields a reviewer can comment on: the report's own plus its documents.
COMMENTABLE = tuple(name for name in REPORT_FIELDS if name not in CONFIRM_FIELDS)


class RatStartForm(forms.Form):
    """The tahun buku a report is started for (from the portal or, for a paper
    report, the cooperative's page; both forms are written in their templates)."""

    tahun_buku = forms.IntegerField(label=_("Tahun buku"), min_value=1990)

    def clean_tahun_buku(self) -> int:
        year: int = self.cleaned_data["tahun_buku"]
        if year >= timezone.localdate().year:
            raise forms.ValidationError(
                _("Laporan RAT hanya untuk tahun buku yang sudah berakhir.")
            )
        return year


class RatReportForm(forms.ModelForm):
    """The officer's report. Every save runs the consistency checks of
    ``reports.rat``; a warning is silenced by ticking its confirmation."""

    class Meta:
        model = RatReport
        fields = list(REPORT_FIELDS)
        widgets = {
            "meeting_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "pengurus_terpilih": forms.Textarea(attrs={"rows": 3}),
            "pengawas_terpilih": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "pengurus_terpilih": _("Satu orang per baris: nama — jabatan."),
            "pengawas_terpilih": _("Satu orang per baris: nama — jabatan."),
            "quorum": _("Jumlah kehadiran minimal menurut AD/ART."),
        }

    def __init__(
        self, *args: Any, comments: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in MONEY_FIELDS:
            label = self.fields[name].label
            self.fields[name] = RupiahField(label=label, required=False)
            if name not in SIGNED_FIELDS:
                self.fields[name].validators.append(MinValueValidator(0))
            # The column's size: 16 digits of whole Rupiah (max_digits 18, 2 sen).
            self.fields[name].validators.append(MaxValueValidator(10**16 - 1))
        self.comments = comments or {}
        for name, comment in self.comments.items():
            if name in self.fields:
                field = self.fields[name]
                field.help_text = _("Perlu diperbaiki: %(comment)s") % {
                    "comment": comment
                }
                field.widget.attrs["class"] = "border-warning border-2"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Rapat"),
                Row(Column("meeting_date"), Column("meeting_mode")),
                Row(Column("members_present"), Column("quorum")),
            ),
            Fieldset(
                _("Anggota dan pengurus baru"),
                Row(Column("members_male"), Column("members_female")),
                Row(Column("pengurus_terpilih"), Column("pengawas_terpilih")),
            ),
            Fieldset(
                _("Ringkasan keuangan (Rupiah)"),
                Row(Column("aset"), Column("kewajiban"), Column("ekuitas")),
                Row(Column("modal_luar"), Column("volume_usaha")),
                Row(Column("pendapatan"), Column("beban"), Column("shu")),
            ),
            Fieldset(
                _("Pembagian SHU"),
                Row(
                    Column("shu_cadangan"), Column("shu_anggota"), Column("shu_lainnya")
                ),
            ),
            Fieldset(
                _("Konfirmasi"),
                HTML(
                    '<p class="small text-body-secondary">'
                    + str(_("Centang hanya bila pemeriksaan di atas memintanya."))
                    + "</p>"
                ),
                "confirm_member_jump",
                "confirm_late_meeting",
            ),
            HTML('<div id="balance-hint" class="small mb-2" aria-live="polite"></div>'),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        values = {name: cleaned.get(name) for name in REPORT_FIELDS}
        for problem in report_check(self.instance, values):
            self.add_error(problem.field or None, problem.message)
        return cleaned


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Dokumen"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("Berkas"),
        help_text=_("PDF, JPEG atau PNG."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(
            str(_("Unggah")), Row(Column("kind"), Column("file"))
        )
        self.helper.form_tag = False


class ReturnForm(forms.Form):
    """Send back: a general note and, optionally, one comment per field or document."""

    note = forms.CharField(
        label=_("Catatan untuk pengurus"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.comment_names():
            self.fields[f"komentar_{name}"] = forms.CharField(
                required=False, max_length=500
            )

    @staticmethod
    def comment_names() -> list[str]:
        return [*COMMENTABLE, *AttachmentKind.values, ATTACHMENTS_KEY]

    def field_comments(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"komentar_{name}"]
            for name in self.comment_names()
            if self.cleaned_data.get(f"komentar_{name}")
        }


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan (opsional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


WAITING_CHOICES = [
    ("7", _("lebih dari 7 hari")),
    ("14", _("lebih dari 14 hari")),
    ("30", _("lebih dari 30 hari")),
]


class RatQueueFilter(django_filters.FilterSet):
    tahun_buku = django_filters.NumberFilter(
        label=_("Tahun buku"), validators=[validate_year_in_range]
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in RatStatus.choices if c[0] != RatStatus.DRAFT],
    )
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"),
        field_name="cooperative__kelurahan__kecamatan",
        queryset=Kecamatan.objects.order_by("name"),
    )
    jenis = django_filters.ChoiceFilter(
        label=_("Jenis"), field_name="cooperative__jenis", choices=Jenis.choices
    )
    menunggu = django_filters.ChoiceFilter(
        label=_("Menunggu"), choices=WAITING_CHOICES, method="waiting"
    )

    class Meta:
        model = RatReport
        fields: list[str] = []

    def waiting(
        self, queryset: QuerySet[RatReport], name: str, value: str
    ) -> QuerySet[RatReport]:
        since = timezone.now() - timedelta(days=int(value))
        return queryset.filter(status=RatStatus.DIAJUKAN, submitted_at__lt=since)


class CompletenessForm(YearQueryForm):
    """The year of the completeness page and its export."""
