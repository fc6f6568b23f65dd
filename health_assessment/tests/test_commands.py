"""health_score, health_ruleset_load and health_import_historic."""

import json
import shutil
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from health_assessment.models import Assessment, Predikat, RuleSetVersion
from tests.personas import PersonaTestCase

from .scoring_testing import FIGURES, RULESET_DIR, SEKTOR_RIIL, shipped


class CommandTests(PersonaTestCase):
    def test_health_score_prints_the_result_as_json(self):
        ruleset = shipped(SEKTOR_RIIL)
        data = {
            "checklist": {
                item.code: True for i in ruleset.indicators for item in i.items
            },
            "figures": {n: FIGURES[n] for n in (i.name for i in ruleset.inputs)},
        }
        path = self.tmp(data)
        out = StringIO()
        call_command(
            "health_score", "--ruleset", "KKPKK-2021-SR@1", "--input", path, stdout=out
        )
        result = json.loads(out.getvalue())
        assert result["final_score"] == "92.73" and result["predikat"] == "sehat"
        assert {"code": "kk_roa", "value": "5.00", "skor": 3} in result["indicators"]
        assert {"code": "tk", "score": "100.00", "predikat": "sehat"} in result[
            "aspects"
        ]

    def test_health_score_refuses_unknown_names_and_rule_sets(self):
        path = self.tmp({"figures": {"laba": 1}})
        with pytest.raises(CommandError, match="laba"):
            call_command("health_score", "--ruleset", "KKPKK-2021-SR", "--input", path)
        with pytest.raises(CommandError, match="No rule set"):
            call_command("health_score", "--ruleset", "KKPKK-1999", "--input", path)

    def test_ruleset_load_refuses_a_broken_file_and_loads_a_new_version(self):
        text = (RULESET_DIR / SEKTOR_RIIL).read_text("utf-8")
        broken = self.tmp_text(text.replace("weight: 30", "weight: 31", 1))
        with pytest.raises(CommandError, match="jumlah bobot aspek 101"):
            call_command("health_ruleset_load", broken)
        newer = self.tmp_text(text.replace("version: 1", "version: 2", 1))
        call_command("health_ruleset_load", newer, stdout=StringIO())
        assert RuleSetVersion.objects.filter(code="KKPKK-2021-SR").count() == 2

    def test_historic_import_records_all_rows_or_none(self):
        good = self.tmp_text(
            "nik;tahun_buku;instrumen;skor;predikat\n"
            "6471000000000001;2016;Perdep 06/2016;67,80;Cukup Sehat\n"
            "6471000000000002;2015;Permen 14/2009;45;tidak sehat\n"
        )
        bad = self.tmp_text(
            "nik,tahun_buku,instrumen,skor,predikat\n"
            "6471000000000001,2014,Permen 14/2009,70,cukup sehat\n"
            "9999,2014,Permen 14/2009,70,cukup sehat\n"
        )
        with pytest.raises(CommandError, match="line 3"):
            call_command("health_import_historic", bad)
        assert not Assessment.objects.exists()
        call_command("health_import_historic", good, stdout=StringIO())
        assert Assessment.objects.get(cooperative=self.coop_b).predikat == (
            Predikat.DALAM_PENGAWASAN_KHUSUS
        )

    def tmp(self, data):
        return self.tmp_text(json.dumps(data))

    def tmp_text(self, text):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        path = folder / "input.txt"
        path.write_text(text, encoding="utf-8")
        return str(path)
