"""Fixtures shared by the end-to-end tests in this folder."""

import pytest

from .test_browser_registry import browser  # noqa: F401
from .test_celery_worker import worker_queue  # noqa: F401


@pytest.fixture
def site_url(settings, live_server):
    """Addresses the app prints (QR codes, links in messages) are the public one,
    SITE_URL: here, the test's own server, so that a test can follow them."""
    settings.SITE_URL = live_server.url
    return live_server.url
