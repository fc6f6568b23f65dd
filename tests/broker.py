"""A broker that cannot be reached, for the tests of what happens then: Celery is
pointed at a Redis address where nothing listens (port 9, refused at once), with
tasks sent for real (not run in-process), and put back afterwards."""

from collections.abc import Iterator
from contextlib import contextmanager

from koperasi_registry.celery import app

UNREACHABLE = "redis://127.0.0.1:9/0"


def _forget_connections() -> None:
    # Celery keeps its connection and producer pools once made.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_down() -> Iterator[None]:
    conf = app.conf
    saved = {
        "broker_url": conf.broker_url,
        "broker_write_url": conf.broker_write_url,
        "task_always_eager": conf.task_always_eager,
        "broker_transport_options": conf.broker_transport_options,
    }
    conf.broker_url = conf.broker_write_url = UNREACHABLE
    conf.task_always_eager = False
    conf.broker_transport_options = {}
    _forget_connections()
    try:
        yield
    finally:
        for key, value in saved.items():
            conf[key] = value
        _forget_connections()
