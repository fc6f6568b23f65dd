import os
import subprocess
import sys
import threading
from pathlib import Path

import pypdfium2

from lib import pdf

BASE_DIR = Path(__file__).resolve().parents[2]
LETTER = "<p>Surat nomor {n} untuk Koperasi Uji</p>"


def _text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        return str(page.get_textpage().get_text_range())
    finally:
        document.close()


def test_documents_rendered_one_after_another_share_one_font_configuration():
    first = pdf.html_to_pdf(LETTER.format(n=1), base_url="http://testserver/")
    config = pdf._local.font_config
    second = pdf.html_to_pdf(LETTER.format(n=2), base_url="http://testserver/")
    assert pdf._local.font_config is config
    assert "Surat nomor 1" in _text(first)
    assert "Surat nomor 2" in _text(second)


def test_each_thread_gets_its_own_font_configuration():
    pdf.html_to_pdf(LETTER.format(n=1), base_url="http://testserver/")
    here = pdf._local.font_config
    there = []

    def render() -> None:
        pdf.html_to_pdf(LETTER.format(n=3), base_url="http://testserver/")
        there.append(pdf._local.font_config)

    thread = threading.Thread(target=render)
    thread.start()
    thread.join()
    assert there and there[0] is not here


def test_the_celery_parent_loads_neither_weasyprint_nor_pdfium():
    """The worker's parent process imports every task module and forks the
    children from itself: what it imports it holds for the worker's whole life
    and every child starts with it."""
    script = (
        "import sys, django; django.setup()\n"
        "from koperasi_registry.celery import app\n"
        "app.loader.import_default_modules()\n"
        "print(sorted(m for m in ('weasyprint', 'pypdfium2') if m in sys.modules))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "koperasi_registry.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
