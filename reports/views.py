from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest
from cooperatives.access import require_dinas
from cooperatives.selectors import filters_described

from .access import get_report_run_for_user
from .models import FileFormat, ReportKind, RunStatus
from .services import report_run_request

# Filter parameters that an export keeps; paging does not matter for a whole list.
_IGNORED_PARAMS = {"page", "per_page", "csrfmiddlewaretoken", "file_format"}


@login_required
@require_POST
def registry_export_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_dinas(request)
    file_format = request.POST.get("file_format", FileFormat.XLSX)
    if file_format not in FileFormat.values:
        file_format = FileFormat.XLSX
    query = QueryDict(request.POST.get("query", "").lstrip("?"))
    params = {k: query.getlist(k) for k in sorted(query) if k not in _IGNORED_PARAMS}
    run = report_run_request(
        acting_user=request.user,
        kind=ReportKind.REGISTRY_EXPORT,
        file_format=file_format,
        params=params,
    )
    return redirect(run)


@login_required
# A page or, for htmx, its fragment: a browser must not show one for the other
# (the fragment came back alone on "Back").
@vary_on_headers("HX-Request")
def run_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = get_report_run_for_user(request, pk)
    partial = request.headers.get("HX-Request") == "true"
    template = "reports/_run_status.html" if partial else "reports/run_detail.html"
    context: dict[str, object] = {"run": run}
    if not partial:
        context["filters"] = filters_described(user=run.created_by, params=run.query)
    return render(request, template, context)


@login_required
def run_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    run = get_report_run_for_user(request, pk)
    if run.status != RunStatus.DONE or not run.file:
        raise Http404
    response = FileResponse(
        run.file.open("rb"), as_attachment=True, filename=run.download_name
    )
    if run.file_format == FileFormat.CSV:
        # UTF-8 (with its byte-order mark), as the public CSV says it is.
        response["Content-Type"] = "text/csv; charset=utf-8"
    return response
