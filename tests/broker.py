"""A broker that cannot be reached, for the tests of what happens then: Celery is
pointed at a Redis address that refuses (port 9) or that takes the connection and
never answers, with tasks sent for real (not run in-process), and put back
afterwards."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from koperasi_registry.celery import app


def _forget_connections() -> None:
    # Celery keeps its connection and producer pools once made.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def _broker_at(url: str, transport_options: dict[str, Any]) -> Iterator[None]:
    conf = app.conf
    saved = {
        key: conf[key]
        for key in (
            "broker_url",
            "broker_write_url",
            "task_always_eager",
            "broker_transport_options",
        )
    }
    conf.broker_url = conf.broker_write_url = url
    conf.task_always_eager = False
    conf.broker_transport_options = transport_options
    _forget_connections()
    try:
        yield
    finally:
        for key, value in saved.items():
            conf[key] = value
        _forget_connections()


@contextmanager
def broker_down() -> Iterator[None]:
    """Nothing listens (Redis stopped): refused at once."""
    with _broker_at("redis://127.0.0.1:9/0", {}):
        yield


@contextmanager
def broker_hanging() -> Iterator[None]:
    """A "Redis" that takes every connection and never answers (a frozen Redis,
    a network path gone), with the production settings' timeouts made short."""
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
    url = f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    try:
        with _broker_at(url, {"socket_connect_timeout": 1, "socket_timeout": 1}):
            yield
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()
