"""The client's address, as the one place that knows about reverse proxies.

``settings.TRUSTED_PROXY_COUNT`` says how many reverse proxies stand in front of the
app (0 by default). Each proxy appends the address it received the request from to
``X-Forwarded-For``, so with N trusted proxies the client is the N-th address from
the right; whatever stands further left was written by the client itself and is
never believed. With no trusted proxy the header is ignored entirely (a visitor
could otherwise pick any address and dodge every per-address limit).

django-axes (``AXES_CLIENT_IP_CALLABLE``), the concern and objection forms' hourly
limits and the password-reset limit all call ``client_ip``; the audit trail reads it
through ``current_client_ip``, which ``ClientAddressMiddleware`` sets for each
request.
"""

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address, or ``REMOTE_ADDR`` when the header is absent or bad."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    header = str(request.headers.get("x-forwarded-for", "") or "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the leftmost is still one a trusted proxy wrote.
    candidate = forwarded[max(len(forwarded) - proxies, 0)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


_current: ContextVar[str | None] = ContextVar("client_ip", default=None)


def current_client_ip() -> str | None:
    """The address of the request being served, or None outside a request."""
    return _current.get()


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    """Within the block, ``current_client_ip()`` is the request's client."""
    token = _current.set(client_ip(request) or None)
    try:
        yield
    finally:
        _current.reset(token)
