"""What the assessment page writes beside an indicator, in the reader's language:
why it has no skor (or a skor of 1), and its band (DB-free)."""

from decimal import Decimal

from django.test import SimpleTestCase
from django.utils import translation

from health_assessment.scoring import Band, score
from health_assessment.templatetags.health import band_text, indicator_reason, ratio

from .scoring_testing import SEKTOR_RIIL, inputs, shipped

CASES = (
    # (figures, indicator, reason in English)
    ({"shu": None}, "kk_roe", "missing: shu"),
    ({"ekuitas": 0}, "pm_kewajiban_panjang", "zero denominator: ekuitas"),
    ({"ekuitas": -37_037, "shu": -14_815}, "kk_roe", "negative ekuitas"),
    (
        {"beban_usaha": -100_000},
        "kk_kemandirian",
        "negative denominator: beban usaha + beban perkoperasian",
    ),
)


class ReasonShownTests(SimpleTestCase):
    def setUp(self):
        self.ruleset = shipped(SEKTOR_RIIL)

    def indicator(self, figures, code):
        return score(self.ruleset, inputs(self.ruleset, **figures)).indicator(code)

    def test_in_bahasa_indonesia_the_page_says_what_the_engine_says(self):
        for figures, code, _english in CASES:
            with self.subTest(code), translation.override("id"):
                indicator = self.indicator(figures, code)
                assert indicator.reason
                # The same, the names as words ("beban usaha").
                assert indicator_reason(indicator) == indicator.reason.replace("_", " ")

    def test_in_english_the_page_says_it_in_english(self):
        for figures, code, english in CASES:
            with self.subTest(code), translation.override("en"):
                assert indicator_reason(self.indicator(figures, code)) == english

    def test_the_worksheet_s_labels_name_the_inputs(self):
        labels = {i.name: i.label for i in self.ruleset.inputs}
        with translation.override("id"):
            missing = self.indicator(
                {"beban_penjualan": None}, "kk_perputaran_persediaan"
            )
            assert indicator_reason(missing, labels=labels) == (
                "data kosong: Beban pokok penjualan"
            )
            negative = self.indicator({"beban_usaha": -100_000}, "kk_kemandirian")
            assert indicator_reason(negative, labels=labels) == (
                "penyebut negatif: Beban usaha + Beban perkoperasian"
            )


class BandShownTests(SimpleTestCase):
    band = Band(
        skor=3,
        lower=Decimal(5),
        lower_inclusive=True,
        upper=Decimal(7),
        upper_inclusive=False,
    )

    def test_a_band_and_days_read_in_the_readers_language(self):
        with translation.override("id"):
            assert band_text(self.band, "%") == "5,00% s.d. < 7,00%"
            assert ratio(Decimal(50), "hari") == "50,00 hari"
        with translation.override("en"):
            assert band_text(self.band, "%") == "5.00% to < 7.00%"
            assert ratio(Decimal(50), "hari") == "50.00 days"
