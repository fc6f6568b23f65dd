import pytest

from koperasi_registry.celery import app as celery_app


def pytest_configure(config):
    """Passwords hashed with MD5 in tests: the production hasher (PBKDF2, about
    0.2 s a password on purpose) cost each persona test class 0.7 s. Set before any
    test runs, so that setUpTestData's users are hashed with it too."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Tasks run in-process in unit tests; integration tests use a real worker."""
    eager = request.node.get_closest_marker("integration") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _public_pages_uncached(settings):
    """Tests change data between requests; the tests of caching turn it back on."""
    settings.PUBLIC_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures and rate-limit counters must not leak between tests."""
    from django.core.cache import caches

    from public import pagecache

    for cache in caches.all():
        cache.clear()
    pagecache.clear()
    yield
    for cache in caches.all():
        cache.clear()
    pagecache.clear()
