"""An upload over the limit is refused from its declared length, before any of its
body is read, with a page that says why."""

from django.test import override_settings
from django.urls import reverse

from tests.personas import PersonaTestCase


class Untouchable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


class RequestSizeTests(PersonaTestCase):
    @override_settings(REQUEST_BODY_MAX_BYTES=51 * 1024 * 1024)
    def test_a_300_mb_upload_is_refused_before_its_body_is_read(self):
        client = self.client_for(self.staff)
        for url in (
            reverse("cooperatives:import_create"),
            reverse("public:concern", args=[self.coop_a.pk]),
        ):
            with self.subTest(url=url):
                response = client.generic(
                    "POST",
                    url,
                    content_type="multipart/form-data; boundary=x",
                    CONTENT_LENGTH=str(300 * 1024 * 1024),
                    **{"wsgi.input": Untouchable()},
                )
                assert response.status_code == 413
                self.assertContains(response, "batasnya 51 MB", status_code=413)

    def test_the_limit_follows_the_largest_upload_setting(self):
        from django.conf import settings

        largest = max(settings.IMPORT_MAX_UPLOAD_MB, settings.RAT_ATTACHMENT_MAX_MB)
        assert (largest + 1) * 1024 * 1024 == settings.REQUEST_BODY_MAX_BYTES
