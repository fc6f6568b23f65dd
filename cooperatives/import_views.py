"""Pages of the ODS import: list and upload, progress and preview, apply, cancel,
undo, and the rejected rows as a spreadsheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest

from .access import get_import_job_for_user, require_dinas
from .forms import ImportApplyForm, ImportKelompokForm, ImportUploadForm
from .imports import (
    ImportRefused,
    MappingRefused,
    import_job_cancel,
    import_job_create,
    import_job_map_kelompok,
    import_job_request_apply,
    import_job_request_undo,
)
from .imports.kelompok import unmapped_rows
from .imports.notices import notice_texts
from .models import ImportJob, RowOutcome

ROWS_PER_PAGE = 50


def _render_list(
    request: AuthenticatedHttpRequest, form: ImportUploadForm | None, status: int = 200
) -> HttpResponse:
    jobs = ImportJob.objects.select_related("created_by", "applied_by")
    page = Paginator(jobs, 25).get_page(request.GET.get("page"))
    context = {"page": page, "form": form}
    return render(request, "cooperatives/import_list.html", context, status=status)


@login_required
def import_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_dinas(request)
    return _render_list(
        request, ImportUploadForm() if request.user.can_edit_registry else None
    )


@login_required
def import_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        # The address the upload form posts to, bookmarked or reloaded: the
        # import page, where the form is (a bare "405" was a browser error page).
        return redirect("cooperatives:import_list")
    require_dinas(request, write=True)
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_list(request, form, status=400)
    upload = form.cleaned_data["file"]
    job = import_job_create(
        acting_user=request.user,
        upload=upload,
        original_name=upload.name,
        tahun_buku=form.cleaned_data["tahun_buku"],
    )
    return redirect(job)


@login_required
# A page or, for htmx, its fragment: a browser must not show one for the other
# (the fragment came back alone on "Back").
@vary_on_headers("HX-Request")
def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request, pk)
    if request.headers.get("HX-Request") == "true":
        if job.is_working:
            return render(request, "cooperatives/_import_progress.html", {"job": job})
        # The poll that sees the job finish reloads the whole page.
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    shown = request.GET.get("tampil", "")
    if shown not in RowOutcome.values:
        shown = job.first_listed_outcome
    rows = job.rows.filter(outcome=shown).select_related("cooperative")
    context = {
        "job": job,
        "shown": shown,
        "outcomes": RowOutcome.choices,
        "page": Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page")),
        "apply_form": ImportApplyForm(),
        "kelompok_form": ImportKelompokForm(job=job) if job.new_kelompok else None,
        "unmapped_rows": unmapped_rows(job),
        "notices": notice_texts(job.notices),
    }
    return render(request, "cooperatives/import_detail.html", context)


@login_required
@require_POST
def import_apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request, pk, write=True)
    if job.can_apply and not job.has_work:
        # The page offers no "Terapkan" then; sent from a page opened before
        # (or by hand), it applied nothing and offered to undo it.
        messages.error(
            request,
            _(
                "Tidak ada yang dapat diterapkan: setiap baris bermasalah atau "
                "tidak mengubah registri. Perbaiki berkasnya, lalu unggah lagi."
            ),
        )
        return redirect(job)
    form = ImportApplyForm(request.POST)
    include_duplicates = form.is_valid() and form.cleaned_data["include_duplicates"]
    try:
        import_job_request_apply(
            acting_user=request.user, job=job, include_duplicates=include_duplicates
        )
    except ImportRefused as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect(job)


@login_required
@require_POST
def import_map_kelompok(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request, pk, write=True)
    form = ImportKelompokForm(request.POST, job=job)
    if not form.is_valid():
        messages.error(
            request, _("Pilihan jenis tidak dikenal; pemetaan tidak diubah.")
        )
        return redirect(job)
    try:
        import_job_map_kelompok(
            acting_user=request.user, job=job, mapping=form.mapping()
        )
        messages.success(request, _("Pemetaan kelompok baru disimpan."))
    except MappingRefused as refused:
        messages.error(request, str(refused))
    return redirect(job)


@login_required
@require_POST
def import_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request, pk, write=True)
    try:
        import_job_cancel(acting_user=request.user, job=job)
        messages.success(
            request, _("Pratinjau tidak diterapkan; registri tidak berubah.")
        )
    except ImportRefused as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect(job)


@login_required
@require_POST
def import_undo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request, pk, write=True)
    try:
        import_job_request_undo(acting_user=request.user, job=job)
    except ImportRefused as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect(job)


@login_required
def import_rejected_download(
    request: AuthenticatedHttpRequest, pk: int
) -> HttpResponseBase:
    job = get_import_job_for_user(request, pk)
    if not job.rejected_file:
        raise Http404
    return FileResponse(
        job.rejected_file.open("rb"),
        as_attachment=True,
        filename=f"baris-ditolak-impor-{job.pk}.xlsx",
    )
