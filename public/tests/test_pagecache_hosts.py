"""A cached public page rendered for one host name is kept for that name: Django
builds absolute links from it. The page's own address, as printed and shared, is
the office's public one (SITE_URL) whichever name it was asked under."""

from django.test import override_settings

from tests.personas import PersonaTestCase


@override_settings(
    ALLOWED_HOSTS=["koperasi.balikpapan.go.id", "intranet.dinas.local"],
)
class CachedPageHostTests(PersonaTestCase):
    def setUp(self):
        # conftest turns the page cache off for every test; this one is about it.
        self.enterContext(self.settings(PUBLIC_CACHE_SECONDS=300))

    @override_settings(SITE_URL="https://koperasi.balikpapan.go.id")
    def test_each_host_gets_its_own_copy(self):
        url = f"/publik/koperasi/{self.coop_a.pk}/"
        first = self.anonymous.get(url, HTTP_HOST="koperasi.balikpapan.go.id")
        self.assertContains(first, "https://koperasi.balikpapan.go.id" + url)
        # Asked on the intranet: the address a member can open, not the
        # intranet's (a poster printed there had pointed where no one outside
        # could go).
        second = self.anonymous.get(url, HTTP_HOST="intranet.dinas.local")
        self.assertContains(second, "https://koperasi.balikpapan.go.id" + url)
        self.assertNotContains(second, "intranet.dinas.local" + url)
        # ... while each host still reuses its own copy.
        self.coop_a.name = "Nama Baru Belum Tampil"
        self.coop_a.save()
        again = self.anonymous.get(url, HTTP_HOST="koperasi.balikpapan.go.id")
        self.assertNotContains(again, "Nama Baru Belum Tampil")
