from typing import Any

from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from lib.display import shown
from lib.forms import (
    CountField,
    LineField,
    LinesField,
    PlausibleDateField,
    RupiahField,
    WholeNumberField,
    not_negative,
    office_phone,
    submit_helper,
    validate_tahun_buku_not_future,
)
from lib.meanwhile import EditedMeanwhile
from lib.phone import is_mobile, normalize_phone, phone_as_written, phone_shown
from notifications.models import Channel

from .models import (
    NON_NEGATIVE_FIGURES,
    Cooperative,
    CooperativeFigures,
    CooperativeStatus,
    ImportJob,
    Jenis,
    Kelompok,
    Kelurahan,
    Officer,
)
from .ods.cleaning import COUNT_FIGURES
from .selectors import officer_contact
from .services import COOPERATIVE_FIELDS, FIGURE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class KelurahanField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Kelurahan) -> str:  # type: ignore[override]
        return f"{obj.name} — {obj.kecamatan.name}"


class KelompokField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Kelompok) -> str:  # type: ignore[override]
        return obj.label


class CooperativeForm(EditedMeanwhile, forms.ModelForm):
    kelurahan = KelurahanField(
        label=_("Kelurahan"),
        queryset=Kelurahan.objects.select_related("kecamatan").order_by(
            "kecamatan__name", "name"
        ),
    )

    class Meta:
        model = Cooperative
        fields = list(COOPERATIVE_FIELDS)
        field_classes = {
            "name": LineField,
            "nomor_badan_hukum": LineField,
            "sektor_usaha": LineField,
            "last_rat_year": WholeNumberField,
            "kelompok": KelompokField,
            "tanggal_badan_hukum": PlausibleDateField,
            "last_rat_date": PlausibleDateField,
            "nik_expiry_date": PlausibleDateField,
        }
        widgets = {
            "tanggal_badan_hukum": DateInput(),
            "last_rat_date": DateInput(),
            "nik_expiry_date": DateInput(),
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A NIK may be typed in groups ("6471 0000 0000 0581"): its 16 digits are
        # counted once clean_nik has taken the spaces out, not before.
        nik = self.fields["nik"]
        assert isinstance(nik, forms.CharField)
        nik.max_length = None
        nik.validators = [
            v for v in nik.validators if not isinstance(v, MaxLengthValidator)
        ]
        nik.widget.attrs.pop("maxlength", None)
        self.helper = submit_helper(
            str(_("Simpan")),
            Fieldset(
                _("Identitas"),
                "name",
                Row(Column("nik"), Column("nik_expiry_date")),
                Row(Column("nomor_badan_hukum"), Column("tanggal_badan_hukum")),
            ),
            Fieldset(
                _("Klasifikasi"),
                Row(Column("jenis"), Column("pola"), Column("bentuk")),
                Row(Column("kelompok"), Column("sektor_usaha")),
            ),
            Fieldset(
                _("Alamat dan kontak"),
                "address",
                "kelurahan",
                Row(Column("phone"), Column("email")),
            ),
            Fieldset(_("RAT"), "last_rat_date", "last_rat_year"),
        )
        self.helper.render_hidden_fields = True

    def clean_phone(self) -> str:
        """An office's number, kept as people write it; a new one that is no
        number ("abc") is refused (one the registry already holds, from the ODS,
        does not stop an edit of other fields)."""
        text = phone_as_written(self.cleaned_data.get("phone"))
        if text == phone_as_written(self.instance.phone):
            return text
        return office_phone(text)

    def clean_nik(self) -> str | None:
        nik = (self.cleaned_data.get("nik") or "").strip().replace(" ", "")
        return nik or None

    def clean_tanggal_badan_hukum(self) -> Any:
        return _not_in_future(self.cleaned_data.get("tanggal_badan_hukum"))

    def clean_last_rat_date(self) -> Any:
        return _not_in_future(self.cleaned_data.get("last_rat_date"))

    def clean_last_rat_year(self) -> Any:
        year = self.cleaned_data.get("last_rat_year")
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Tahun RAT tidak masuk akal."))
        return year


def _not_in_future(value: Any) -> Any:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("Tanggal tidak boleh di masa depan."))
    return value


class StatusChangeForm(forms.Form):
    new_status = forms.ChoiceField(
        label=_("Status baru"), choices=CooperativeStatus.choices
    )
    effective_date = PlausibleDateField(label=_("Berlaku sejak"), widget=DateInput())
    reason = LinesField(
        label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    # The status the form was opened with: the service says a change made since
    # by someone else as such (``cooperative_change_status``), under its lock.
    seen_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, cooperative: Cooperative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cooperative = cooperative
        self.fields["seen_status"].initial = cooperative.status
        if self.is_bound:
            self.seen = str(self.data.get("seen_status", "") or "")
            # Shown again, the form carries today's status: sent again, it is
            # judged against what the person now sees.
            data = QueryDict(mutable=True)
            data.update(self.data)
            data["seen_status"] = cooperative.status
            self.data = data
        # Offered: the other statuses. Taken: any, so that a status changed since
        # the form opened reaches the service, which says so, rather than reading
        # "pilihan tidak valid".
        new_status = self.fields["new_status"].widget
        assert isinstance(new_status, forms.Select)
        new_status.choices = [
            choice
            for choice in CooperativeStatus.choices
            if choice[0] != cooperative.status
        ]
        self.fields["effective_date"].initial = timezone.localdate()
        self.helper = submit_helper(str(_("Ubah status")))

    def clean_effective_date(self) -> Any:
        return _not_in_future(self.cleaned_data["effective_date"])

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 5:
            raise forms.ValidationError(
                _("Tuliskan alasan yang jelas (minimal 5 huruf).")
            )
        return reason

    def clean_seen_status(self) -> str:
        # As sent (the data now carry today's status, to be shown again); a
        # forged value is not compared.
        return self.seen if self.seen in CooperativeStatus.values else ""


class FiguresForm(EditedMeanwhile, forms.ModelForm):
    """One tahun buku's figures, opened with those stored for it: opened empty,
    a save of one field emptied every other figure of that year. What another
    person saved since the page opened is kept (EditedMeanwhile); a year whose
    figures the page did not show is refused, so that its figures are not
    written over unseen."""

    class Meta:
        model = CooperativeFigures
        fields = ["tahun_buku", *FIGURE_FIELDS]
        field_classes = {"tahun_buku": WholeNumberField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Amounts and counts as people type them ("Rp 1.250.000", "1.250"), as
        # the RAT form takes them.
        for name in FIGURE_FIELDS:
            field = self.fields[name]
            if name in COUNT_FIGURES:
                self.fields[name] = CountField(
                    label=field.label, required=False, min_value=0
                )
            else:
                self.fields[name] = RupiahField(label=field.label, required=False)
                self.fields[name].widget.attrs["inputmode"] = "decimal"
        # Counts refuse a negative already (min_value): said once, not twice.
        for name in NON_NEGATIVE_FIGURES - set(COUNT_FIGURES):
            self.fields[name].validators.append(not_negative())
        self.helper = submit_helper(
            str(_("Simpan data keragaan")),
            "tahun_buku",
            Fieldset(
                _("Anggota dan SDM"),
                Row(
                    Column("members_male"),
                    Column("members_female"),
                    Column("managers"),
                    Column("employees"),
                ),
            ),
            Fieldset(
                _("Keuangan (Rupiah)"),
                Row(Column("modal_sendiri"), Column("modal_luar"), Column("aset")),
                Row(Column("volume_usaha"), Column("shu")),
            ),
        )
        self.helper.render_hidden_fields = True
        if self.instance.pk:
            # The page shows this year's figures: another year is opened from
            # the year line above the form, not typed over this one (its
            # figures were copied into the year typed).
            self.fields["tahun_buku"].disabled = True

    def clean_tahun_buku(self) -> int:
        year: int = self.cleaned_data["tahun_buku"]
        validate_tahun_buku_not_future(year)
        return year

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk and self.guarded and self._seen() is None:
            self._not_shown(cleaned)
        return cleaned

    def _not_shown(self, cleaned: dict[str, Any]) -> None:
        """The year typed has figures this page did not show (it opened empty,
        or before they were saved): refused, each stored figure said beside what
        was typed, and the page carries them now, so that saving again keeps
        what was typed, knowingly. Nothing typed is lost."""
        self.add_error(
            "tahun_buku",
            _(
                "Tahun buku %(year)s sudah punya data keragaan yang tidak "
                "ditampilkan di halaman ini. Angka yang tersimpan disebut di bawah "
                "setiap isian; simpan lagi untuk memakai isian Anda."
            )
            % {"year": self.instance.tahun_buku},
        )
        for name in FIGURE_FIELDS:
            stored = getattr(self.instance, name)
            if name in self.errors or not self.stored_differs(name, cleaned.get(name)):
                continue
            self.add_error(
                name,
                _("Tersimpan: %(value)s.") % {"value": shown(stored, count=True)},
            )
        self.mark_as_now()

    def validate_unique(self) -> None:
        # Saving an existing year updates it (figures_record), so no uniqueness error.
        pass


class OfficerForm(EditedMeanwhile, forms.ModelForm):
    class Meta:
        model = Officer
        fields = ["name", "position", "phone", "email", "notify_by", "start_date"]
        field_classes = {"name": LineField, "start_date": PlausibleDateField}
        widgets: dict[str, forms.Widget] = {
            "start_date": DateInput(),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }
        help_texts = {
            "phone": _("Nomor HP untuk WhatsApp, misalnya 0812 3456 7890."),
            "notify_by": _(
                "Tanda terima, pengingat dan undangan dikirim lewat saluran ini; "
                "lewat yang lain bila yang ini tidak diisi."
            ),
        }

    def __init__(self, *args: Any, submit: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(submit or str(_("Tambah pengurus")))
        self.fields["notify_by"].required = False
        if self.instance.phone and not self.is_bound:
            self.initial["phone"] = phone_shown(self.instance.phone)

    def clean_notify_by(self) -> str:
        return self.cleaned_data["notify_by"] or Channel.EMAIL

    def clean_phone(self) -> str:
        raw: str = self.cleaned_data["phone"]
        if not raw.strip():
            return ""
        number = normalize_phone(raw)
        if number is None:
            raise ValidationError(
                _("Nomor HP %(phone)s tidak dikenali; tulis misalnya 0812 3456 7890."),
                params={"phone": raw},
            )
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        wants_whatsapp = data.get("notify_by") == Channel.WHATSAPP
        if wants_whatsapp and not data.get("phone") and "phone" not in self.errors:
            self.add_error(
                "phone", _("Isi nomor HP untuk pemberitahuan lewat WhatsApp.")
            )
        elif wants_whatsapp and data.get("phone") and not is_mobile(data["phone"]):
            # A landline passed as "saved", and every message to it then failed.
            self.add_error(
                "phone",
                _(
                    "%(phone)s bukan nomor HP; WhatsApp memerlukan nomor HP "
                    "(misalnya 0812 3456 7890). Isi nomor HP, atau pilih E-mail."
                )
                % {"phone": self.data.get(self.add_prefix("phone")) or data["phone"]},
            )
        return data


class OfficerChannelForm(OfficerForm):
    """How an officer wants to hear from the Dinas: their number, address and
    channel only (the same checks as ``OfficerForm``)."""

    class Meta(OfficerForm.Meta):
        fields = ["phone", "email", "notify_by"]
        # Their own number and address: a phone offers to fill them in.
        widgets = {
            **OfficerForm.Meta.widgets,
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if {"phone", "email"} & set(self.errors):
            return data
        # Reachable as messages reach them (``officer_contact``: their number
        # or address, else their login's; a landline takes no WhatsApp). Saved
        # unreachable, no message of the Dinas reached them again.
        as_saved = Officer(
            user=self.instance.user,
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            notify_by=data.get("notify_by") or Channel.EMAIL,
        )
        if officer_contact(as_saved) is None:
            self.add_error(
                None,
                _(
                    "Isi nomor HP (bukan telepon rumah atau kantor) atau alamat "
                    "e-mail: tanpa salah satunya pemberitahuan Dinas tidak sampai."
                ),
            )
        return data


class OfficerDeactivateForm(forms.Form):
    end_date = PlausibleDateField(label=_("Selesai menjabat"), widget=DateInput())

    def clean_end_date(self) -> Any:
        return _not_in_future(self.cleaned_data["end_date"])


class StatusLetterForm(forms.Form):
    purpose = LineField(
        label=_("Keperluan"),
        max_length=200,
    )


class StatusLetterRevokeForm(forms.Form):
    reason = LinesField(
        label=_("Alasan pencabutan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


IMPORT_EXTENSIONS = (".xlsx", ".xls", ".ods", ".csv")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas ekspor ODS"),
        help_text=_(".xlsx, .xls, .ods atau .csv"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
    )
    tahun_buku = WholeNumberField(
        label=_("Tahun buku data keragaan"),
        required=False,
        min_value=1900,
        help_text=_(
            "Kosongkan bila berkas memuat kolom Tahun Buku atau judul 'Tahun Buku "
            "2025'; tanpa keduanya dipakai tahun lalu."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(str(_("Unggah dan periksa")), "file", "tahun_buku")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                _("Berkas terlalu besar; batasnya %(limit)s MB.") % {"limit": limit}
            )
        if not upload.name.lower().endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError(
                _("Unggah berkas .xlsx, .xls, .ods atau .csv hasil ekspor ODS.")
            )
        return upload

    def clean_tahun_buku(self) -> Any:
        year = self.cleaned_data.get("tahun_buku")
        validate_tahun_buku_not_future(year)
        return year


class ImportApplyForm(forms.Form):
    include_duplicates = forms.BooleanField(
        label=_("Daftarkan juga kemungkinan duplikat sebagai koperasi baru"),
        required=False,
    )


class ImportKelompokForm(forms.Form):
    """A jenis (or none) for each kelompok label the preview found new; the field
    names follow the job's ``new_kelompok`` order, their keys ride in ``key_<i>``."""

    def __init__(self, *args: Any, job: ImportJob, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mapping = job.kelompok_mapping or {}
        self.keys = []
        for index, entry in enumerate(job.new_kelompok):
            self.keys.append(entry["key"])
            self.fields[f"jenis_{index}"] = forms.ChoiceField(
                label=entry["label"],
                choices=[("", _("Tanpa jenis (isi dari kolom jenis)")), *Jenis.choices],
                required=False,
                initial=mapping.get(entry["key"], ""),
            )
            self.fields[f"jenis_{index}"].entry = entry  # type: ignore[attr-defined]

    def mapping(self) -> dict[str, str]:
        return {
            key: self.cleaned_data[f"jenis_{index}"]
            for index, key in enumerate(self.keys)
        }


class InvitationAcceptForm(forms.Form):
    # Latin letters and digits only: a name in full-width letters (ＰＥＮＧＵＲＵＳ２)
    # passed the check below and was then folded by Django into PENGURUS2, beside
    # pengurus2; a Cyrillic "а" made an "аdmin" no reader could tell from admin.
    username = forms.RegexField(
        label=_("Nama pengguna"),
        regex=r"^[A-Za-z0-9_.@+-]{3,150}\Z",
        error_messages={
            "invalid": _("3–150 huruf latin (a–z), angka atau . @ + - _ tanpa spasi."),
        },
    )
    password1 = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput)
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"), widget=forms.PasswordInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(
            str(_("Buat akun dan masuk")),
            Layout("username", "password1", "password2"),
        )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Nama pengguna ini sudah dipakai."))
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif first:
            try:
                validate_password(first)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
