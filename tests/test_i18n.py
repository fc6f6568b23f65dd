from django.test import Client
from django.urls import reverse
from django.utils import translation


def test_bahasa_indonesia_is_the_default_and_english_is_one_switch_away(db):
    client = Client()
    page = client.get(reverse("login")).content.decode()
    assert 'lang="id"' in page and "Masuk ke Registri Koperasi" in page
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    page = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in page and "Log in to the Cooperative Registry" in page


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
