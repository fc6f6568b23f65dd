"""Fixtures shared by the end-to-end tests in this folder."""

from .test_browser_registry import browser  # noqa: F401
from .test_celery_worker import worker_queue  # noqa: F401
