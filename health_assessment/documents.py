"""The health-result PDF: the same data as the result page, with a QR code that opens
the result's verification page on the public site."""

import segno
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import services
from .models import Assessment


def verification_url(*, assessment: Assessment, request: HttpRequest) -> str:
    path = reverse("public:verify_assessment", args=[assessment.verification_token])
    return request.build_absolute_uri(path)


def result_pdf(*, assessment: Assessment, request: HttpRequest) -> bytes:
    """Render with WeasyPrint (imported here: it loads Pango, about a second)."""
    from weasyprint import HTML

    ruleset, _inputs, result = services.assessment_score(assessment)
    url = verification_url(assessment=assessment, request=request)
    html = render_to_string(
        "health_assessment/result_pdf.html",
        {
            "assessment": assessment,
            "ruleset": ruleset,
            "result": result,
            "verification_url": url,
            "qr_svg": segno.make(url, error="m").svg_data_uri(scale=3, border=2),
            "printed_at": timezone.localtime(),
        },
        request=request,
    )
    pdf: bytes = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return pdf
