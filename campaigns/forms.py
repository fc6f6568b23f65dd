"""Forms of the campaign pages. They validate and normalise; services write."""

import datetime
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative, CooperativeStatus, Position
from lib.display import help_text
from lib.forms import (
    ContactField,
    DecimalNumberField,
    LineField,
    LinesField,
    PlausibleDateField,
    WholeNumberField,
    office_phone,
    size_checked,
)
from lib.images import photo_clean
from lib.meanwhile import EditedMeanwhile

from .models import VisitChoice
from .services.confirmations import confirmation_problems
from .services.decisions import DECIDABLE
from .services.evidence import MAX_DOCUMENT_BYTES, document_refusal


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CampaignCreateForm(forms.Form):
    year = WholeNumberField(label=_("Tahun"), min_value=2000, max_value=2100)
    window_years = WholeNumberField(
        label=_("Jangka waktu RAT (tahun buku)"), min_value=1, max_value=10, initial=3
    )
    cutoff_date = PlausibleDateField(
        label=_("Tanggal batas"),
        required=False,
        widget=DateInput(),
        help_text=_("Kosongkan untuk 31 Maret tahun berikutnya."),
    )


class DecisionForm(forms.Form):
    # Rendered field by field in the item page: Bootstrap's classes are set here.
    # Chosen, never taken by default: with evidence still waiting the item page
    # offers none (it offered the class's, "Tidak Aktif", beside an officer's
    # confirmation of a RAT not yet examined).
    new_status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", _("— pilih status —")),
            *((s, CooperativeStatus(s).label) for s in DECIDABLE),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": _("Pilih status yang diputuskan.")},
    )
    reason = LinesField(
        label=_("Alasan"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    effective_date = PlausibleDateField(
        label=_("Berlaku sejak"), required=False, widget=DateInput()
    )

    def clean_effective_date(self) -> datetime.date:
        value = self.cleaned_data.get("effective_date") or timezone.localdate()
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal berlaku tidak boleh di masa depan."))
        return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:  # type: ignore[override]
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class DocumentField(forms.FileField):
    """A PDF, JPEG or PNG, judged by its content (type, size) on its own field,
    beside the form's other errors; the service checks it again. Its size limit
    is said before choosing (on a phone, a refused upload costs its data)."""

    def __init__(self, *args: Any, hint: Any = None, **kwargs: Any) -> None:
        # Made into words when shown: the field is built once, at import.
        size = format_lazy(
            _("Paling besar {mb} MB."), mb=MAX_DOCUMENT_BYTES // (1024 * 1024)
        )
        kwargs.setdefault(
            "help_text", format_lazy("{} {}", hint, size) if hint else size
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(size_checked(MAX_DOCUMENT_BYTES // (1024 * 1024)))

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        refused = document_refusal(upload) if upload else None
        if refused:
            raise forms.ValidationError(refused)
        return upload


class ConfirmationForm(forms.Form):
    """What an officer of ``cooperative`` confirms or corrects; prefilled with the
    registry's data. Its sitting board is said under the field that asks for
    changes to it (the officers were asked to check a board they could not see),
    and what the service would refuse is refused here, all on one sending."""

    def __init__(self, *args: Any, cooperative: Cooperative, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.cooperative = cooperative
        order = list(Position.values)  # ketua first
        board = "; ".join(
            f"{o.get_position_display()}: {o.name}"
            for o in sorted(
                cooperative.officers.filter(is_active=True),
                key=lambda o: (order.index(o.position), o.name),
            )
        )
        self.fields["board"].help_text = (
            help_text(_("Tercatat sekarang: %(board)s."), board=board)
            if board
            else _("Belum ada pengurus tercatat.")
        )

    address = LinesField(
        label=_("Alamat kantor"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    phone = forms.CharField(
        label=_("Telepon"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    # As long as the registry keeps (254): a longer one was taken here and then
    # refused when staff accepted the confirmation, with nothing said to the officer.
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    board = LinesField(
        label=_("Susunan pengurus (isi bila berubah)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rat_date = PlausibleDateField(
        label=_("Tanggal RAT terakhir"), required=False, widget=DateInput()
    )
    rat_year = WholeNumberField(
        label=_("Tahun buku RAT tersebut"),
        min_value=1950,
        max_value=2100,
        required=False,
    )
    berita_acara = DocumentField(
        label=_("Berita acara RAT (PDF/JPEG/PNG), bila belum pernah dilaporkan"),
        required=False,
    )
    photo = forms.FileField(
        label=_("Foto kantor atau papan nama"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*", "capture": "environment"}
        ),
    )

    def clean_photo(self) -> Any:
        """The photo as it will be stored (resized, without its metadata), or its
        refusal on its own field."""
        upload = self.cleaned_data.get("photo")
        return photo_clean(upload, name=upload.name or "foto.jpg") if upload else None

    def clean_phone(self) -> str:
        """A number someone can call, kept as written (the registry keeps an
        office's number as people write it); text that is no number is refused."""
        return office_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        """What the service would refuse (``confirmation_problems``), said with
        the fields' own errors, all on one sending."""
        data = super().clean() or {}
        problems = confirmation_problems(
            self.cooperative,
            fields={"address": data["address"] or ""} if "address" in data else {},
            rat_date=data.get("rat_date"),
            rat_year=data.get("rat_year"),
        )
        for name, message in problems.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class ReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Terima")), ("0", _("Tolak"))], coerce=lambda v: v == "1"
    )
    note = LineField(label=_("Catatan"), max_length=1000, required=False)


class VisitForm(forms.Form):
    on = PlausibleDateField(label=_("Tanggal kunjungan"), widget=DateInput())
    result = forms.ChoiceField(
        label=_("Hasil"), choices=VisitChoice.choices, widget=forms.RadioSelect
    )
    latitude = DecimalNumberField(
        label=_("Lintang"),
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        widget=forms.HiddenInput,
    )
    longitude = DecimalNumberField(
        label=_("Bujur"),
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        widget=forms.HiddenInput,
    )
    # Where a cooperative that moved is now, when the visit learned it (kept with
    # the visit; the registry's address is changed on the cooperative's page).
    new_address = LineField(
        label=_("Alamat baru (bila pindah dan diketahui)"),
        max_length=500,
        required=False,
    )
    photos = MultipleFileField(
        label=_("Foto"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    statement = DocumentField(
        label=_("Surat pernyataan lurah (PDF/JPEG/PNG)"),
        required=False,
        # Drawn by the visit page itself (visit_form.html), with this widget.
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": "application/pdf,image/jpeg,image/png",
                "aria-describedby": "id_statement_helptext",
            }
        ),
    )
    notes = LinesField(
        label=_("Catatan"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Made with the page, so that the form sent twice without JavaScript (which
    # makes its own for a resend) records one visit.
    client_key = forms.CharField(
        label=_("Kode kiriman"),
        max_length=64,
        required=False,
        widget=forms.HiddenInput,
        initial=lambda: uuid.uuid4().hex,
    )

    def clean_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["on"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                _("Tanggal kunjungan tidak boleh di masa depan.")
            )
        return value


class ObjectionForm(forms.Form):
    name = LineField(
        label=_("Nama Anda"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact = ContactField(
        label=_("Nomor HP atau e-mail"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    text = LinesField(
        label=_("Isi keberatan"),
        # A few words at least ("Masih aktif"), which staff can answer: "x"
        # was taken.
        min_length=10,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    document = DocumentField(
        label=_("Dokumen pendukung (PDF/JPEG/PNG)"),
        required=False,
        # What proves the cooperative runs: staff accept an objection's RAT as
        # the campaign's evidence when a berita acara comes with it.
        hint=_(
            "Paling membantu: berita acara RAT terakhir beserta daftar hadirnya, "
            "atau laporan keuangan tahun buku terakhir. Foto dokumen juga boleh."
        ),
        # A phone then offers documents and photos, not every file it has.
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png"}
        ),
    )
    # Left empty by people; bots fill it.
    website = forms.CharField(required=False, widget=forms.HiddenInput)


class ObjectionDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Terima")), ("0", _("Tolak"))], coerce=lambda v: v == "1"
    )
    answer = LinesField(label=_("Jawaban"), max_length=2000)
    # The RAT an accepted objection shows (its document, a berita acara): it
    # becomes the campaign's evidence, as an officer's confirmation would.
    rat_date = PlausibleDateField(
        label=_("Tanggal RAT yang dibuktikan"), required=False, widget=DateInput()
    )
    rat_year = WholeNumberField(
        label=_("Tahun buku RAT itu"), required=False, min_value=1900, max_value=2200
    )


class LetterSettingsForm(EditedMeanwhile, forms.Form):
    """The ladder's settings; the classification code of each letter type is a
    field of its own. What another person saved since the page was opened is kept
    (``EditedMeanwhile``, guarding every field against the campaign's values)."""

    campaign_pk: int | None = None

    interval_teguran_1 = WholeNumberField(
        label=_("Hari dari pemberitahuan ke teguran I"), min_value=1, max_value=365
    )
    interval_teguran_2 = WholeNumberField(
        label=_("Hari dari teguran I ke teguran II"), min_value=1, max_value=365
    )
    interval_peringatan = WholeNumberField(
        label=_("Hari dari teguran II ke peringatan"), min_value=1, max_value=365
    )
    objection_months = WholeNumberField(
        label=_("Masa keberatan (bulan)"), min_value=1, max_value=12
    )
    number_pattern = LineField(
        label=_("Pola nomor surat"),
        max_length=100,
        help_text=_("Misalnya {seq:03d}/{code}/DKUMKMP/{year}."),
    )
    code_pemberitahuan = LineField(label=_("Kode pemberitahuan"), max_length=30)
    code_teguran_1 = LineField(label=_("Kode teguran I"), max_length=30)
    code_teguran_2 = LineField(label=_("Kode teguran II"), max_length=30)
    code_peringatan = LineField(label=_("Kode peringatan"), max_length=30)

    @classmethod
    def for_campaign(cls, campaign: Any, data: Any = None) -> "LetterSettingsForm":
        initial = {
            name: getattr(campaign, name)
            for name in (
                "interval_teguran_1",
                "interval_teguran_2",
                "interval_peringatan",
                "objection_months",
                "number_pattern",
            )
        }
        for kind, code in campaign.letter_codes.items():
            initial[f"code_{kind}"] = code
        form = cls(data, initial=initial)
        form.campaign_pk = campaign.pk
        form.edited_meanwhile_setup(initial)
        return form

    def _record(self) -> str:
        return f"Campaign:{self.campaign_pk}"

    def clean_number_pattern(self) -> str:
        from .services.letter_numbers import number_pattern_check

        pattern: str = self.cleaned_data["number_pattern"]
        try:
            number_pattern_check(pattern)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return pattern

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        codes = {
            kind: data.pop(f"code_{kind}")
            for kind in ("pemberitahuan", "teguran_1", "teguran_2", "peringatan")
        }
        return {**data, "letter_codes": codes}
