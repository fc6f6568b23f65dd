"""The development broker (kombu's filesystem transport) keeps every folder under
var/, none in the directory the process was started from."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

PUBLISH = """
import django
django.setup()
from koperasi_registry.celery import app
with app.connection_for_write() as connection:
    app.send_task("uji.tidak_ada", args=[1], connection=connection)
"""


def test_publishing_writes_only_under_var(tmp_path):
    var = tmp_path / "var"
    started_in = tmp_path / "elsewhere"
    started_in.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "koperasi_registry.settings",
        "CELERY_BROKER_URL": "filesystem://",
        "KOPERASI_VAR_DIR": str(var),
    }
    subprocess.run(
        [sys.executable, "-c", PUBLISH],
        cwd=started_in,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert list(started_in.iterdir()) == []
    assert any((var / "celery" / "control").iterdir())
    assert any((var / "celery" / "queue").iterdir())
