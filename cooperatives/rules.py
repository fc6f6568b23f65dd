"""The registry's rules as pure functions: plain data in, plain data out, no ORM."""

import datetime
import re


def rat_tahun_buku(
    last_rat_year: int | None, last_rat_date: datetime.date | None
) -> int | None:
    """The tahun buku of the last RAT. The registry keeps it in ``last_rat_year``
    (a RAT report sets it); a date alone is a meeting held the year after the
    tahun buku it closes (a RAT of 14 March 2025: 2024)."""
    if last_rat_year is not None:
        return last_rat_year
    if last_rat_date is not None:
        return last_rat_date.year - 1
    return None


def rat_is_later(
    *,
    rat_date: datetime.date,
    tahun_buku: int | None,
    known_date: datetime.date | None,
    known_year: int | None,
) -> bool:
    """Whether a RAT held on ``rat_date`` for ``tahun_buku`` is later than the one
    the registry knows: on a later tahun buku, or on the same one at a later date.
    An older one, accepted late, is not, nor a meeting held later to catch up an
    older year (1 May 2026 for 2023 after 20 March 2026 for 2025). With a year
    unknown on either side, the later meeting is the later RAT."""
    known = known_date or datetime.date.min
    if tahun_buku is None or known_year is None:
        return rat_date > known
    return (tahun_buku, rat_date) > (known_year, known)


_NOT_LETTER_OR_DIGIT = re.compile(r"[^0-9A-Z]")
# What a nomor badan hukum is written with besides its letters and digits: the
# registry's form compares numbers in the database without them (SQL has no
# portable ``badan_hukum_key``).
BADAN_HUKUM_SEPARATORS = (" ", "/", ".", "-", "_", ",", ":", "(", ")", "\\")


def badan_hukum_key(value: str) -> str:
    """A nomor badan hukum as it is compared: letters and digits only, in
    capitals ("77/BH/KEMBAR/2020" and "77 bh kembar 2020" are one number)."""
    return _NOT_LETTER_OR_DIGIT.sub("", value.upper())


# An aktif cooperative holds a RAT at least once in three years (the national
# definition, REFERENCE.md §5).
RAT_WINDOW_YEARS = 3


def rat_overdue(
    *,
    aktif: bool,
    founded: datetime.date | None,
    last_tahun_buku: int | None,
    today: datetime.date,
) -> bool:
    """An aktif cooperative older than the window without a RAT recorded for a
    tahun buku within it: what the public page and a status letter's issuer are
    told beside "Aktif". A younger one owes no three years of meetings."""
    since = today.year - RAT_WINDOW_YEARS
    if not aktif or (founded is not None and founded.year >= since):
        return False
    return last_tahun_buku is None or last_tahun_buku < since
