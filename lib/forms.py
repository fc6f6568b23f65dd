"""Form pieces every app uses."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def submit_helper(label: str, *layout: Any) -> FormHelper:
    """A crispy helper with one submit button and an optional layout."""
    helper = FormHelper()
    # data-once disables the button after the first click (static/js/app.js).
    helper.attrs = {"data-once": "true"}
    if layout:
        helper.layout = Layout(*layout)
    helper.add_input(Submit("submit", label))
    return helper


def validate_tahun_buku_not_future(year: int | None) -> None:
    if year is not None and year > timezone.localdate().year:
        raise forms.ValidationError(_("Tahun buku tidak boleh di masa depan."))
