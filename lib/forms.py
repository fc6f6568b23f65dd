"""Form pieces every app uses."""

import datetime
import re
from collections.abc import Callable, Sized
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
    validate_email,
)
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.money import NOT_A_NUMBER, CellError, parse_decimal, parse_money
from lib.numbers import format_thousands
from lib.phone import normalize_phone, phone_as_written
from lib.text import has_other_digits, shows_something, visible_line, without_invisible

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def submit_helper(label: str, *layout: Any) -> FormHelper:
    """A crispy helper with one submit button and an optional layout."""
    helper = FormHelper()
    # data-once disables the button after the first click (static/js/app.js).
    helper.attrs = {"data-once": "true"}
    if layout:
        helper.layout = Layout(*layout)
    helper.add_input(Submit("submit", label))
    return helper


T = TypeVar("T")


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What ``save_form``'s service returned (always true, even when it is None)."""

    value: T


def save_form(
    request: HttpRequest, form: forms.BaseForm, save: Callable[[dict[str, Any]], T]
) -> Saved[T] | None:
    """The POST half of a form page: for a valid submitted ``form``, ``save`` runs
    with its cleaned data. A ``ValidationError`` the service raises is put on the
    form, whose page is then shown again with it; None unless it saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return Saved(save(form.cleaned_data))
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


class LineField(forms.CharField):
    """One line of text as it shows (``lib.text.visible_line``): a name, a title;
    one with no letter or digit is refused."""

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return visible_line(text) if isinstance(text, str) else text

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not shows_something(value):
            raise forms.ValidationError(
                _("Tulis dengan huruf atau angka yang terlihat."), code="invisible"
            )


class _VisibleMinLength(MinLengthValidator):
    """``min_length`` of what the text shows: invisible characters and runs of
    white space padded "x" out to ten characters."""

    def clean(self, x: Sized) -> int:
        return len(visible_line(x)) if isinstance(x, str) else len(x)


class LinesField(forms.CharField):
    """Text over several lines, each line break counted as one character: a
    browser sends a textarea's breaks as CR LF but counts each as one against
    its ``maxlength``, so the length the form checks is the one the box showed.
    A ``min_length`` counts what the text shows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.min_length is not None:
            self.validators = [
                _VisibleMinLength(self.min_length)
                if isinstance(validator, MinLengthValidator)
                else validator
                for validator in self.validators
            ]

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if not isinstance(text, str):
            return text
        # A NUL pasted with the text was refused as "Karakter null tidak
        # diizinkan": it, the other control characters and the invisible ones
        # (a direction override) show as nothing.
        text = without_invisible(text.replace("\r\n", "\n"))
        # Text of invisible characters alone (zero-width spaces) is no text: it
        # was taken as a concern or an objection that showed blank to staff.
        return text if visible_line(text) else ""


def ask_files_again(form: forms.BaseForm) -> None:
    """On a form shown again with errors, each file that was sent with it and
    refused nothing itself is named on its field: a browser keeps no chosen file
    across pages, so it must be chosen again."""
    if not form.is_bound or not form.errors:
        return
    for name, field in form.fields.items():
        sent = form.files.getlist(form.add_prefix(name)) if form.files else []
        if isinstance(field, forms.FileField) and sent and name not in form.errors:
            form.add_error(
                name,
                _(
                    "Pilih berkasnya lagi: berkas tidak disimpan selama ada isian "
                    "lain yang perlu diperbaiki."
                ),
            )


class ContactField(forms.CharField):
    """A mobile or other phone number, written any usual way, or an e-mail address
    that someone can be reached at: cleaned to ``+62…`` or to the address in
    lower case, refused with an example otherwise."""

    default_error_messages = {
        "invalid": _(
            "Tulis nomor HP (misalnya 0812 3456 7890) atau alamat e-mail yang bisa "
            "dihubungi."
        )
    }

    def clean(self, value: Any) -> str:
        text = " ".join(str(super().clean(value) or "").split())
        if not text:
            return ""
        if "@" in text:
            try:
                validate_email(text)
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
            return text.lower()
        phone = normalize_phone(text)
        if phone is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return phone


# The earliest year a page or form takes (the oldest cooperatives date from 1947).
YEAR_MIN = 1945


def validate_year_in_range(year: int | None) -> None:
    """A year a page can show: from YEAR_MIN to next year (beyond that, dates
    overflow and the database's integers end)."""
    latest = timezone.localdate().year + 1
    if year is not None and not YEAR_MIN <= year <= latest:
        raise forms.ValidationError(
            _("Tahun harus antara %(first)s dan %(last)s.")
            % {"first": YEAR_MIN, "last": latest}
        )


def refuse_other_digits(value: Any) -> None:
    """Digits are 0-9 only (``lib.text.has_other_digits``)."""
    if isinstance(value, str) and has_other_digits(value):
        raise forms.ValidationError(
            _("Tulis angkanya dengan angka 0–9."), code="invalid"
        )


class WholeNumberField(forms.IntegerField):
    """Django's, with the digits 0-9 only, refused in plain words (Django's
    Indonesian reads "Masukkan keseluruhan angka bilangan")."""

    default_error_messages = {
        "invalid": _("Tulis bilangan bulat dengan angka saja, misalnya 25."),
    }

    def to_python(self, value: Any) -> int | None:
        refuse_other_digits(value)
        if (
            isinstance(value, str)
            and value.strip()
            and not _WHOLE.fullmatch(value.strip())
        ):
            # Python's int() takes "1_000" and "+62" too: a number written so
            # was kept as 1000 and 62.
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


_WHOLE = re.compile(r"-?[0-9]+")


class DecimalNumberField(forms.DecimalField):
    """Django's, with the digits 0-9 only."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        refuse_other_digits(value)
        return super().to_python(value)  # type: ignore[return-value]


class YearQueryForm(forms.Form):
    """A page's optional ``?tahun=``; an invalid one is reported, never used."""

    tahun = WholeNumberField(
        label=_("Tahun buku"), required=False, validators=[validate_year_in_range]
    )

    def year_or(self, default: int) -> tuple[int, str]:
        """The year asked for, else ``default``, with the error to show (or "")."""
        if self.is_valid():
            return self.cleaned_data["tahun"] or default, ""
        return default, " ".join(str(e) for e in self.errors.get("tahun", []))


def tahun_buku_ended(message: "StrOrPromise") -> Callable[[int | None], None]:
    """A validator refusing a tahun buku whose books are not closed yet (this
    year's or later), with ``message`` saying what is only for closed years (a
    RAT report, a health assessment)."""

    def validate(year: int | None) -> None:
        if year is not None and year >= timezone.localdate().year:
            raise forms.ValidationError(message)

    return validate


def validate_tahun_buku_not_future(year: int | None) -> None:
    if year is not None and year > timezone.localdate().year:
        raise forms.ValidationError(_("Tahun buku tidak boleh di masa depan."))
    if year is not None and year < EARLIEST_DATE.year:
        # The database's own rule said it as 'Batasan "figures_tahun_buku_…"'.
        raise forms.ValidationError(
            _("Tahun buku tidak boleh sebelum tahun %(first)s.")
            % {"first": EARLIEST_DATE.year}
        )


# Amounts of more digits than this are beyond any the forms take.
_SHOWN_DIGITS = 30
# A stored amount as text: ASCII digits, an optional sign and decimal point.
# A stored amount as text ("1250000.00"), or digits typed with a point before
# their sen ("1250000.5"): regrouped when shown. A point before three digits is
# a thousands dot ("450.000", four hundred and fifty thousand, as ``parse_money``
# reads it), so that text comes back as typed: read as Python reads it, it came
# back as "450", and saving the page again stored a thousandth of the amount.
_PLAIN_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]{1,2})?")


# The largest amount a form takes: below 10**15, which SQLite (the zero-setup
# database) keeps as a float without rounding it past the column's 18 digits (it
# stored 9.999.999.999.999.999 as 10**16, and every page reading it failed).
RUPIAH_FORM_MAX = 10**15 - 1


def office_phone(raw: str | None) -> str:
    """An office's number as people write it (``phone_as_written``: what a paste
    adds taken out); text that is no number is refused."""
    text = phone_as_written(raw)
    if text and normalize_phone(text) is None:
        raise forms.ValidationError(
            _(
                "Nomor telepon %(phone)s tidak dikenali; tulis misalnya "
                "0542 123456 atau 0812 3456 7890."
            ),
            params={"phone": text},
        )
    return text


def not_negative() -> MinValueValidator:
    """A figure that cannot be below zero, refused in plain words: Django's
    "Pastikan nilai ini lebih besar dari atau sama dengan 0" said it as a sum."""
    return MinValueValidator(0, message=_("Tidak boleh negatif."))


class RupiahField(forms.CharField):
    """Amounts as staff type them: ``1.250.000``, ``1250000``, ``Rp 1.250.000,-``,
    negatives for losses; at most RUPIAH_FORM_MAX either way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators.append(MaxValueValidator(RUPIAH_FORM_MAX))
        self.validators.append(MinValueValidator(-RUPIAH_FORM_MAX))

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        # What shows: a zero-width space pasted before the digits, or a narrow
        # no-break space after them, made "Bukan angka" of an amount that looked
        # right.
        text = visible_line(super().to_python(value) or "")
        if not text:
            return None
        try:
            amount = parse_money(text, allow_negative=True)
            typed = parse_decimal(text)
        except CellError as error:
            # The import's word for a cell; a person typing gets an example.
            message = (
                _("Bukan angka: tulis jumlahnya, misalnya 1.500.000.")
                if error.code == NOT_A_NUMBER
                else str(error)
            )
            raise forms.ValidationError(message) from None
        if typed is not None and amount is not None and typed != amount:
            # "1.250.000,555" was kept as 1.250.000,56 unseen: the Rupiah has sen,
            # two places, and a third is a slip of the keyboard.
            raise forms.ValidationError(
                _("Paling banyak dua angka di belakang koma (sen).")
            )
        return amount

    def prepare_value(self, value: Any) -> Any:
        """Stored amounts (``"1250000.00"``) shown as typed: ``1.250.000``; what
        the user typed comes back unchanged. Only plain digits are regrouped: "1E5"
        or "1_000" refused as no number must not come back looking like one, and
        "450.000" is already grouped."""
        if isinstance(value, str) and not _PLAIN_AMOUNT.fullmatch(value.strip()):
            return value
        try:
            amount = Decimal(value)
        except (InvalidOperation, TypeError):
            return value
        if (
            not amount.is_finite()
            # Digits beyond any amount (the field refuses them): shown as typed,
            # not made into a number thousands of digits long.
            or amount.adjusted() >= _SHOWN_DIGITS
        ):
            return value
        sign = "-" if amount < 0 else ""
        whole = abs(amount).to_integral(rounding=ROUND_DOWN)
        if amount == amount.to_integral():
            return sign + format_thousands(whole)
        # Sen as the field reads them back, after a comma: "1250000.50" came back
        # as typed in Python's notation, which the live grouping then read as
        # 125.000.050.
        sen = int((abs(amount) - whole) * 100)
        return f"{sign}{format_thousands(whole)},{sen:02d}"


# The earliest date a registry holds (a cooperative founded, a meeting, a
# letter): 0001-01-01 was taken. Dates to come are each form's own rule ("tidak
# boleh di masa depan"), with its own message.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


def validate_plausible_date(value: datetime.date | None) -> None:
    if value is not None and value < EARLIEST_DATE:
        raise forms.ValidationError(
            _("Tanggal tidak boleh sebelum tahun %(first)s."),
            params={"first": EARLIEST_DATE.year},
            code="implausible",
        )
    if value is not None and value > LATEST_DATE:
        raise forms.ValidationError(
            _("Tanggal tidak boleh sesudah tahun %(last)s."),
            params={"last": LATEST_DATE.year},
            code="implausible",
        )


class PlausibleDateField(forms.DateField):
    """A date from 1900 to 2100, written with the digits 0-9. The end keeps the
    deadlines counted from a date (a RAT report's, a letter's) within the
    calendar: 31 December 9999 plus a month is no date, and was a crash."""

    default_validators = [validate_plausible_date]

    def to_python(self, value: Any) -> datetime.date | None:
        refuse_other_digits(value)
        return super().to_python(value)


# "1.000" typed in Indonesian: a thousand (Django's IntegerField read it as 1).
_GROUPED_COUNT = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+")


# The longest count typed: 18 digits and their dots, beyond any the database keeps.
_COUNT_MAX_LENGTH = 24


# The largest count a form takes: more members, employees or people present than
# any cooperative has, and within every database's integer column. Beyond it the
# database's own limit was said as "... lebih kecil dari atau sama dengan
# 9223372036854775807".
COUNT_MAX = 999_999_999


class CountField(WholeNumberField):
    """A count as people type it: ``1250`` or ``1.250`` (the dot groups thousands,
    as in Indonesian); anything with a decimal part is refused, and so is one
    over ``COUNT_MAX``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        limit: int = kwargs.setdefault("max_value", COUNT_MAX)
        super().__init__(*args, **kwargs)
        self.error_messages["max_value"] = _(
            "Angka terlalu besar (paling banyak %(limit_value)s)."
        ) % {"limit_value": format_thousands(limit)}
        if kwargs.get("min_value") == 0:
            # As an amount says it (``not_negative``), not Django's sum.
            self.error_messages["min_value"] = _("Tidak boleh negatif.")

    def to_python(self, value: Any) -> int | None:
        text = str(value).strip() if value is not None else ""
        if len(text) > _COUNT_MAX_LENGTH:
            # int() of thousands of digits raises, and no count is that long.
            raise forms.ValidationError(_("Angka terlalu besar."), code="invalid")
        if _GROUPED_COUNT.fullmatch(text):
            return int(text.replace(".", ""))
        if "." in text or "," in text:
            raise forms.ValidationError(
                _("Tulis bilangan bulat, mis. 1250 atau 1.250."), code="invalid"
            )
        return super().to_python(value)  # with the digits 0-9 only


def size_checked(max_mb: int) -> dict[str, Any]:
    """A file input's attributes for the size check made when a file is chosen
    (``static/js/app.js``), before a slow upload of a file the server would
    refuse (20 MB took 220 s over 3G): the limit, and the sentence in the page's
    language (public pages load no translation catalogue)."""
    return {
        "data-max-mb": str(max_mb),
        "data-too-large-text": _(
            "%(name)s: %(size)s MB, di atas batas %(limit)s MB, jadi tidak dikirim. "
            "Perkecil dulu (foto dengan ukuran lebih kecil), lalu pilih lagi."
        ),
    }
