"""The health-result PDF: the same data as the result page, with a QR code that opens
the result's verification page on the public site."""

import segno
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lib.office_text import office_language
from lib.pdf import html_to_pdf

from . import services
from .models import Assessment
from .scoring import advise


def verification_url(assessment: Assessment) -> str:
    """The address its QR code opens: the office's public one (SITE_URL), not the
    one the staff member printing it typed."""
    path = reverse("public:verify_assessment", args=[assessment.verification_token])
    return settings.SITE_URL + path


def result_html(*, assessment: Assessment, request: HttpRequest) -> str:
    """The PDF's page as HTML: the result, its breakdown, the advice to reach the
    next category ("Rencana naik kategori", as on the result page) and the office
    head's signature block."""
    ruleset, inputs, result = services.assessment_score(assessment)
    url = verification_url(assessment)
    return render_to_string(
        "health_assessment/result_pdf.html",
        {
            "assessment": assessment,
            "ruleset": ruleset,
            "result": result,
            "advice": advise(ruleset, inputs, result),
            "signer": settings.STATUS_LETTER_SIGNER,
            "verification_url": url,
            "qr_svg": segno.make(url, error="m").svg_data_uri(scale=3, border=2),
            "printed_at": timezone.localtime(),
        },
        request=request,
    )


def result_pdf(*, assessment: Assessment, request: HttpRequest) -> bytes:
    """Render with WeasyPrint (``lib.pdf``: imported on first use), in the
    office's language whatever the reader's: one numbered document has one text
    (an English reader's copy of a letter had been an English letter)."""
    with office_language():
        html = result_html(assessment=assessment, request=request)
    return html_to_pdf(html, base_url=request.build_absolute_uri("/"))
