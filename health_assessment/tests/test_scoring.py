"""KKPKK-2021 scoring rules as DB-free tables (DECISIONS.md, REFERENCE.md 1.2, 6.2)."""

from decimal import Decimal

import pytest

from health_assessment.scoring import Inputs, Override, predikat_for, score
from health_assessment.scoring.engine import band_for, group_score, round_half_up

from .scoring_testing import (
    SEKTOR_RIIL,
    SIMPAN_PINJAM,
    all_met,
    figures,
    inputs,
    shipped,
)

SR = shipped(SEKTOR_RIIL)
SP = shipped(SIMPAN_PINJAM)

# Every ratio indicator's bands at and beside each boundary: "value:skor", typed
# from REFERENCE.md 1.2.4-1.2.6, not derived from the rule-set files.
BANDS = {
    "pr_lk_aset_likuid": "-3:1 5:1 5.01:2 10:2 10.01:3 15:3 15.01:4 60:4",
    "pr_lk_kewajiban_lancar": "0:1 7:1 7.01:2 14:2 14.01:3 21:3 21.01:4",
    "pr_pj_aset_produktif": "10:1 49.99:1 50:2 64.99:2 65:3 79.99:3 80:4",
    "pr_pj_pinjaman_aset_produktif": "0:4 75:4 75.01:3 85:3 85.01:2 95:2 95.01:1",
    "kk_roa": "-4:1 2.99:1 3:2 4.99:2 5:3 6.99:3 7:4",
    "kk_roe": "4.99:1 5:2 6.99:2 7:3 9.99:3 10:4",
    "kk_kemandirian": "50:1 100:1 100.01:2 109.99:2 110:3 119.99:3 120:4 133.33:4",
    "kk_npm": "4.99:1 5:2 9.99:2 10:3 12:3 14.99:3 15:4",
    "kk_biaya_operasional": "79.99:4 80:3 89.99:3 90:2 99.99:2 100:1",
    "kk_beban_usaha_shu_kotor": "39.99:4 40:3 60:3 60.01:2 80:2 80.01:1",
    "kk_kas": "9.99:1 10:2 14.99:2 15:3 19.99:3 20:4",
    "kk_piutang_dana": "59.99:1 60:2 74.99:2 75:3 89.99:3 90:4",
    "kk_aset_lancar": "74.99:1 75:2 99.99:2 100:3 124.99:3 125:4",
    "kk_perputaran_persediaan": "3.99:1 4:2 6.99:2 7:3 9.99:3 10:4",
    "kk_periode_penagihan": "99.99:4 100:3 139.99:3 140:2 179.99:2 180:1",
    "kk_perputaran_piutang": "3.99:1 4:2 6.99:2 7:3 9.99:3 10:4",
    "kk_perputaran_modal": "0.24:1 0.25:2 0.74:2 0.75:3 1.24:3 1.25:4",
    "kk_perputaran_aktiva": "0.04:1 0.05:2 0.14:2 0.15:3 0.24:3 0.25:4",
    "kk_tumbuh_aset": "3.99:1 4:2 6.99:2 7:3 9.99:3 10:4",
    "kk_tumbuh_ekuitas": "3.99:1 4:2 6.99:2 7:3 8:3 9.99:3 10:4",
    "kk_tumbuh_shu": "0.99:1 1:2 2.99:2 3:3 4.99:3 5:4",
    "kk_pendapatan_utama": "34.99:1 35:2 59.99:2 60:3 84.99:3 85:4",
    "kk_shu_simpanan": "9.99:1 10:2 19.99:2 20:3 29.99:3 30:4",
    "kk_partisipasi_simpanan": "24.99:1 25:2 50.99:2 51:3 74.99:3 75:4",
    "pm_ekuitas_aset": "-5:1 5:1 10:1 10.01:2 15:2 20:2 20.01:3 25:3 30:3 30.01:4 35:4",
    "pm_car": "3:1 3.99:1 4:2 5:2 5.99:2 6:3 7:3 7.99:3 8:4",
    "pm_pinjaman_anggota": "9.99:1 10:2 19.99:2 20:3 29.99:3 30:4",
    "pm_kewajiban_panjang": "100:4 100.01:3 125:3 125.01:2 150:2 150.01:1",
}


def _band_cases() -> list[tuple[str, str, Decimal, int]]:
    cases = []
    for ruleset in (SR, SP):
        for indicator in ruleset.indicators:
            if indicator.is_checklist:
                continue
            for pair in BANDS[indicator.code].split():
                value, skor = pair.split(":")
                cases.append((ruleset.code, indicator.code, Decimal(value), int(skor)))
    return cases


@pytest.mark.parametrize(("ruleset", "code", "value", "skor"), _band_cases())
def test_each_band_boundary_gives_the_published_skor(ruleset, code, value, skor):
    indicator = (SR if ruleset == SR.code else SP).indicator(code)
    assert band_for(indicator.bands, value).skor == skor


def test_every_ratio_indicator_has_a_band_table_here():
    codes = {i.code for r in (SR, SP) for i in r.indicators if not i.is_checklist}
    assert codes == set(BANDS)


@pytest.mark.parametrize(
    ("total", "met", "skor"),
    [
        (4, 3, 3),  # 75%
        (5, 4, 4),  # 80%
        (4, 1, 1),  # 25%
        (4, 0, 1),
        (17, 0, 1),
        (4, 2, 2),  # 50%
        (4, 4, 4),
        (3, 1, 2),  # 33.3%
        (3, 2, 3),  # 66.7%
        (2, 1, 2),  # 50%
        (8, 6, 3),  # 75%
        (100, 76, 4),
        (100, 75, 3),
        (100, 26, 2),
        (100, 25, 1),
        (100, 51, 3),
        (1, 1, 4),
    ],
)
def test_checklist_rule(total, met, skor):
    share = Decimal(met * 100) / Decimal(total)
    assert (1 if met == 0 else band_for(SR.checklist_bands, share).skor) == skor


def test_a_checklist_indicator_counts_its_items_met():
    indicator = SR.indicator("tk_demokratis")  # 5 items
    answers = {item.code: n < 4 for n, item in enumerate(indicator.items)}
    result = score(SR, Inputs(checklist=answers, figures=figures()))
    scored = result.indicator("tk_demokratis")
    assert (scored.met, scored.total, scored.value, scored.skor) == (
        4,
        5,
        Decimal("80.00"),
        4,
    )


# The worked sektor-riil example: FIGURES in scoring_testing.py, by hand.
EXPECTED_SR = {
    "pr_lk_aset_likuid": ("12.00", 3),  # 120.000 / 1.000.000
    "pr_lk_kewajiban_lancar": ("30.00", 4),  # 120.000 / 400.000
    "kk_roa": ("5.00", 3),  # 50.000 / 1.000.000
    "kk_roe": ("12.50", 4),  # 50.000 / 400.000
    "kk_kemandirian": ("375.00", 4),  # (800.000 - 500.000) / (60.000 + 20.000)
    "kk_biaya_operasional": ("72.50", 4),  # 580.000 / 800.000
    "kk_beban_usaha_shu_kotor": ("50.00", 3),  # 60.000 / 120.000
    "kk_kas": ("30.00", 4),
    "kk_piutang_dana": ("75.00", 3),  # 300.000 / 400.000
    "kk_aset_lancar": ("112.50", 3),  # 450.000 / 400.000
    "kk_perputaran_persediaan": ("5.00", 2),  # 500.000 / 100.000
    "kk_periode_penagihan": ("50.00", 4),  # 100.000 / (730.000 / 365)
    "kk_perputaran_piutang": ("7.30", 3),  # 730.000 / 100.000
    "kk_perputaran_modal": ("1.83", 4),  # 730.000 / 400.000 = 1.825, half up
    "kk_perputaran_aktiva": ("0.73", 4),
    "kk_tumbuh_aset": ("11.11", 4),  # 100.000 / 900.000
    "kk_tumbuh_ekuitas": ("5.26", 2),  # 20.000 / 380.000
    "kk_tumbuh_shu": ("4.17", 3),  # 2.000 / 48.000
    "kk_pendapatan_utama": ("88.89", 4),  # 800.000 / 900.000
    "kk_shu_simpanan": ("25.00", 3),  # 50.000 / 200.000
    "kk_partisipasi_simpanan": ("75.00", 4),  # 300.000 / 400.000
    "pm_ekuitas_aset": ("40.00", 4),
    "pm_pinjaman_anggota": ("25.00", 3),
    "pm_kewajiban_panjang": ("50.00", 4),
}


def test_every_sektor_riil_formula_on_a_worked_example():
    result = score(SR, inputs(SR))
    got = {
        i.code: (format(i.value, "f"), i.skor)
        for i in result.indicators
        if i.kind == "ratio"
    }
    assert got == EXPECTED_SR


def test_the_worked_example_aggregates_per_aspect_and_final():
    result = score(SR, inputs(SR))
    aspects = {a.code: (a.score, a.predikat) for a in result.aspects}
    # tk: 17 checklists all met -> 100; pr: 14 checklists at 4 + skor 3 + 4 ->
    # 63/64 = 98.44; kk: skors 3,4,4,4,3,4,3,3,2,4,3,4,4,4,2,3,4,3,4 = 65/76 = 85.53;
    # pm: 4,3,4 = 11/12 = 91.67.
    assert aspects == {
        "tk": (Decimal("100.00"), "sehat"),
        "pr": (Decimal("98.44"), "sehat"),
        "kk": (Decimal("85.53"), "sehat"),
        "pm": (Decimal("91.67"), "sehat"),
    }
    # 100 x .30 + 98.44 x .15 + 85.53 x .40 + 91.67 x .15 = 92.7285 -> 92.73
    assert result.final_score == Decimal("92.73")
    assert result.predikat == "sehat"
    subs = {s.code: s.score for a in result.aspects for s in a.sub_aspects}
    assert subs["kk_evaluasi"] == Decimal("90.00")  # 3,4,4,4,3 = 18/20
    assert subs["kk_manajemen"] == Decimal("84.38")  # 4,3,3,2,4,3,4,4 = 27/32


def test_reference_example_for_kemandirian_operasional():
    # REFERENCE.md 6.2: bruto 1.000, pokok 400, usaha 400, perkoperasian 50 -> 133%
    result = score(
        SR,
        inputs(
            SR,
            partisipasi_bruto=1000,
            beban_pokok=400,
            beban_usaha=400,
            beban_perkoperasian=50,
        ),
    )
    assert result.indicator("kk_kemandirian").value == Decimal("133.33")
    assert result.indicator("kk_kemandirian").skor == 4


@pytest.mark.parametrize(
    ("skors", "expected"),
    [
        ([4, 4, 3, 4, 3, 4, 2], "85.71"),  # REFERENCE.md 6.2
        ([4, 4, 4, 4], "100.00"),
        ([1, 1, 1, 1], "25.00"),
        ([1, 1, 1, 1, 1, 1, 1, 2], "28.13"),  # 9/32 = 28.125: half up, not even
        ([1, 1, 1, 1, 1, 1, 1, 1], "25.00"),
        ([2, 2, 3], "58.33"),
        ([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4], "76.56"),  # 76.5625
        ([4, None, 3], None),
    ],
)
def test_group_score_is_sum_over_n_times_4_rounded_half_up(skors, expected):
    got = group_score(skors)
    assert (None if got is None else format(got, "f")) == expected


def test_aspect_score_is_over_all_indicators_not_the_mean_of_sub_aspects():
    ruleset = SR
    answers = all_met(ruleset)
    # Prinsip (7 indicators) all 4; Kelembagaan (5) all at skor 1; Manajemen all 4.
    for indicator in ruleset.aspects[0].sub_aspects[1].indicators:
        for item in indicator.items:
            answers[item.code] = False
    result = score(ruleset, Inputs(checklist=answers, figures=figures()))
    tk = result.aspects[0]
    assert [s.score for s in tk.sub_aspects] == [
        Decimal("100.00"),
        Decimal("25.00"),
        Decimal("100.00"),
    ]
    # (7x4 + 5x1 + 5x4) / (17x4) = 53/68 = 77.94, not (100+25+100)/3 = 75.00
    assert tk.score == Decimal("77.94")
    assert tk.predikat == "cukup_sehat"


@pytest.mark.parametrize(
    ("value", "predikat"),
    [
        ("100", "sehat"),
        ("80.00", "sehat"),
        ("79.99", "cukup_sehat"),
        ("79.85", "cukup_sehat"),
        ("68.60", "cukup_sehat"),
        ("66.00", "cukup_sehat"),
        ("65.99", "dalam_pengawasan"),
        ("65.98", "dalam_pengawasan"),
        ("53.65", "dalam_pengawasan"),
        ("51.00", "dalam_pengawasan"),
        ("50.99", "dalam_pengawasan_khusus"),
        ("0", "dalam_pengawasan_khusus"),
    ],
)
def test_predikat_boundaries(value, predikat):
    assert predikat_for(SR, Decimal(value)) == predikat
    assert predikat_for(SP, Decimal(value)) == predikat


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2.345", "2.35"), ("2.344", "2.34"), ("79.995", "80.00"), ("-1.005", "-1.01")],
)
def test_round_half_up(value, expected):
    assert format(round_half_up(Decimal(value)), "f") == expected


def test_final_score_rounds_the_weighted_sum_half_up_before_the_predikat():
    ruleset = SR
    answers = all_met(ruleset)
    # tk: one item unmet in each Prinsip indicator: 3/4 -> skor 3 six times, but
    # 4/5 (pengelolaan demokratis) is 80% -> still 4: (6x3 + 11x4) / 68 = 91.18
    for indicator in ruleset.aspects[0].indicators[:7]:
        answers[indicator.items[0].code] = False
    result = score(ruleset, Inputs(checklist=answers, figures=figures()))
    scores = [a.score for a in result.aspects]
    assert scores == [Decimal(s) for s in ("91.18", "98.44", "85.53", "91.67")]
    # 27.354 + 14.766 + 34.212 + 13.7505 = 90.0825 -> 90.08
    assert result.final_score == Decimal("90.08")


def test_a_zero_denominator_is_data_tidak_tersedia_not_a_score():
    result = score(SR, inputs(SR, kewajiban_lancar=0))
    kas = result.indicator("kk_kas")
    assert kas.skor is None and kas.zero_denominator and not kas.available
    assert result.aspects[2].score is None  # kinerja keuangan
    assert result.final_score is None and result.predikat is None
    assert not result.complete
    assert {i.code for i in result.unavailable} == {
        "pr_lk_kewajiban_lancar",
        "kk_kas",
        "kk_aset_lancar",
    }


def test_a_missing_input_names_what_is_missing():
    result = score(SR, inputs(SR, shu_lalu=None))
    growth = result.indicator("kk_tumbuh_shu")
    assert growth.skor is None and growth.missing == ("shu_lalu",)


def test_an_override_with_a_reason_scores_an_unavailable_indicator():
    base = inputs(SR, shu_lalu=None)
    with_override = Inputs(
        checklist=base.checklist,
        figures=base.figures,
        overrides={
            "kk_tumbuh_shu": Override(skor=2, reason="laporan tahun lalu hilang")
        },
    )
    result = score(SR, with_override)
    growth = result.indicator("kk_tumbuh_shu")
    assert growth.skor == 2 and growth.overridden
    assert result.complete


def test_an_override_never_replaces_a_computed_skor():
    base = inputs(SR)
    result = score(
        SR,
        Inputs(
            checklist=base.checklist,
            figures=base.figures,
            overrides={"kk_roa": Override(skor=4, reason="x")},
        ),
    )
    assert result.indicator("kk_roa").skor == 3
    assert not result.indicator("kk_roa").overridden


def test_simpan_pinjam_scores_its_own_indicators():
    result = score(SP, inputs(SP))
    got = {
        i.code: (format(i.value, "f"), i.skor)
        for i in result.indicators
        if i.kind == "ratio"
    }
    assert got["pr_pj_aset_produktif"] == ("80.00", 4)  # 800.000 / 1.000.000
    assert got["pr_pj_pinjaman_aset_produktif"] == ("80.00", 3)  # 640 / 800
    assert got["pm_car"] == ("7.00", 3)  # REFERENCE.md 6.2: CAR 7% -> 3
    assert got["kk_npm"] == ("5.56", 2)  # 50.000 / 900.000
    assert result.complete


def test_json_shape_of_a_result():
    data = score(SR, inputs(SR)).as_dict()
    assert data["final_score"] == "92.73" and data["predikat"] == "sehat"
    assert {"code": "kk_roa", "value": "5.00", "skor": 3} in data["indicators"]
    assert {"code": "pm", "score": "91.67", "predikat": "sehat"} in data["aspects"]
