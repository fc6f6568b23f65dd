"""The signer's name under a document's signature space: the one setting every
printed document (letters, rekap, health results) reads."""

from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("_signer_name.html")
def signer_name() -> dict[str, Any]:
    """The name (and NIP) of whoever signs, as Indonesian letters print it; a
    dotted line to write it in by hand while the settings name nobody."""
    return {
        "name": settings.STATUS_LETTER_SIGNER_NAME,
        "nip": settings.STATUS_LETTER_SIGNER_NIP,
    }
