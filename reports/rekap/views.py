"""The rekap pages: choose and make (a freeze job), watch it, read the snapshot,
approve, record the dispatch, download; the map; the public verification page."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest
from lib.background import enqueue_on_commit
from lib.jobs import not_run
from lib.models import TAHUN_BUKU_RANGE
from lib.numbers import format_count

from ..selectors import rat_reports_not_accepted, reporting_year
from .access import (
    get_freeze_job_for_user,
    get_sending_for_user,
    get_snapshot_by_token,
    get_snapshot_for_user,
    require_rekap,
)
from .definitions import DEFINITIONS, Period, content_hash
from .files import (
    PDF_MAX_ROWS,
    display_tables,
    pdf_too_long,
    snapshot_charts,
    snapshot_csv,
    snapshot_pdf,
    snapshot_region_map,
    snapshot_xlsx,
)
from .forms import RekapMakeForm, RekapSendForm
from .map import MapLevel, MapMeasure, measure_choices, region_map
from .models import RekapFreezeJob, RekapSnapshot
from .selectors import snapshot_changes
from .services import (
    RekapPending,
    can_approve,
    rekap_approve,
    rekap_freeze_request,
    rekap_mark_sent,
    rekap_sending_remove,
)

# Rows of a table shown on the snapshot page; the files carry them all.
PAGE_ROWS = 500


@login_required
def rekap_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_rekap(request)
    form = RekapMakeForm(
        initial={"code": "R1", "tahun_buku": reporting_year(), "scope_code": ""}
    )
    return _index_page(request, form)


@login_required
@require_POST
def rekap_make(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_rekap(request)
    form = RekapMakeForm(request.POST)
    if not form.is_valid():
        return _index_page(request, form, status=400)
    try:
        job = rekap_freeze_request(acting_user=request.user, **form.cleaned_data)
    except RekapPending as pending:
        messages.info(request, " ".join(pending.messages))
        return redirect(pending.job)
    enqueue_on_commit(
        "reports.tasks.freeze_rekap", job.pk, unsent=not_run(RekapFreezeJob, job.pk)
    )
    return redirect(job)


def _index_page(
    request: AuthenticatedHttpRequest, form: RekapMakeForm, status: int = 200
) -> HttpResponse:
    """The rekap page: the form to make one, the rekaps made, and what to settle
    first; the same when a form comes back refused."""
    year = reporting_year()
    context = {
        "form": form,
        "snapshots": RekapSnapshot.objects.select_related("made_by")[:100],
        "definitions": DEFINITIONS,
        # Said before freezing: R1 counted them as held RAT while R3 listed
        # the same cooperatives as without RAT, in rekaps of the same day.
        "rat_not_accepted": rat_reports_not_accepted(year),
        "rat_year": year,
    }
    return render(request, "reports/rekap/index.html", context, status=status)


@login_required
# A page or, for htmx, its fragment: a browser must not show one for the other
# (the fragment came back alone on "Back").
@vary_on_headers("HX-Request")
def rekap_job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_freeze_job_for_user(request, pk)
    if request.headers.get("HX-Request") == "true":
        response = render(request, "reports/rekap/_job_status.html", {"job": job})
        if job.snapshot is not None:
            response["HX-Redirect"] = job.snapshot.get_absolute_url()
        return response
    return render(request, "reports/rekap/job.html", {"job": job})


def _detail(
    request: AuthenticatedHttpRequest,
    snapshot: RekapSnapshot,
    send_form: RekapSendForm | None = None,
    status: int = 200,
) -> HttpResponse:
    versions = list(snapshot.period_versions())
    context = {
        "snapshot": snapshot,
        "definition": DEFINITIONS[snapshot.code],
        "tables": display_tables(snapshot, limit=PAGE_ROWS),
        "map": snapshot_region_map(snapshot),
        "charts": snapshot_charts(snapshot),
        "can_approve": can_approve(request.user),
        "send_form": send_form or RekapSendForm(),
        "sendings": list(snapshot.sendings.all()),
        "versions": versions,
        "newest": versions[-1] if versions[-1].pk != snapshot.pk else None,
    }
    return render(request, "reports/rekap/detail.html", context, status=status)


@login_required
def rekap_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    snapshot = get_snapshot_for_user(request, pk)
    return _detail(request, snapshot)


@login_required
def rekap_changes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    snapshot = get_snapshot_for_user(request, pk)
    context = {"snapshot": snapshot, "changes": snapshot_changes(snapshot)}
    return render(request, "reports/rekap/changes.html", context)


@login_required
@require_POST
def rekap_approve_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    snapshot = get_snapshot_for_user(request, pk, approve=True)
    try:
        rekap_approve(acting_user=request.user, snapshot=snapshot)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rekap disetujui."))
    return redirect(snapshot)


@login_required
@require_POST
def rekap_send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    snapshot = get_snapshot_for_user(request, pk, write=True)
    form = RekapSendForm(request.POST)
    if not form.is_valid():
        # Shown again with what was typed and the field's message.
        return _detail(request, snapshot, send_form=form, status=400)
    try:
        rekap_mark_sent(
            acting_user=request.user, snapshot=snapshot, **form.cleaned_data
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            # A refused field: the form again with what was typed.
            form.add_error(None, exc)
            return _detail(request, snapshot, send_form=form, status=400)
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Pengiriman rekap dicatat."))
    return redirect(snapshot)


@login_required
@require_POST
def rekap_sending_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        sending = get_sending_for_user(request, pk)
    except Http404:
        require_rekap(request)  # officers: the 404 it is
        # Taken back already (the back button, a second tab): said, not a 404.
        messages.info(request, _("Catatan pengiriman itu sudah dihapus."))
        return redirect("reports:rekap_index")
    try:
        rekap_sending_remove(acting_user=request.user, sending=sending)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Catatan pengiriman dihapus."))
    return redirect(sending.snapshot)


_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


@login_required
def rekap_download(
    request: AuthenticatedHttpRequest, pk: int, fmt: str
) -> HttpResponse:
    snapshot = get_snapshot_for_user(request, pk)
    if fmt == "xlsx":
        content = snapshot_xlsx(snapshot)
    elif fmt == "pdf" and pdf_too_long(snapshot):
        messages.error(
            request,
            _(
                "Rekap ini lebih dari %(n)s baris; PDF-nya tidak dibuat. Unduh "
                ".xlsx untuk daftar selengkapnya."
            )
            % {"n": format_count(PDF_MAX_ROWS)},
        )
        return redirect(snapshot)
    elif fmt == "pdf":
        content = snapshot_pdf(snapshot)
    elif fmt == "csv" and DEFINITIONS[snapshot.code].has_csv:
        content = snapshot_csv(snapshot)
    else:
        raise Http404
    response = HttpResponse(content, content_type=_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{snapshot.file_stem}.{fmt}"'
    )
    return response


@login_required
def region_map_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_rekap(request)
    measure = request.GET.get("ukuran", MapMeasure.AKTIF)
    level = request.GET.get("wilayah", MapLevel.KECAMATAN)
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        year = reporting_year()
    choices = measure_choices()
    measure = measure if measure in dict(choices) else MapMeasure.AKTIF
    level = level if level in MapLevel.values else MapLevel.KECAMATAN
    first, last = TAHUN_BUKU_RANGE
    year = year if first <= year <= last else reporting_year()
    context = {
        "map": region_map(level=level, measure=measure, tahun_buku=year),
        "measures": choices,
        "levels": MapLevel.choices,
    }
    return render(request, "reports/rekap/map.html", context)


def rekap_verify(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """Public: the QR code on a PDF opens this. It recomputes the hash of what is
    stored and shows the totals, so a reader can compare them with the paper."""
    snapshot = get_snapshot_by_token(token)
    recomputed = content_hash(
        code=snapshot.code,
        definition_version=snapshot.definition_version,
        period=Period(snapshot.tahun_buku, snapshot.as_of),
        scope_code=snapshot.scope_code,
        tables=snapshot.tables,
    )
    context = {
        "snapshot": snapshot,
        "definition": DEFINITIONS[snapshot.code],
        "intact": recomputed == snapshot.content_hash,
        "totals": [
            (
                table["title"],
                [
                    (column["label"], value)
                    for column, (value, _kind) in zip(
                        table["columns"][1:], table["total"][1:], strict=True
                    )
                ],
            )
            for table in display_tables(snapshot, limit=0)
            if table["total"]
        ],
    }
    return render(request, "reports/rekap/verify.html", context)
