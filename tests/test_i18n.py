import ast
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation


def test_bahasa_indonesia_is_the_default_and_english_is_one_switch_away(db):
    client = Client()
    page = client.get(reverse("login")).content.decode()
    assert 'lang="id"' in page and "Masuk ke Registri Koperasi" in page
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("login")}
    )
    page = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in page and "Log in to the Cooperative Registry" in page
    # Kept when the browser closes (a cookie of the session had been forgotten).
    assert response.cookies["django_language"]["max-age"] == 365 * 24 * 60 * 60


def test_an_english_browser_still_gets_bahasa_indonesia_until_it_switches(db):
    client = Client(headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Masuk ke Registri Koperasi" in client.get(reverse("login")).content.decode()


def test_dates_read_the_indonesian_way(settings):
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("id"):
        text = Template('{{ d|date:"j F Y" }}').render(
            Context({"d": datetime.date(2019, 7, 12)})
        )
    assert text == "12 Juli 2019"
    assert settings.TIME_ZONE == "Asia/Makassar"


def test_the_strings_built_in_javascript_are_translated(db):
    client = Client()
    catalog = reverse("javascript-catalog")
    assert "Assets = liabilities" not in client.get(catalog).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    try:
        english = client.get(catalog).content.decode()
    finally:
        translation.activate("id")  # the request left English on in this thread
    assert "Assets = liabilities + equity." in english
    assert "Document for %(name)s" in english


LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"


def _po_entries(text: str) -> list[dict[str, Any]]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list,
    one per plural form) and flags; obsolete (#~) entries and the header left
    out. Enough of the format for makemessages' output."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] | None = None
    field = ""

    def close() -> None:
        if entry is not None and entry.get("msgid"):
            entries.append(entry)

    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if not line:
            close()
            entry, field = None, ""
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": []}
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if field == "msgstr":
                entry["msgstr"][-1] += value
            else:
                entry[field] += value
        else:
            keyword, _space, value = line.partition(" ")
            field = "msgstr" if keyword.startswith("msgstr") else keyword
            if field == "msgstr":
                entry["msgstr"].append(ast.literal_eval(value))
            else:
                entry[field] = ast.literal_eval(value)
    return entries


def _untranslated(text: str) -> list[str]:
    return [
        entry["msgid"]
        for entry in _po_entries(text)
        if "fuzzy" in entry["flags"]
        or not entry["msgstr"]
        or any(not msgstr for msgstr in entry["msgstr"])
    ]


def test_the_check_finds_empty_and_fuzzy_entries():
    sample = (
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        'msgid "Simpan"\nmsgstr "Save"\n\n'
        'msgid "Hapus"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "Nomor %(n)s"\nmsgstr "Number %(n)s"\n\n'
        'msgid ""\n"Baris "\n"panjang"\nmsgstr ""\n"Long "\n"line"\n\n'
        'msgid "%(n)s surat"\nmsgid_plural "%(n)s surat"\n'
        'msgstr[0] "%(n)s letter"\nmsgstr[1] ""\n\n'
        '#~ msgid "Lama"\n#~ msgstr ""\n'
    )
    assert _untranslated(sample) == ["Hapus", "Nomor %(n)s", "%(n)s surat"]
    assert {e["msgid"] for e in _po_entries(sample)} >= {"Baris panjang"}


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_english_entry_is_translated_and_none_is_fuzzy(domain):
    """Run ``makemessages -l en`` (``-d djangojs`` for the scripts) after adding
    strings: this fails until every one has its English."""
    text = (LOCALE / f"{domain}.po").read_text(encoding="utf-8")
    assert len(_po_entries(text)) > 0
    assert _untranslated(text) == []


def test_the_server_error_page_follows_the_language():
    from django.template.loader import render_to_string

    with translation.override("en"):
        page = render_to_string("500.html")
    assert 'lang="en"' in page and "A server error occurred" in page
    with translation.override("id"):
        assert "Terjadi kesalahan pada server" in render_to_string("500.html")
