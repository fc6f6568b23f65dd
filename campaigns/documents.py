"""The ladder letters as PDF: the office's letterhead, the signer, and a QR code to
the letter's public verification page (the same mechanism as the status letters).
The pemberitahuan also carries the one-time confirmation link and its QR code."""

from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from .models import CampaignItem, CampaignLetter


def _qr(url: str) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=3, border=2))


def letter_html(
    *, letter: CampaignLetter, item: CampaignItem, token: str | None
) -> str:
    from .services.letters import verification_url

    url = verification_url(letter)
    confirm_url = (
        settings.SITE_URL + reverse("campaigns:confirm_link", args=[token])
        if token
        else ""
    )
    return render_to_string(
        "campaigns/letter_pdf.html",
        {
            "letter": letter,
            "item": item,
            "cooperative": item.cooperative,
            "campaign": item.campaign,
            "verification_url": url,
            "qr_svg": _qr(url),
            "confirm_url": confirm_url,
            "confirm_qr": _qr(confirm_url) if confirm_url else "",
            "objection_ends_on": item.objection_ends_on,
            "signer": settings.STATUS_LETTER_SIGNER,
            "office_name": settings.OFFICE_NAME,
            "office_address": settings.OFFICE_ADDRESS,
            "office_phone": settings.OFFICE_PHONE,
            "office_email": settings.OFFICE_EMAIL,
        },
    )


def render_pdfs(html: str) -> tuple[bytes, Any]:
    """The letter's PDF and its rendered document (whose pages the batch joins
    into the combined PDF without rendering twice). WeasyPrint is imported here:
    loading it costs about a second."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=settings.SITE_URL).render()
    pdf: bytes = document.write_pdf()
    return pdf, document
