"""The WhatsApp templates an office must register with Meta (docs/whatsapp.md) are
the ones the app sends, with as many parameters as the fake Cloud API (which
refuses others, as Meta does) expects: a new message without its row in the list
would be refused by the real API on its first day."""

import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from .fake_whatsapp import TEMPLATES

ROOT = Path(settings.BASE_DIR)


def documented() -> dict[str, int]:
    """Each template row of docs/whatsapp.md: its name and how many ``{{n}}`` its
    body to register has."""
    rows: dict[str, int] = {}
    for line in (ROOT / "docs" / "whatsapp.md").read_text().splitlines():
        match = re.match(r"\| `(\w+)`[^|]*\| ([^|]+) \|", line)
        if match and "{{1}}" in match.group(2):
            rows[match.group(1)] = len(set(re.findall(r"\{\{\d\}\}", match.group(2))))
    return rows


class TemplateListTests(SimpleTestCase):
    def test_every_message_sent_by_whatsapp_is_listed_to_register(self):
        sent = {
            path.name.removesuffix("_whatsapp.txt")
            for path in (ROOT / "templates").rglob("*_whatsapp.txt")
        }
        rows = documented()
        self.assertEqual(set(rows), sent)
        self.assertEqual(rows, TEMPLATES)
