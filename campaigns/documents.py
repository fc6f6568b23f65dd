"""The ladder letters as PDF: the office's letterhead, the signer, and a QR code to
the letter's public verification page (the same mechanism as the status letters).
The pemberitahuan also carries the one-time confirmation link and its QR code."""

import io
from collections.abc import Iterable

import segno
from django.conf import settings
from django.core.files import File
from django.template.loader import render_to_string
from django.urls import reverse

from lib.office import office_context
from lib.pdf import html_to_pdf
from lib.pdfium import pdfium

from .models import CampaignItem, CampaignLetter


def _qr(url: str) -> str:
    """A PNG: WeasyPrint places one bitmap much faster than it draws an SVG's
    hundreds of squares, which counts in a batch of 500 letters."""
    return str(segno.make(url, error="m").png_data_uri(scale=6, border=2))


def letter_html(
    *, letter: CampaignLetter, item: CampaignItem, token: str | None
) -> str:
    from .services.letter_ladder import letter_respond_by
    from .services.letter_notices import verification_url
    from .services.letters import letter_previous

    url = verification_url(letter)
    confirm_url = (
        settings.SITE_URL + reverse("campaigns:confirm_link", args=[token])
        if token
        else ""
    )
    campaign = item.campaign
    return render_to_string(
        "campaigns/letter_pdf.html",
        {
            "letter": letter,
            "item": item,
            "cooperative": item.cooperative,
            "campaign": campaign,
            "confirm_by": letter_respond_by(letter, campaign),
            "previous": letter_previous(letter),
            "verification_url": url,
            "qr_png": _qr(url),
            "confirm_url": confirm_url,
            # Printed in two unbroken lines: a break inside the token would show a
            # hyphen nobody could tell from the token's own.
            "confirm_base": confirm_url[: -len(token) - 1] if token else "",
            "confirm_token": f"{token}/" if token else "",
            "confirm_qr": _qr(confirm_url) if confirm_url else "",
            "objection_ends_on": item.objection_ends_on,
            "signer": settings.STATUS_LETTER_SIGNER,
            **office_context(),
        },
    )


def render_pdf(html: str) -> bytes:
    """One letter. ``lib.pdf`` reuses the process's font configuration, which
    keeps a batch of 500 from growing the worker by about 0.3 MB a letter."""
    return html_to_pdf(html, base_url=settings.SITE_URL)


def combine_pdfs(files: Iterable[File]) -> bytes:
    """One PDF of every letter's pages, to print. The letters are read from
    storage one at a time (pdfium copies their pages), so a batch of 500 costs
    about the size of the result in memory, not 500 rendered documents."""
    with pdfium() as library:
        combined = library.PdfDocument.new()
        try:
            for stored in files:
                with stored.open("rb") as handle:
                    source = library.PdfDocument(handle.read())
                try:
                    combined.import_pages(source)
                finally:
                    source.close()
            out = io.BytesIO()
            combined.save(out)
        finally:
            combined.close()
    return out.getvalue()
