"""A campaign letter's number: the office's pattern (``007/500.3.3/DKUMKMP/2026``)
and the check a pattern passes before a campaign takes it."""

import datetime
import re
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Campaign

# A placeholder's format: at most a fill of zeros and a width of one or two digits.
_WIDTH = re.compile(r"0?[0-9]{0,2}d?")
# The length of CampaignLetter.number.
LETTER_NUMBER_MAX = 100


def letter_number(
    campaign: Campaign, kind: str, sequence: int, issued_on: datetime.date
) -> str:
    """The number by the campaign's pattern, e.g. ``007/500.3.3/DKUMKMP/2026``:
    ``{year}`` is the year of the letter's date, as on every letter of the office
    (a campaign for tahun buku 2025 writes its letters in 2026). A pattern with an
    unknown placeholder is refused when the campaign is set up
    (``number_pattern_check``)."""
    code = campaign.letter_codes.get(kind, kind)
    return campaign.number_pattern.format(seq=sequence, code=code, year=issued_on.year)


def number_pattern_check(pattern: str) -> None:
    """A pattern of plain text and the placeholders {seq}, {code} and {year}, each
    as a name alone (no attribute or index) with at most a width ("{seq:03d}"), and
    {seq} among them: every number of a campaign differs by its sequence."""
    refused = ValidationError(
        _(
            "Pola nomor hanya boleh memakai {seq}, {code} dan {year} (boleh dengan "
            "lebar, mis. {seq:03d}), dan harus memuat {seq}."
        )
    )
    try:
        names = set()
        for _text, name, spec, conversion in string.Formatter().parse(pattern):
            if name is None:
                continue
            if (
                name not in ("seq", "code", "year")
                or conversion is not None
                or not _WIDTH.fullmatch(spec or "")
            ):
                raise refused
            names.add(name)
        if "seq" not in names:
            raise refused
        sample = pattern.format(seq=999_999, code="X" * 30, year=2025)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
        raise refused from exc
    if len(sample) > LETTER_NUMBER_MAX:
        raise ValidationError(
            _("Nomor surat dari pola ini terlalu panjang (batasnya %(n)s karakter).")
            % {"n": LETTER_NUMBER_MAX}
        )
