"""Insolvency never earns a good skor; every indicator without a skor says why;
inputs that are not what they claim are refused (DB-free tables)."""

from decimal import Decimal

from django.test import SimpleTestCase

from health_assessment.scoring import Inputs, score

from .scoring_testing import SEKTOR_RIIL, all_met, inputs, shipped

INSOLVENT = {"ekuitas": -37_037, "shu": -14_815}  # -540% and +40% before the fix


class NegativeDenominatorTests(SimpleTestCase):
    def setUp(self):
        self.ruleset = shipped(SEKTOR_RIIL)

    def test_negative_equity_and_a_loss_get_skor_1_with_the_reason(self):
        result = score(self.ruleset, inputs(self.ruleset, **INSOLVENT))
        for code, value in (
            ("pm_kewajiban_panjang", Decimal("-540.00")),
            ("kk_roe", Decimal("40.00")),
        ):
            with self.subTest(code):
                indicator = result.indicator(code)
                assert indicator.value == value
                assert (indicator.skor, indicator.reason) == (1, "ekuitas negatif")
        shown = {i["code"]: i for i in result.as_dict()["indicators"]}  # type: ignore[union-attr]
        assert shown["kk_roe"]["reason"] == "ekuitas negatif"
        assert shown["kk_roe"]["skor"] == 1

    def test_a_positive_denominator_is_scored_as_before(self):
        result = score(self.ruleset, inputs(self.ruleset))
        assert result.indicator("kk_roe").skor == 4
        assert result.indicator("kk_roe").reason == ""

    def test_a_compound_denominator_is_named_as_written(self):
        result = score(self.ruleset, inputs(self.ruleset, beban_usaha=-100_000))
        reason = result.indicator("kk_kemandirian").reason
        assert reason == "penyebut negatif: beban_usaha + beban_perkoperasian"


class ReasonTests(SimpleTestCase):
    def setUp(self):
        self.ruleset = shipped(SEKTOR_RIIL)

    def test_every_indicator_without_a_skor_says_why(self):
        result = score(
            self.ruleset, inputs(self.ruleset, ekuitas=0, shu=None, shu_lalu=None)
        )
        assert result.indicator("kk_roe").reason == "data kosong: shu"
        assert (
            result.indicator("pm_kewajiban_panjang").reason == "penyebut nol: ekuitas"
        )
        for indicator in result.unavailable:
            with self.subTest(indicator.code):
                assert indicator.reason
        shown = result.as_dict()["indicators"]
        assert all("reason" in i for i in shown if i["skor"] is None)  # type: ignore[union-attr,index]


class FromDataTests(SimpleTestCase):
    def read(self, **parts):
        data = {"checklist": {}, "figures": {}, "overrides": {}, **parts}
        return Inputs.from_data(**data)

    def test_checklist_answers_must_be_booleans(self):
        for answer in ("false", "no", "true", 0, 1, None):
            with (
                self.subTest(answer=answer),
                self.assertRaisesMessage(ValueError, "tk_item_1"),
            ):
                self.read(checklist={"tk_item_1": answer})
        assert self.read(checklist={"a": True, "b": False}).checklist == {
            "a": True,
            "b": False,
        }

    def test_figures_must_be_finite_numbers_in_an_object(self):
        for raw in ("NaN", "Infinity", "-Infinity", float("nan"), float("inf"), [1]):
            with (
                self.subTest(raw=raw),
                self.assertRaisesMessage(ValueError, "shu"),
            ):
                self.read(figures={"shu": raw})
        for part in ("figures", "checklist", "overrides"):
            with (
                self.subTest(part=part),
                self.assertRaisesMessage(ValueError, part),
            ):
                self.read(**{part: [1, 2]})

    def test_all_met_still_scores_everything(self):
        ruleset = shipped(SEKTOR_RIIL)
        data = Inputs.from_data(
            checklist=all_met(ruleset), figures={"shu": "50000"}, overrides={}
        )
        assert data.figures["shu"] == Decimal("50000")
