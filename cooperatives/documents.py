"""The status letter PDF, with a QR code that opens its verification page on the
public site."""

import segno
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from lib.office_text import office_language
from lib.pdf import html_to_pdf

from .models import StatusLetter


def status_letter_verification_url(letter: StatusLetter) -> str:
    """The address its QR code opens: the office's public one (SITE_URL), not the
    one the staff member printing it typed (an intranet address, say, that a
    bank checking the letter cannot reach)."""
    path = reverse("public:verify_status_letter", args=[letter.verification_token])
    return settings.SITE_URL + path


def status_letter_html(*, letter: StatusLetter, request: HttpRequest) -> str:
    url = status_letter_verification_url(letter)
    cooperative = letter.cooperative
    return render_to_string(
        "cooperatives/status_letter_pdf.html",
        {
            "letter": letter,
            "cooperative": cooperative,
            "verification_url": url,
            "qr_svg": segno.make(url, error="m").svg_data_uri(scale=3, border=2),
            "signer": settings.STATUS_LETTER_SIGNER,
        },
        request=request,
    )


def status_letter_pdf(*, letter: StatusLetter, request: HttpRequest) -> bytes:
    """Render with WeasyPrint (``lib.pdf``: imported on first use), in the
    office's language whatever the reader's: one numbered document has one text
    (an English reader's copy of a letter had been an English letter)."""
    with office_language():
        html = status_letter_html(letter=letter, request=request)
    return html_to_pdf(html, base_url=request.build_absolute_uri("/"))
