"""The registry's rules as pure functions: plain data in, plain data out, no ORM."""

import datetime


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
