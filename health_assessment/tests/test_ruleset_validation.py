"""Rule-set files are validated whole when loaded; broken definitions are refused
with a message naming the problem. DB-free."""

import copy

import pytest

from health_assessment.scoring import RuleSetError, parse_ruleset

from .scoring_testing import SEKTOR_RIIL, SIMPAN_PINJAM, raw_definition, shipped


def test_both_shipped_variants_load():
    sr, sp = shipped(SEKTOR_RIIL), shipped(SIMPAN_PINJAM)
    assert [a.weight for a in sr.aspects] == [30, 15, 40, 15]
    assert [a.weight for a in sp.aspects] == [30, 15, 40, 15]
    assert [len(a.indicators) for a in sr.aspects] == [17, 16, 19, 3]
    assert not sr.has_provisional and sp.has_provisional
    assert sr.jenis == ("konsumen", "produsen", "pemasaran", "jasa")
    assert sp.jenis == ("simpan_pinjam",)


@pytest.mark.parametrize("name", [SEKTOR_RIIL, SIMPAN_PINJAM])
def test_every_input_is_used_and_every_ratio_names_a_lever(name):
    ruleset = shipped(name)
    used = {n for i in ruleset.indicators if i.formula for n in i.formula.names}
    assert used == {i.name for i in ruleset.inputs}
    assert all(i.lever for i in ruleset.indicators if not i.is_checklist)


def _broken(change):
    data = copy.deepcopy(raw_definition(SEKTOR_RIIL))
    change(data)
    with pytest.raises(RuleSetError) as caught:
        parse_ruleset(data)
    return "\n".join(caught.value.errors)


def _indicator(data, code):
    for aspect in data["aspects"]:
        for sub in aspect["sub_aspects"]:
            for indicator in sub["indicators"]:
                if indicator["code"] == code:
                    return indicator
    raise KeyError(code)


def test_weights_must_sum_to_100():
    def change(data):
        data["aspects"][0]["weight"] = 29

    assert "jumlah bobot aspek 99, harus 100" in _broken(change)


def test_a_gap_between_bands_is_refused():
    def change(data):
        _indicator(data, "kk_roa")["bands"][1]["range"] = "[3.5, 5)"

    assert "celah atau tumpang tindih" in _broken(change)


def test_overlapping_bands_are_refused():
    def change(data):
        _indicator(data, "kk_roa")["bands"][1]["range"] = "[2, 5)"

    assert "celah atau tumpang tindih" in _broken(change)


def test_a_bound_in_both_bands_is_refused():
    def change(data):
        _indicator(data, "kk_roa")["bands"][0]["range"] = "(-inf, 3]"

    assert "batas 3 harus masuk tepat satu" in _broken(change)


def test_a_bound_in_neither_band_is_refused():
    def change(data):
        _indicator(data, "kk_roa")["bands"][1]["range"] = "(3, 5)"

    assert "batas 3 harus masuk tepat satu" in _broken(change)


def test_bands_must_cover_the_whole_line():
    def change(data):
        _indicator(data, "kk_roa")["bands"][0]["range"] = "[0, 3)"

    assert "rentang tidak mulai dari -inf" in _broken(change)


def test_skor_must_follow_the_direction():
    def change(data):
        _indicator(data, "kk_roa")["direction"] = "lower_is_better"

    assert "skor tidak sesuai arah" in _broken(change)


def test_every_skor_needs_a_band():
    def change(data):
        bands = _indicator(data, "kk_roa")["bands"]
        bands[3]["skor"] = 3
        bands[2]["range"] = "[5, inf)"
        del bands[3]

    assert "setiap skor 1, 2, 3 dan 4" in _broken(change)


def test_a_formula_naming_an_unknown_input_is_refused():
    def change(data):
        _indicator(data, "kk_roa")["formula"] = "laba / total_aset * 100"

    assert "masukan tak dikenal: ['laba']" in _broken(change)


def test_a_formula_calling_a_function_is_refused():
    def change(data):
        _indicator(data, "kk_roa")["formula"] = "abs(shu) / total_aset"

    assert "indikator kk_roa: bagian rumus tidak dikenal: Call" in _broken(change)


def test_a_checklist_item_without_text_is_refused():
    def change(data):
        _indicator(data, "tk_legalitas")["items"][1]["text"] = "  "

    assert "butir tk_lg_2: teks butir kosong" in _broken(change)


def test_a_duplicate_code_is_refused():
    def change(data):
        _indicator(data, "kk_roe")["code"] = "kk_roa"

    assert "kode 'kk_roa' dipakai dua kali" in _broken(change)


def test_an_unreadable_interval_is_refused():
    def change(data):
        _indicator(data, "kk_roa")["bands"][1]["range"] = "3 sampai 5"

    assert "bukan bentuk [a, b)" in _broken(change)


def test_the_checklist_rule_must_cover_0_to_100():
    def change(data):
        data["checklist_bands"][3]["range"] = "(75, 99]"

    assert "checklist_bands: rentang tidak sampai 100]" in _broken(change)


def test_predikat_bands_must_name_all_four():
    def change(data):
        data["predikat"] = data["predikat"][:3]

    assert "keempat predikat" in _broken(change)


def test_a_lever_must_be_in_the_formula():
    def change(data):
        _indicator(data, "kk_roa")["lever"] = "ekuitas"

    assert "lever 'ekuitas' tidak ada dalam rumus" in _broken(change)


def test_every_problem_is_reported_at_once():
    def change(data):
        data["aspects"][0]["weight"] = 29
        _indicator(data, "kk_roa")["formula"] = "laba / total_aset"
        data["jenis"] = ["koperasi_bebas"]

    message = _broken(change)
    assert "jumlah bobot" in message and "laba" in message
    assert "jenis 'koperasi_bebas' tidak dikenal" in message
