"""A cached public page rendered for one host name is never served to another:
it carries absolute links to itself."""

from django.test import override_settings

from tests.personas import PersonaTestCase


@override_settings(
    ALLOWED_HOSTS=["koperasi.balikpapan.go.id", "intranet.dinas.local"],
)
class CachedPageHostTests(PersonaTestCase):
    def setUp(self):
        # conftest turns the page cache off for every test; this one is about it.
        self.enterContext(self.settings(PUBLIC_CACHE_SECONDS=300))

    def test_each_host_gets_its_own_copy(self):
        url = f"/publik/koperasi/{self.coop_a.pk}/"
        first = self.anonymous.get(url, HTTP_HOST="koperasi.balikpapan.go.id")
        self.assertContains(first, "http://koperasi.balikpapan.go.id" + url)
        second = self.anonymous.get(url, HTTP_HOST="intranet.dinas.local")
        self.assertContains(second, "http://intranet.dinas.local" + url)
        self.assertNotContains(second, "koperasi.balikpapan.go.id")
        # ... while each host still reuses its own copy.
        self.coop_a.name = "Nama Baru Belum Tampil"
        self.coop_a.save()
        again = self.anonymous.get(url, HTTP_HOST="koperasi.balikpapan.go.id")
        self.assertNotContains(again, "Nama Baru Belum Tampil")
