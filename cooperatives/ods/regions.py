"""What a row that names a region otherwise is told: the likely name ("BPP
Selatan": Balikpapan Selatan), or that the name is a kelurahan's, or the names
there are. Pure: names and keys in, a sentence out."""

import difflib
from collections.abc import Iterable

from django.utils.translation import gettext as _

from ..models import region_key

# Up to this many names are listed when none is close to what a row wrote.
_NAMES_LISTED = 12
# How close a name must be to be offered, and how much closer than the next.
_CUTOFF = 0.6
_MARGIN = 0.05


def suggestion(written: str, keys: Iterable[str], names: dict[str, str]) -> str:
    """ " Mungkin maksudnya: Balikpapan Selatan." for a name written otherwise
    ("BPP Selatan", "Balikpapan Brt"); the names there are, when few, when none
    is close or several are as close ("Balikpapan" is as near to each of six)."""
    known = sorted(keys)
    key = region_key(written)
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, k).ratio(), k) for k in known),
        reverse=True,
    )
    close = [k for score, k in scored if score >= _CUTOFF]
    if close:
        best = scored[0][0]
        close = [k for score, k in scored if score >= max(_CUTOFF, best - _MARGIN)]
    if 0 < len(close) <= 2:
        return " " + _("Mungkin maksudnya: %(names)s.") % {
            "names": _(" atau ").join(names.get(k, k) for k in close)
        }
    if len(known) <= _NAMES_LISTED:
        return " " + _("Yang dikenal: %(names)s.") % {
            "names": ", ".join(sorted(names.get(k, k) for k in known))
        }
    return ""


def kelurahan_named(written: str, homes: dict[str, list[str]]) -> str:
    """ " Sepinggan adalah kelurahan di Kecamatan Balikpapan Selatan." for a
    kelurahan written in the kecamatan's column (or the two swapped); "" else."""
    there = homes.get(region_key(written))
    if not there:
        return ""
    return " " + _("%(name)s adalah kelurahan di Kecamatan %(kecamatan)s.") % {
        "name": written,
        "kecamatan": ", ".join(there),
    }
