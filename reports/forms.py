"""Forms of the RAT report: the officer's report, its attachments, the staff's
review and the queue's filters. They validate; the services write."""

from datetime import timedelta
from typing import Any

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.conf import settings
from django.db.models import DecimalField, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Jenis, Kecamatan
from lib.display import help_text, shown
from lib.forms import (
    CountField,
    LinesField,
    PlausibleDateField,
    RupiahField,
    WholeNumberField,
    YearQueryForm,
    not_negative,
    size_checked,
    submit_helper,
    tahun_buku_ended,
    validate_year_in_range,
)
from lib.meanwhile import EditedMeanwhile

from .last_year import HABITS
from .models import AttachmentKind, MeetingMode, RatReport, RatStatus
from .rat import ATTACHMENTS_KEY, REPORT_FIELDS, REQUIRED_FIELDS

# The Rupiah amounts: typed as ``1.250.000``, checked by RupiahField.
MONEY_FIELDS = tuple(
    name
    for name in REPORT_FIELDS
    if isinstance(RatReport._meta.get_field(name), DecimalField)
)
# Equity and SHU are negative after losses; every other amount never is.
SIGNED_FIELDS = ("ekuitas", "shu")
CONFIRM_FIELDS = ("confirm_member_jump", "confirm_late_meeting", "confirm_same_figures")
COUNT_FIELDS = ("members_present", "quorum", "members_male", "members_female")
# Fields a reviewer can comment on: the report's own plus its documents.
COMMENTABLE = tuple(name for name in REPORT_FIELDS if name not in CONFIRM_FIELDS)


class RatStartForm(forms.Form):
    """The tahun buku a report is started for (from the portal or, for a paper
    report, the cooperative's page; both forms are written in their templates)."""

    tahun_buku = WholeNumberField(
        label=_("Tahun buku"),
        min_value=1990,
        validators=[
            tahun_buku_ended(
                _("Laporan RAT hanya untuk tahun buku yang sudah berakhir.")
            )
        ],
    )


# Last year's values shown beside their field, never taken as this year's: the
# meeting itself is new each year.
_SHOWN_ONLY = {"meeting_date"}


def _opening(
    report: RatReport | None, last_year: dict[str, Any], own_year: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """What a report none of whose values were saved yet opens with, and from
    where: the registry's figures of its own tahun buku (an ODS import, a
    correction) with last year's way of meeting, else last year's. Never a mix
    of figures: this year's aset beside last year's pendapatan would read as one
    year's accounts. Once saved, a field left empty (emptied, or its value
    refused) stays empty, with last year's figure beside it, never taken unseen."""
    carried = {n: v for n, v in last_year.items() if n not in _SHOWN_ONLY}
    if any(
        getattr(report, name, None) not in (None, "") for name in {*carried, *own_year}
    ):
        return "", {}
    if own_year:
        habits = {n: v for n, v in carried.items() if n in HABITS}
        return "own_year", {**habits, **own_year}
    return ("last_year", carried) if carried else ("", {})


class RatReportForm(EditedMeanwhile, forms.ModelForm):
    """The officer's report. It checks each value's type and range only: a draft
    saves whatever is consistent with itself, and the checks of ``reports.rat`` are
    shown by the page as a summary (they block the submission, not the draft).

    A new report opens with ``own_year`` or ``last_year`` (``_opening``);
    ``last_year`` (``last_year.last_year_values``) is shown beside each field as
    "tahun lalu: ..."."""

    class Meta:
        model = RatReport
        fields = list(REPORT_FIELDS)
        widgets = {
            "meeting_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "pengurus_terpilih": forms.Textarea(attrs={"rows": 3}),
            "pengawas_terpilih": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes: dict[str, type[forms.Field]] = {
            "meeting_date": PlausibleDateField,
            "pengurus_terpilih": LinesField,
            "pengawas_terpilih": LinesField,
        }
        help_texts = {
            "pengurus_terpilih": _("Satu orang per baris: nama — jabatan."),
            "pengawas_terpilih": _("Satu orang per baris: nama — jabatan."),
            "quorum": _("Jumlah kehadiran minimal menurut AD/ART."),
        }

    def __init__(
        self,
        data: Any = None,
        *args: Any,
        comments: dict[str, str] | None = None,
        last_year: dict[str, Any] | None = None,
        own_year: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        last_year = last_year or {}
        # Where the figures a new report opens with come from, for the page to
        # say ("own_year", "last_year"); given as the form's initial values, so
        # that EditedMeanwhile marks them as what the page showed.
        opening: dict[str, Any] = {}
        self.opened_with = ""
        if data is None:
            self.opened_with, opening = _opening(
                kwargs.get("instance"), last_year, own_year or {}
            )
        kwargs["initial"] = {**opening, **kwargs.get("initial", {})}
        super().__init__(data, *args, **kwargs)
        for name in MONEY_FIELDS:
            label = self.fields[name].label
            self.fields[name] = RupiahField(label=label, required=False)
            if name not in SIGNED_FIELDS:
                self.fields[name].validators.append(not_negative())
            # A numeric keyboard on phones; static/js/rat_report.js groups the
            # digits as they are typed. A loss needs the minus sign: decimal.
            signed = name in SIGNED_FIELDS
            self.fields[name].widget.attrs.update(
                {"inputmode": "decimal" if signed else "numeric", "data-rupiah": ""}
            )
        for name in COUNT_FIELDS:
            field = self.fields[name]
            self.fields[name] = CountField(
                label=field.label,
                required=field.required,
                min_value=0,
                help_text=field.help_text,
            )
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        mode = self.fields["meeting_mode"]
        mode.choices = [("", _("Pilih cara pelaksanaan")), *MeetingMode.choices]  # type: ignore[attr-defined]
        self._last_year_hints(last_year)
        self.comments = comments or {}
        for name, comment in self.comments.items():
            if name in self.fields:
                field = self.fields[name]
                field.help_text = help_text(
                    _("Perlu diperbaiki: %(comment)s"), comment=comment
                )
                field.widget.attrs["class"] = "border-warning border-2"
        self._required_marks()
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
                # Right under the figures it checks: at the end of the form, a
                # phone showed it a screen and a half below them.
                HTML(
                    '<div id="balance-hint" class="small mb-3" aria-live="polite">'
                    "</div>"
                ),
                Row(Column("modal_luar"), Column("volume_usaha")),
                Row(Column("pendapatan"), Column("beban"), Column("shu")),
            ),
            Fieldset(
                _("Pembagian SHU"),
                Row(
                    Column("shu_cadangan"), Column("shu_anggota"), Column("shu_lainnya")
                ),
                HTML('<div id="shu-hint" class="small mb-3" aria-live="polite"></div>'),
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
                "confirm_same_figures",
            ),
        )
        # The hidden mark of the values shown (EditedMeanwhile): two officers,
        # or two tabs, and a save from the page opened first undid the other's.
        self.helper.render_hidden_fields = True

    def _last_year_hints(self, last_year: dict[str, Any]) -> None:
        for name, value in last_year.items():
            field = self.fields.get(name)
            if field is None:
                continue
            choices = getattr(field, "choices", None)
            was = shown(value, choices=choices, count=name in COUNT_FIELDS)
            field.help_text = help_text(_("tahun lalu: %(value)s"), value=was)

    def _required_marks(self) -> None:
        """What a submission needs is said beside each such field, and to a
        screen reader: none was marked, and a draft must save without them."""
        for name in REQUIRED_FIELDS:
            field = self.fields[name]
            field.widget.attrs["aria-required"] = "true"
            field.help_text = (
                help_text(_("Wajib · %(hint)s"), hint=field.help_text)
                if field.help_text
                else _("Wajib.")
            )

    def mark_problems(self, problems: dict[str, str]) -> None:
        """The report's check, said under each field it names (``problems``:
        field name to message) and to a screen reader (``aria-invalid``): it was
        only listed at the top of a page some 4,000 px long."""
        for name, message in problems.items():
            field = self.fields.get(name)
            if field is None or name in self.errors:
                continue
            field.help_text = help_text(_("Periksa: %(problem)s"), problem=message)
            # A field the form has already bound (its own checks ran: a value
            # typed in words elsewhere) keeps the help text it was bound with:
            # the reason was missing under every field the summary named.
            self[name].help_text = field.help_text
            field.widget.attrs["aria-invalid"] = "true"
            field.widget.attrs["data-problem"] = ""
            field.widget.attrs["class"] = "border-danger border-2"

    def cleaned_values(self) -> dict[str, Any]:
        """The fields that passed their own checks (all of them once ``is_valid``):
        what a draft saves while the others are being fixed."""
        self.is_valid()
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name in self.cleaned_data and name not in self.errors
        }


# Words in a file's name that tell which document it is ("BA RAT 2024.pdf",
# "daftar-hadir.jpg"): the form's first guess, shown before the upload by
# static/js/rat_report.js from the same table.
KIND_KEYWORDS = {
    AttachmentKind.BERITA_ACARA: ("berita", "acara", "notulen"),
    AttachmentKind.DAFTAR_HADIR: ("hadir", "absen"),
    AttachmentKind.LAPORAN_PENGAWAS: ("pengawas",),
    AttachmentKind.LPJ_PENGURUS: ("lpj", "pertanggungjawaban"),
    AttachmentKind.NERACA: ("neraca",),
    AttachmentKind.LAPORAN_HASIL_USAHA: ("hasil", "phu", "lhu", "laba"),
    AttachmentKind.RAPB: ("rapb", "anggaran"),
    AttachmentKind.RENCANA_KERJA: ("rencana", "program"),
}
MAX_FILES = 10


def guess_kind(filename: str) -> str:
    name = filename.lower()
    for kind, words in KIND_KEYWORDS.items():
        if any(word in name for word in words):
            return str(kind)
    return ""


def assign_kinds(names: list[str], chosen: list[str], missing: list[str]) -> list[str]:
    """The kind of each file: the one chosen for it, else the one its name tells,
    else the next required document still missing; "" where none is left."""
    kinds = [
        (chosen[i] if i < len(chosen) else "") or guess_kind(name)
        for i, name in enumerate(names)
    ]
    left = [kind for kind in missing if kind not in kinds]
    return [kind or (left.pop(0) if left else "") for kind in kinds]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one "pilih berkas"; cleans to a list."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in files]


class KindsSelect(forms.Select):
    """One select per chosen file, all named ``kind``: read as a list."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)


class KindsField(forms.MultipleChoiceField):
    widget = KindsSelect

    def valid_value(self, value: str) -> bool:
        return value == "" or super().valid_value(value)


class AttachmentForm(forms.Form):
    """One or several documents at once, each with its kind (``uploads``: a list of
    ``(kind, file)`` once valid). ``missing`` are the required kinds not yet
    uploaded, given in order to files whose kind is neither chosen nor told by
    their name. A file whose kind stays unknown is not stored (``left_out``);
    the others are."""

    file = MultipleFileField(
        label=_("Berkas"),
        help_text=_("PDF, JPEG atau PNG; boleh beberapa berkas sekaligus."),
        # An empty file is refused on its own, by name, as a file too large is:
        # the field's own "kosong" had refused the whole batch without a name.
        allow_empty_file=True,
        widget=MultipleFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png"}
        ),
    )
    kind = KindsField(
        label=_("Dokumen"),
        required=False,
        choices=[("", _("Menurut nama berkas")), *AttachmentKind.choices],
    )

    def __init__(self, *args: Any, missing: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.missing = missing or []
        # The setting read when the form is made (tests change it).
        self.fields["file"].widget.attrs.update(
            size_checked(int(settings.RAT_ATTACHMENT_MAX_MB))
        )
        self.helper = submit_helper(
            str(_("Unggah")), Row(Column("file"), Column("kind"))
        )
        self.helper.form_tag = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        files = cleaned.get("file") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Paling banyak %(n)s berkas sekaligus.") % {"n": MAX_FILES}
            )
        names = [f.name for f in files]
        chosen = list(cleaned.get("kind") or [])
        kinds = assign_kinds(names, chosen, self.missing)
        if "" in kinds:
            # A file is left over: the next-missing guesses are no guesses any
            # more. Only the kinds chosen or told by a name are kept; the other
            # files are not stored, and the page names them (``left_out``).
            kinds = assign_kinds(names, chosen, [])
        repeated = {k for k in kinds if k and kinds.count(k) > 1}
        for kind in sorted(repeated):
            self.add_error(
                "kind",
                _("Dua berkas untuk dokumen yang sama: %(kind)s.")
                % {"kind": AttachmentKind(kind).label},
            )
        pairs = list(zip(kinds, files, strict=True))
        cleaned["uploads"] = [(kind, file) for kind, file in pairs if kind]
        cleaned["left_out"] = [file for kind, file in pairs if not kind]
        return cleaned


class ReturnForm(forms.Form):
    """Send back: a general note and, optionally, one comment per field or document."""

    # Invisible characters alone are no note (``LinesField``): a report was sent
    # back with a "note" of zero-width spaces, no reason the officers could read.
    note = LinesField(
        label=_("Catatan untuk pengurus"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The submission the page showed (RatReport.submission_count): text, read
    # by ``submission_shown``, so that a mangled one is not "a note too long".
    submission = forms.CharField(required=False, widget=forms.HiddenInput)

    def submission_shown(self) -> int | None:
        value = (self.cleaned_data.get("submission") or "").strip()
        return int(value) if value.isascii() and value.isdigit() else None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.comment_names():
            self.fields[f"komentar_{name}"] = LinesField(required=False, max_length=500)

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
    note = LinesField(
        label=_("Catatan (opsional)"),
        required=False,
        max_length=2000,
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
        empty_label=_("Semua status"),
    )
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"),
        field_name="cooperative__kelurahan__kecamatan",
        queryset=Kecamatan.objects.order_by("name"),
        empty_label=_("Semua kecamatan"),
    )
    jenis = django_filters.ChoiceFilter(
        label=_("Jenis"),
        field_name="cooperative__jenis",
        choices=Jenis.choices,
        empty_label=_("Semua jenis"),
    )
    menunggu = django_filters.ChoiceFilter(
        label=_("Menunggu"),
        choices=WAITING_CHOICES,
        method="waiting",
        empty_label=_("Kapan saja"),
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
