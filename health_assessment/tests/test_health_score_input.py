"""health_score refuses unusable input with one line and exit code 1, and its JSON
says why an indicator has no skor or skor 1."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from lib.testing import require_or_skip
from tests.personas import PersonaTestCase

from .scoring_testing import FIGURES, SEKTOR_RIIL, all_met, shipped

BASE_DIR = Path(__file__).resolve().parents[2]


class HealthScoreInputTests(PersonaTestCase):
    def tmp_text(self, text):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        path = folder / "input.json"
        path.write_text(text, encoding="utf-8")
        return str(path)

    def run_command(self, text):
        path = self.tmp_text(text)
        out = StringIO()
        call_command(
            "health_score", "--ruleset", "KKPKK-2021-SR", "--input", path, stdout=out
        )
        return json.loads(out.getvalue())

    def test_unusable_input_is_one_clear_error(self):
        cases = {
            '{"figures": {"shu": NaN}}': "NaN",
            '{"figures": {"shu": Infinity}}': "Infinity",
            '{"figures": {"shu": -Infinity}}': "Infinity",
            '{"figures": {"shu": "NaN"}}': "shu",
            '{"figures": [1, 2]}': "'figures' must be a JSON object",
            '{"figures": [{"a": 1}]}': "'figures' must be a JSON object",
            '{"checklist": ["tk_keanggotaan_terbuka_1"]}': "'checklist'",
            '{"checklist": {"%s": "false"}}': "jawaban harus true atau false",
        }
        item = next(iter(all_met(shipped(SEKTOR_RIIL))))
        for text, message in cases.items():
            with self.subTest(text=text):
                text = text.replace("%s", item)
                with pytest.raises(CommandError, match=message):
                    self.run_command(text)

    def test_the_json_gives_the_reason(self):
        figures = {**FIGURES, "ekuitas": -37_037, "shu": -14_815, "shu_lalu": None}
        ruleset = shipped(SEKTOR_RIIL)
        names = {i.name for i in ruleset.inputs}
        result = self.run_command(
            json.dumps(
                {
                    "checklist": all_met(ruleset),
                    "figures": {k: v for k, v in figures.items() if k in names},
                }
            )
        )
        shown = {i["code"]: i for i in result["indicators"]}
        assert shown["kk_roe"]["skor"] == 1
        assert shown["kk_roe"]["reason"] == "ekuitas negatif"
        growth = [i for i in result["indicators"] if i["skor"] is None]
        assert growth and all(i["reason"] == "data kosong: shu_lalu" for i in growth)

    def test_from_the_shell_it_is_one_line_and_exit_code_1(self):
        # A process of its own reaches the test database only on a server.
        from django.db import connection

        if connection.vendor != "postgresql":
            require_or_skip(["PostgreSQL in DATABASE_URL"])
        path = self.tmp_text('{"figures": {"shu": NaN}}')
        database = settings.DATABASES["default"]
        url = (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        )
        done = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "health_score",
                "--ruleset",
                "KKPKK-2021-SR",
                "--input",
                path,
            ],
            cwd=BASE_DIR,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 1
        assert done.stdout == ""
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "NaN" in lines[0], done.stderr
