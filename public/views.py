import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from health_assessment.models import Assessment, AssessmentStatus


def verify_assessment(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """Anonymous: confirms a health-result PDF from its QR code. Shows only what the
    PDF itself shows publicly: cooperative, year, score, predikat, and whether a
    later revision replaced it."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("cooperative", "ruleset"),
        verification_token=token,
        status=AssessmentStatus.FINAL,
    )
    replaced_by = None
    if not assessment.is_current:
        replaced_by = (
            Assessment.objects.current()
            .filter(
                cooperative=assessment.cooperative, tahun_buku=assessment.tahun_buku
            )
            .first()
        )
    context = {"assessment": assessment, "replaced_by": replaced_by}
    return render(request, "public/verify_assessment.html", context)
