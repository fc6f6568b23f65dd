"""System checks for the project's own settings (run by `manage.py check`)."""

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http.request import validate_host


@register()
def office_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    if not re.fullmatch(r"\d{2}\.\d{2}", settings.OFFICE_KABKOTA_CODE):
        errors.append(
            Error(
                "KOPERASI_KABKOTA_CODE must be a Kemendagri kab/kota code like 64.71.",
                id="koperasi.E001",
            )
        )
    if not settings.OFFICE_NAME.strip():
        errors.append(Error("KOPERASI_OFFICE_NAME is empty.", id="koperasi.E002"))
    from public.fields import OPTIONAL_NAMES

    unknown = sorted(set(settings.PUBLIC_EXTRA_FIELDS) - set(OPTIONAL_NAMES))
    if unknown:
        errors.append(
            Error(
                f"PUBLIC_EXTRA_FIELDS names fields that are never published: {unknown}",
                hint=f"Choose from {', '.join(OPTIONAL_NAMES)}.",
                id="koperasi.E003",
            )
        )
    return errors


@register(Tags.database, deploy=True)
def production_services(app_configs: Any, **kwargs: Any) -> list[Warning]:
    warnings = []
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        warnings.append(
            Warning(
                "CELERY_BROKER_URL uses the filesystem broker, meant for one machine "
                "in development.",
                hint="Point CELERY_BROKER_URL at Redis (redis://...).",
                id="koperasi.W001",
            )
        )
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        warnings.append(
            Warning(
                "DATABASE_URL points at SQLite.",
                hint="Use PostgreSQL in production (postgres://...).",
                id="koperasi.W002",
            )
        )
    warnings.extend(_site_url_problems())
    return warnings


def _reaches_only_this_machine(host: str) -> bool:
    """No host, localhost (with or without its trailing dot), or a loopback or
    unspecified address in any spelling (127.0.0.2, [0:0:0:0:0:0:0:1])."""
    host = host.rstrip(".")
    if host in {"", "localhost"} or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _site_url_problems() -> list[Warning]:
    """Links in e-mails, WhatsApp messages and the QR codes of printed letters are
    made from KOPERASI_SITE_URL: left at its development default they point at the
    reader's own computer."""
    url = urlsplit(settings.SITE_URL)
    host = (url.hostname or "").lower()
    hint = (
        "Set KOPERASI_SITE_URL to the address people reach the app at, "
        "e.g. https://koperasi.balikpapan.go.id."
    )
    if _reaches_only_this_machine(host) or url.scheme != "https":
        return [
            Warning(
                f"KOPERASI_SITE_URL is {settings.SITE_URL!r}: links in e-mails, "
                "WhatsApp messages and the QR codes of printed letters would not "
                "reach the app.",
                hint=hint,
                id="koperasi.W004",
            )
        ]
    allowed = settings.ALLOWED_HOSTS
    if not any(validate_host(host, [name]) for name in allowed):
        return [
            Warning(
                f"KOPERASI_SITE_URL's host {host!r} is not in DJANGO_ALLOWED_HOSTS: "
                "every link made from it would be refused.",
                hint=hint,
                id="koperasi.W005",
            )
        ]
    return []


@register()
def whatsapp_settings(app_configs: Any, **kwargs: Any) -> list[Warning]:
    from notifications.whatsapp import whatsapp_settings_problem

    problem = whatsapp_settings_problem()
    if not problem:
        return []
    return [
        Warning(
            problem,
            hint="Set both WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID, or neither "
            "(docs/whatsapp.md).",
            id="koperasi.W003",
        )
    ]
