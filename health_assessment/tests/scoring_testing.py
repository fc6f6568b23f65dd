"""Shared inputs for the DB-free scoring tests."""

from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from health_assessment.scoring import Inputs, RuleSet, parse_ruleset

RULESET_DIR = Path(__file__).resolve().parents[1] / "rulesets"
SEKTOR_RIIL = "kkpkk-2021-sektor-riil.v1.yaml"
SIMPAN_PINJAM = "kkpkk-2021-simpan-pinjam.v1.yaml"


@cache
def shipped(name: str) -> RuleSet:
    return parse_ruleset(yaml.safe_load((RULESET_DIR / name).read_text("utf-8")))


def raw_definition(name: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((RULESET_DIR / name).read_text("utf-8"))


# A sektor-riil cooperative with round numbers; expected ratios worked by hand in
# test_scoring.py.
FIGURES = {
    "total_aset": 1_000_000,
    "total_aset_lalu": 900_000,
    "ekuitas": 400_000,
    "ekuitas_lalu": 380_000,
    "shu": 50_000,
    "shu_lalu": 48_000,
    "shu_kotor": 120_000,
    "penjualan": 730_000,
    "beban_penjualan": 500_000,
    "partisipasi_bruto": 800_000,
    "beban_pokok": 500_000,
    "beban_usaha": 60_000,
    "beban_perkoperasian": 20_000,
    "total_pendapatan": 900_000,
    "aset_likuid": 120_000,
    "aset_lancar": 450_000,
    "kewajiban_lancar": 400_000,
    "kewajiban_jangka_panjang": 200_000,
    "piutang_usaha": 300_000,
    "dana_diterima": 400_000,
    "piutang_dagang": 100_000,
    "persediaan": 100_000,
    "simpanan_pokok": 50_000,
    "simpanan_wajib": 150_000,
    "simpanan_anggota": 300_000,
    "simpanan_non_anggota": 100_000,
    "modal_pinjaman_anggota": 250_000,
    # simpan pinjam only
    "aset_produktif": 800_000,
    "pinjaman_diberikan": 640_000,
    "modal_tertimbang": 70_000,
    "atmr": 1_000_000,
}


def figures(**changes: int | str | None) -> dict[str, Decimal | None]:
    values: dict[str, int | str | None] = {**FIGURES, **changes}
    return {k: None if v is None else Decimal(str(v)) for k, v in values.items()}


def all_met(ruleset: RuleSet) -> dict[str, bool]:
    return {item.code: True for i in ruleset.indicators for item in i.items}


def inputs(ruleset: RuleSet, **changes: int | str | None) -> Inputs:
    return Inputs(checklist=all_met(ruleset), figures=figures(**changes))
