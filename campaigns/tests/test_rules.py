"""The class rules and the letter ladder, as tables; no database."""

import datetime

import pytest

from campaigns.rules import (
    Klass,
    Ladder,
    LetterKind,
    Proof,
    VisitResult,
    add_months,
    class_from_rat,
    may_send,
    next_letter,
    objection_end,
    objection_open,
    propose,
)
from cooperatives.rules import rat_tahun_buku

D = datetime.date
TODAY = D(2026, 5, 1)


@pytest.mark.parametrize(
    ("rat_year", "window", "expected"),
    [
        (2025, 3, Klass.A),  # RAT for the last tahun buku
        (2026, 3, Klass.A),  # a later one counts too
        (2024, 3, Klass.B),
        (2023, 3, Klass.B),  # the window's first year
        (2022, 3, Klass.C),  # just outside
        (2023, 2, Klass.C),  # a 2-year window
        (2024, 2, Klass.B),
        (2024, 1, Klass.C),  # a 1-year window: only the last year
        (None, 3, Klass.C),  # never held a RAT
    ],
)
def test_class_from_rat_history(rat_year, window, expected):
    assert class_from_rat(rat_year, tahun_buku=2025, window_years=window) == expected


@pytest.mark.parametrize(
    ("year", "date", "expected"),
    [
        (2024, None, 2024),
        (2024, D(2026, 3, 1), 2024),  # the year, when known, wins
        (None, D(2025, 3, 1), 2024),  # a meeting closes the year before
        (None, None, None),
    ],
)
def test_rat_tahun_buku(year, date, expected):
    assert rat_tahun_buku(year, date) == expected


NO_LADDER = Ladder()


def _propose(rat_year, proofs=(), ladder=NO_LADDER, today=TODAY):
    return propose(
        rat_year=rat_year,
        proofs=list(proofs),
        tahun_buku=2025,
        window_years=3,
        ladder=ladder,
        today=today,
    )


@pytest.mark.parametrize(
    ("rat_year", "proofs", "expected"),
    [
        (2025, [], Klass.A),
        (2020, [], Klass.C),
        # An active visit moves C to B (no RAT for the last year) ...
        (2020, [Proof(D(2026, 2, 1), active=True)], Klass.B),
        # ... and to A when the confirmation brings the last year's RAT.
        (2020, [Proof(D(2026, 2, 1), active=True, rat_year=2025)], Klass.A),
        (None, [Proof(D(2026, 2, 1), active=True, rat_year=2024)], Klass.B),
        (2020, [Proof(D(2026, 2, 1), visit=VisitResult.TIDAK_AKTIF)], Klass.D),
        (2020, [Proof(D(2026, 2, 1), visit=VisitResult.BUBAR)], Klass.D),
        (2020, [Proof(D(2026, 2, 1), visit=VisitResult.TIDAK_DITEMUKAN)], Klass.E),
        (2020, [Proof(D(2026, 2, 1), visit=VisitResult.PINDAH)], Klass.E),
        # A visit that found it inactive outweighs an old RAT in the window.
        (2024, [Proof(D(2026, 2, 1), visit=VisitResult.TIDAK_AKTIF)], Klass.D),
        # The latest evidence decides.
        (
            2020,
            [
                Proof(D(2026, 1, 1), visit=VisitResult.TIDAK_DITEMUKAN),
                Proof(D(2026, 3, 1), active=True, rat_year=2025),
            ],
            Klass.A,
        ),
        (
            2020,
            [
                Proof(D(2026, 3, 1), visit=VisitResult.TIDAK_DITEMUKAN),
                Proof(D(2026, 1, 1), active=True),
            ],
            Klass.E,
        ),
        # A confirmation of an older RAT accepted after the newer one (the same
        # day, or later) takes nothing away: it was B.
        (
            2020,
            [
                Proof(D(2026, 3, 1), active=True, rat_year=2025),
                Proof(D(2026, 3, 1), active=True, rat_year=2024),
            ],
            Klass.A,
        ),
        (
            2020,
            [
                Proof(D(2026, 3, 1), active=True, rat_year=2025),
                Proof(D(2026, 3, 9), active=True, rat_year=2023),
            ],
            Klass.A,
        ),
    ],
)
def test_proposed_class_from_evidence(rat_year, proofs, expected):
    assert _propose(rat_year, proofs) == expected


@pytest.mark.parametrize(
    ("today", "open_objection", "expected"),
    [
        (D(2026, 3, 15), False, Klass.C),  # the last day of the period
        (D(2026, 3, 16), False, Klass.F),  # the day after
        (D(2026, 3, 16), True, Klass.C),  # an open objection pauses it
    ],
)
def test_objection_period_ending_makes_f(today, open_objection, expected):
    ladder = Ladder(peringatan_on=D(2026, 1, 15), open_objection=open_objection)
    assert _propose(2020, ladder=ladder, today=today) == expected


def test_f_needs_the_peringatan():
    assert _propose(2020, today=D(2030, 1, 1)) == Klass.C


def test_an_active_cooperative_never_becomes_f():
    ladder = Ladder(peringatan_on=D(2025, 1, 1))
    assert _propose(2025, ladder=ladder) == Klass.A


def test_d_and_e_become_f_too():
    ladder = Ladder(peringatan_on=D(2025, 1, 1))
    visit = [Proof(D(2024, 12, 1), visit=VisitResult.TIDAK_DITEMUKAN)]
    assert _propose(2020, visit, ladder=ladder) == Klass.F


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 15), 2, D(2026, 3, 15)),
        (D(2025, 12, 31), 2, D(2026, 2, 28)),  # end of month, across the year
        (D(2027, 12, 31), 2, D(2028, 2, 29)),  # leap year
        (D(2026, 11, 1), 2, D(2027, 1, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_objection_open_boundaries():
    ladder = Ladder(peringatan_on=D(2026, 1, 15))
    assert objection_end(ladder) == D(2026, 3, 15)
    assert objection_open(ladder, D(2026, 1, 15))
    assert objection_open(ladder, D(2026, 3, 15))
    assert not objection_open(ladder, D(2026, 3, 16))
    assert not objection_open(Ladder(), D(2026, 3, 16))


INTERVALS = (30, 30, 30)
P, T1, T2, W = (
    LetterKind.PEMBERITAHUAN,
    LetterKind.TEGURAN_1,
    LetterKind.TEGURAN_2,
    LetterKind.PERINGATAN,
)


@pytest.mark.parametrize(
    ("klass", "sent", "kind", "earliest"),
    [
        (Klass.C, [], P, None),
        (Klass.D, [], P, None),
        (Klass.E, [(P, D(2026, 1, 1))], T1, D(2026, 1, 31)),
        (Klass.C, [(P, D(2026, 1, 1)), (T1, D(2026, 2, 5))], T2, D(2026, 3, 7)),
        (
            Klass.C,
            [(P, D(2026, 1, 1)), (T1, D(2026, 2, 5)), (T2, D(2026, 3, 10))],
            W,
            D(2026, 4, 9),
        ),
        (
            Klass.C,
            [
                (P, D(2026, 1, 1)),
                (T1, D(2026, 2, 5)),
                (T2, D(2026, 3, 10)),
                (W, D(2026, 4, 9)),
            ],
            None,
            None,
        ),
        (Klass.A, [], None, None),  # A and B get no letters
        (Klass.B, [(P, D(2026, 1, 1))], None, None),
    ],
)
def test_ladder_next_letter(klass, sent, kind, earliest):
    result = next_letter(klass=klass, sent=sent, intervals_days=INTERVALS)
    assert (result.kind, result.earliest) == (kind, earliest)


@pytest.mark.parametrize(
    ("today", "allowed"),
    [(D(2026, 1, 30), False), (D(2026, 1, 31), True), (D(2026, 2, 1), True)],
)
def test_interval_is_enforced_to_the_day(today, allowed):
    result = next_letter(
        klass=Klass.C, sent=[(P, D(2026, 1, 1))], intervals_days=INTERVALS
    )
    assert may_send(result, today) is allowed


def test_a_letter_waits_until_the_one_before_it_has_gone_out():
    result = next_letter(
        klass=Klass.C, sent=[(P, D(2026, 2, 1))], intervals_days=INTERVALS
    )
    assert result.after == D(2026, 2, 1)
    assert may_send(result, D(2026, 3, 5), today=D(2026, 2, 1))
    assert not may_send(result, D(2026, 3, 5), today=D(2026, 1, 31))


def test_intervals_are_configurable():
    result = next_letter(
        klass=Klass.C, sent=[(P, D(2026, 1, 1))], intervals_days=(14, 30, 30)
    )
    assert result.earliest == D(2026, 1, 15)


def test_an_open_objection_pauses_the_ladder():
    result = next_letter(
        klass=Klass.C, sent=[], intervals_days=INTERVALS, open_objection=True
    )
    assert result.kind is None and not may_send(result, TODAY)


def test_an_accepted_objection_ends_the_ladder_for_the_campaign():
    sent = [(LetterKind.PEMBERITAHUAN, TODAY), (LetterKind.TEGURAN_1, TODAY)]
    result = next_letter(
        klass=Klass.C, sent=sent, intervals_days=INTERVALS, objection_accepted=True
    )
    assert result.kind is None and result.reason == "keberatan diterima"


def test_the_next_letter_waits_for_the_answer_date_printed_on_the_last():
    sent = [(LetterKind.PEMBERITAHUAN, TODAY)]
    printed = TODAY + datetime.timedelta(days=90)
    result = next_letter(
        klass=Klass.C,
        sent=sent,
        intervals_days=INTERVALS,
        answer_by={LetterKind.PEMBERITAHUAN: printed},
    )
    assert result.kind == LetterKind.TEGURAN_1
    assert result.earliest == printed + datetime.timedelta(days=1)


def test_the_verified_share_reads_as_r4_says_it():
    # The progress bar cut 5,22% to "5%" (and 29 of 30 to 96%).
    from decimal import Decimal

    from campaigns.selectors import Summary, SummaryRow

    def summary(verified, total):
        totals = SummaryRow(None, "", [total, 0, 0, 0, 0, 0], [])
        return Summary(rows=[], totals=totals, verified=verified, decided=0)

    assert summary(29, 30).percent_verified == Decimal("96.67")
    assert summary(30, 575).percent_verified == Decimal("5.22")
    assert summary(0, 0).percent_verified == Decimal("0.00")
