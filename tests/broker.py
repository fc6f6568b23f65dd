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


@contextmanager
def broker_hanging() -> Iterator[None]:
    """A "Redis" that takes every connection and never answers (a frozen Redis,
    a network path gone), with the production settings' timeouts made short."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    conf = app.conf
    saved = {
        "broker_url": conf.broker_url,
        "broker_write_url": conf.broker_write_url,
        "task_always_eager": conf.task_always_eager,
        "broker_transport_options": conf.broker_transport_options,
    }
    url = f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    conf.broker_url = conf.broker_write_url = url
    conf.task_always_eager = False
    conf.broker_transport_options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    _forget_connections()
    try:
        yield
    finally:
        for key, value in saved.items():
            conf[key] = value
        _forget_connections()
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()
