from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from cooperatives.access import get_cooperative_for_user, require_dinas
from lib.forms import YearQueryForm

from . import documents, services
from .access import get_assessment_for_user
from .forms import AssessmentForm, AssessmentStartForm, HistoricResultForm, RevisionForm
from .models import Assessment
from .scoring import advise, score
from .selectors import predikat_statistics, revisions_of_year


@login_required
@require_POST
def assessment_start(
    request: AuthenticatedHttpRequest, cooperative_pk: int
) -> HttpResponse:
    cooperative = get_cooperative_for_user(request, cooperative_pk, write=True)
    form = AssessmentStartForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for errors in form.errors.values() for e in errors)
        )
        return redirect(cooperative)
    try:
        assessment = services.assessment_start(
            cooperative=cooperative,
            tahun_buku=form.cleaned_data["tahun_buku"],
            acting_user=request.user,
        )
    except services.AssessmentRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(cooperative)
    return redirect("health_assessment:edit", assessment.pk)


@login_required
def assessment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    context: dict[str, object] = {
        "assessment": assessment,
        "form": RevisionForm(),
        "verification_url": documents.verification_url(assessment),
    }
    if assessment.is_scored:
        ruleset, inputs, result = services.assessment_score(assessment)
        context |= {
            "ruleset": ruleset,
            "result": result,
            "advice": advise(ruleset, inputs, result),
        }
    context["revisions"] = revisions_of_year(assessment, request.user)
    return render(request, "health_assessment/detail.html", context)


@login_required
def assessment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    if not assessment.is_draft:
        messages.info(
            request, _("Penilaian ini sudah final; buat revisi untuk mengoreksinya.")
        )
        return redirect(assessment)
    ruleset = assessment.ruleset.parsed()  # type: ignore[union-attr]
    initial = AssessmentForm.initial_from(
        assessment.checklist, assessment.figures, assessment.overrides
    )
    form = AssessmentForm(
        ruleset, request.POST or None, initial=initial, assessment_pk=assessment.pk
    )
    if request.method == "POST" and form.is_valid():
        return _save(request, assessment, form)
    if form.is_bound:
        # Refused: nothing was saved. The scores are those of the page as typed
        # (a refused amount counts as missing), as the live panel shows them,
        # not the saved draft's.
        messages.error(
            request,
            _("Draf belum disimpan. Perbaiki isian yang ditandai: %(fields)s.")
            % {"fields": ", ".join(_refused_labels(form))},
        )
        result = score(ruleset, form.inputs())
    else:
        result = services.assessment_score(assessment)[2]
    context = {
        "assessment": assessment,
        "form": form,
        "ruleset": ruleset,
        "result": result,
        "unreadable": form.unreadable(),
        "refused": _refused_labels(form) if form.is_bound else [],
    }
    return render(request, "health_assessment/edit.html", context)


def _save(
    request: AuthenticatedHttpRequest, assessment: Assessment, form: AssessmentForm
) -> HttpResponse:
    """Save the draft and, when asked, finalise it; a refusal leaves the draft as
    saved and is said on the form's page."""
    try:
        assessment = services.assessment_save_draft(
            assessment=assessment,
            checklist=form.checklist(),
            figures=form.figures(),
            overrides=form.overrides(),
            acting_user=request.user,
        )
        if request.POST.get("action") == "finalise":
            services.assessment_finalise(
                assessment=assessment, acting_user=request.user
            )
            messages.success(request, _("Penilaian difinalisasi."))
            return redirect(assessment)
    except services.AssessmentRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Draf penilaian disimpan."))
    return redirect("health_assessment:edit", assessment.pk)


def _refused_labels(form: AssessmentForm) -> list[str]:
    """The refused fields by their labels; a manual score's by its indicator too
    (some 25 fields are called "Alasan")."""
    indicators = {i.code: i.name for i in form.ruleset.indicators}
    labels = []
    for name in form.errors:
        if name not in form.fields:
            labels.append(_("formulir"))
            continue
        label = str(form.fields[name].label)
        kind, _sep, code = name.partition("_")
        if kind in ("skor", "reason") and code in indicators:
            label = f"{label} ({indicators[code]})"
        labels.append(label)
    return labels


@login_required
@require_POST
def assessment_live(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """htmx: the worksheet as typed, scored without saving (ratios, bands, skor)."""
    assessment = get_assessment_for_user(request, pk, write=True)
    if not assessment.is_draft:
        raise Http404
    ruleset = assessment.ruleset.parsed()  # type: ignore[union-attr]
    form = AssessmentForm(ruleset, request.POST)
    form.is_valid()  # scores what parses; bad amounts count as missing
    result = score(ruleset, form.inputs())
    context = {
        "assessment": assessment,
        "ruleset": ruleset,
        "result": result,
        "unreadable": form.unreadable(),
        # A manual score without its reason counts in the score, and is refused
        # on saving: finalising is not offered until it is mended.
        "refused": _refused_labels(form),
    }
    return render(request, "health_assessment/_live.html", context)


@login_required
@require_POST
def assessment_revise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan revisi wajib diisi."))
        return redirect(assessment)
    try:
        revision = services.assessment_revise(
            assessment=assessment,
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
        )
    except services.AssessmentRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(assessment)
    return redirect("health_assessment:edit", revision.pk)


@login_required
def assessment_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    if assessment.is_draft or not assessment.is_scored:
        raise Http404
    pdf = documents.result_pdf(assessment=assessment, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    key = assessment.cooperative.nik or assessment.cooperative.pk
    name = f"penilaian-{key}-{assessment.tahun_buku}-r{assessment.revision}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def historic_result_create(
    request: AuthenticatedHttpRequest, cooperative_pk: int
) -> HttpResponse:
    cooperative = get_cooperative_for_user(request, cooperative_pk, write=True)
    form = HistoricResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record_historic(
                cooperative=cooperative, acting_user=request.user, **form.cleaned_data
            )
        except services.AssessmentRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Hasil penilaian lama dicatat."))
            return redirect(cooperative)
    context = {"cooperative": cooperative, "form": form}
    return render(request, "health_assessment/historic_form.html", context)


@login_required
def assessment_statistics(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_dinas(request)
    form = YearQueryForm(request.GET)
    year: int | None = None
    if form.is_valid():
        year = form.cleaned_data["tahun"]
    else:
        messages.error(request, " ".join(str(e) for e in form.errors["tahun"]))
    data = predikat_statistics(year=year)
    return render(request, "health_assessment/statistics.html", {"data": data})
