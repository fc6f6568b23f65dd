from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import ContactField, LineField, LinesField


class ConcernForm(forms.Form):
    """A member's concern. ``website`` is a honeypot: hidden from people, filled in
    by bots; a filled one is thanked and dropped."""

    message = LinesField(
        label=_("Apa yang perlu diketahui Dinas?"),
        min_length=20,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Jelaskan sejelas mungkin: apa, kapan, dan siapa yang terlibat."),
    )
    is_member = forms.BooleanField(label=_("Saya anggota koperasi ini"), required=False)
    name = LineField(
        label=_("Nama (boleh dikosongkan)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact = ContactField(
        label=_("E-mail atau nomor HP (boleh dikosongkan)"),
        max_length=150,
        required=False,
        # What a phone offers to fill in: most members give a number.
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
        help_text=_("Isi bila ingin dihubungi kembali; tidak ditampilkan di situs."),
    )
    website = forms.CharField(
        label=_("Jangan diisi"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def concern_fields(self) -> dict[str, Any]:
        """What the concern service stores (the honeypot is not among it)."""
        names = ("message", "name", "contact", "is_member")
        return {name: self.cleaned_data[name] for name in names}
