"""RAT report pages: the officer's form and documents, the staff's review queue and
decisions, and the completeness page. Every view opens with one access helper."""

import datetime
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from cooperatives.access import get_cooperative_for_user, require_dinas
from lib.excel import write_xlsx
from lib.uploads import upload_response
from notifications.selectors import notifications_about

from . import services
from .access import get_rat_attachment_for_user, get_rat_report_for_user
from .exports import MISSING_RAT_COLUMNS, registry_rows
from .forms import (
    COMMENTABLE,
    KIND_KEYWORDS,
    AcceptForm,
    AttachmentForm,
    CompletenessForm,
    RatQueueFilter,
    RatReportForm,
    RatStartForm,
    ReturnForm,
)
from .last_year import last_year_values, own_year_values
from .models import AttachmentKind, RatAttachment, RatReport, RatStatus
from .rat import (
    ATTACHMENTS_KEY,
    REQUIRED_ATTACHMENTS,
    Problem,
    report_topic,
)
from .selectors import (
    acceptance_effect,
    attachment_twin,
    changes_since_last_submission,
    completeness_whatsapp,
    confirmed_checks,
    latest_reply,
    latest_return_comments,
    rat_completeness,
    rat_missing,
    rat_review_queue,
    report_check,
    report_rows,
    reporting_year,
)
from .services import RatRefused


def rat_refused(request: AuthenticatedHttpRequest, exc: RatRefused) -> None:
    """Each reason a review step was refused, as a message."""
    for problem in exc.problems:
        messages.error(request, problem.message)


# A review step sent again this soon by the same person is the same click twice.
_SENT_TWICE_WITHIN = datetime.timedelta(minutes=1)


def rat_review_refused(
    request: AuthenticatedHttpRequest,
    report: RatReport,
    exc: RatRefused,
    *,
    asked: RatStatus,
) -> None:
    """A review step (``asked``: the status it gives) refused; sent twice (a
    double click), the second finds the report decided so by the first, and says
    it is done instead of "Hanya laporan berstatus Diajukan". Another decision is
    refused as it was."""
    report.refresh_from_db()
    if (
        report.status == asked
        and report.reviewed_by_id == request.user.pk
        and report.reviewed_at is not None
        and timezone.now() - report.reviewed_at < _SENT_TWICE_WITHIN
    ):
        messages.info(
            request,
            _("Laporan ini sudah Anda tandai %(status)s.")
            % {"status": report.get_status_display()},
        )
        return
    rat_refused(request, exc)


@login_required
def rat_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_dinas(request)
    search = RatQueueFilter(request.GET, queryset=rat_review_queue(request.user))
    page = Paginator(search.qs, 50).get_page(request.GET.get("page"))
    return render(request, "reports/rat_queue.html", {"filter": search, "page": page})


@login_required
@require_POST
def rat_start(request: AuthenticatedHttpRequest, cooperative_pk: int) -> HttpResponse:
    cooperative = get_cooperative_for_user(request, cooperative_pk)
    form = RatStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["tahun_buku"]))
        return redirect(cooperative)
    try:
        report = services.rat_report_start(
            acting_user=request.user,
            cooperative=cooperative,
            tahun_buku=form.cleaned_data["tahun_buku"],
        )
    except RatRefused as exc:
        rat_refused(request, exc)
        return redirect(cooperative)
    return redirect("reports:rat_edit", report.pk)


@login_required
@require_GET
def rat_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = get_rat_report_for_user(request, pk)
    note, comments = latest_return_comments(report)
    context = {
        "report": report,
        "rows": report_rows(report, COMMENTABLE, comments),
        "attachments": _with_comments(report, comments),
        "reviews": report.reviews.select_related("reviewed_by"),
        "changes": changes_since_last_submission(report),
        "reply": latest_reply(report),
        "confirmed": confirmed_checks(report),
        "return_note": note,
        "comments": comments,
        "return_form": ReturnForm(),
        "accept_form": AcceptForm(),
        "accepting": (
            acceptance_effect(report)
            if report.is_awaiting_review and request.user.can_edit_registry
            else None
        ),
        "kinds": AttachmentKind.choices,
        "notifications": (
            list(notifications_about([report_topic(report)]))
            if request.user.is_dinas
            else []
        ),
    }
    return render(request, "reports/rat_detail.html", context)


def _already_closed(report: RatReport) -> str:
    if report.receipt_number:
        return _(
            "Laporan ini sudah diajukan (tanda terima %(number)s); isian yang baru "
            "dikirim tidak disimpan."
        ) % {"number": report.receipt_number}
    return _("Laporan ini berstatus %(status)s dan tidak bisa diubah.") % {
        "status": report.get_status_display()
    }


@login_required
def rat_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The officer's form. A draft always saves (every value that passed its own
    check); the report's checks are listed at the top, linked to their fields, and
    stop only the submission."""
    report = get_rat_report_for_user(request, pk, write=True)
    if not report.is_editable:
        if request.method == "POST":
            # From a page opened before the report was submitted: what it sends
            # is not saved, and the officer is told so.
            messages.info(request, _already_closed(report))
        return redirect(report)
    note, comments = latest_return_comments(report)
    form = RatReportForm(
        request.POST or None,
        instance=report,
        comments=comments,
        last_year=last_year_values(report),
        own_year=own_year_values(report),
    )
    submitting = request.POST.get("action") == "submit"
    if request.method == "POST":
        report = _save_draft(request, report, form)
        if not report.is_editable:
            # Sent twice (a double tap, a second tab): the first submitted it,
            # and this one says so instead of "belum diajukan".
            messages.info(request, _already_closed(report))
            return redirect(report)
        if form.is_valid():
            if submitting:
                return _submit(request, report)
            messages.success(request, _("Draf laporan tersimpan."))
            return redirect("reports:rat_edit", report.pk)
        _say_not_all_saved(request, submitting=submitting)
    checking_submit = submitting or request.GET.get("periksa") == "ajukan"
    context = _edit_context(
        report, form, note, comments, checking_submit=checking_submit
    )
    return render(request, "reports/rat_edit.html", context)


def _save_draft(
    request: AuthenticatedHttpRequest, report: RatReport, form: RatReportForm
) -> RatReport:
    """Save every value that passed its own check; what the service refuses
    lands on the form beside its field. Returns the report as it now is."""
    values = form.cleaned_values()
    try:
        report = services.rat_report_save(
            acting_user=request.user,
            report=report,
            values=values,
            reply=request.POST.get("reply"),
        )
    except RatRefused as exc:
        report.refresh_from_db()
        for problem in exc.problems:
            field = problem.field if problem.field in form.fields else None
            form.add_error(field, problem.message)
    else:
        form.edited_meanwhile_saved(values)
    return report


def _say_not_all_saved(request: AuthenticatedHttpRequest, *, submitting: bool) -> None:
    if submitting:
        # Not sent: said as plainly as when the report's checks stop it, with
        # every problem listed at once, not the refused values alone.
        messages.error(
            request,
            _(
                "Laporan belum diajukan. Draf tersimpan, kecuali isian yang "
                "ditandai merah: lihat daftar di bawah ini."
            ),
        )
    else:
        messages.warning(
            request, _("Draf tersimpan, kecuali isian yang ditandai merah.")
        )
    if request.POST.get("held_back"):
        # The page's script saved the draft before an upload or a removal, and a
        # value was refused: that upload or removal did not happen.
        messages.warning(
            request,
            _(
                "Dokumen belum diunggah atau dihapus: perbaiki dulu isian yang "
                "ditandai merah, lalu pilih berkasnya lagi."
            ),
        )


def _edit_context(
    report: RatReport,
    form: RatReportForm,
    note: str,
    comments: dict[str, str],
    *,
    checking_submit: bool,
) -> dict[str, Any]:
    problems = report_check(report, complete=checking_submit)
    form.mark_problems({p.field: str(p.message) for p in reversed(problems)})
    return {
        "report": report,
        "form": form,
        "problems": _problem_items(form, problems),
        "checking_submit": checking_submit,
        "attachment_form": AttachmentForm(),
        "message_places": [LAMPIRAN],
        "kind_hints": _kind_hints(report),
        "attachments": _with_comments(report, comments),
        "required_kinds": [str(AttachmentKind(k).label) for k in REQUIRED_ATTACHMENTS],
        "return_note": note,
        "comments": comments,
        "attachment_comments": _attachment_comments(comments),
        "fix_items": [
            (form[name].id_for_label, form[name].label, comment)
            for name, comment in comments.items()
            if name in form.fields
        ],
    }


def _problem_items(
    form: RatReportForm, problems: list[Problem]
) -> list[dict[str, str]]:
    """Each problem with the label of its field and the anchor that leads there."""
    items: list[dict[str, str]] = []
    # First what the form itself refused (a negative count, a word for an
    # amount): those values were not saved, and the draft says so.
    for name, errors in form.errors.items():
        if name in form.fields:
            anchor, label = form[name].id_for_label, str(form[name].label)
        else:
            anchor, label = "report-form", _("Laporan")
        for error in errors:
            message = str(error)
            if not any(p.field == name and str(p.message) == message for p in problems):
                items.append(
                    {
                        "anchor": anchor,
                        "label": str(label),
                        "message": message,
                        "confirm": "",
                    }
                )
    # Then the report's checks in the order of the fields on the page (a sum's
    # check came before "Tanggal RAT", the first field), documents last.
    order = {name: index for index, name in enumerate(form.fields)}
    for problem in sorted(problems, key=lambda p: order.get(p.field, len(order))):
        if problem.field in form.errors:
            # The report's check read the value saved before, not the one typed
            # and refused: "Aset (Rp 3.313.782.000) harus sama…" beside "-5.000.000".
            continue
        if problem.field in form.fields:
            bound = form[problem.field]
            anchor, label = bound.id_for_label, str(bound.label)
        elif problem.field == ATTACHMENTS_KEY:
            anchor, label = "attachments", _("Lampiran")
        else:
            anchor, label = "report-form", _("Laporan")
        items.append(
            {
                "anchor": anchor,
                "label": label,
                "message": problem.message,
                "confirm": problem.confirm and form[problem.confirm].id_for_label,
            }
        )
    return items


def _missing_kinds(report: RatReport) -> list[str]:
    present = {a.kind for a in report.attachments.all()}
    return [str(kind) for kind in REQUIRED_ATTACHMENTS if kind not in present]


def _kind_hints(report: RatReport) -> dict[str, object]:
    """What static/js/rat_report.js needs to preselect each chosen file's kind
    as the server would: the words of each kind and the required kinds missing."""
    return {
        "keywords": {str(k): list(v) for k, v in KIND_KEYWORDS.items()},
        "missing": _missing_kinds(report),
    }


def _with_comments(
    report: RatReport, comments: dict[str, str]
) -> list[tuple[RatAttachment, str]]:
    """The report's documents, each with the note staff left on it, shown beside
    it: the officer read it only in the list at the page's top."""
    return [(a, comments.get(a.kind, "")) for a in report.attachments.all()]


def _attachment_comments(comments: dict[str, str]) -> list[tuple[str, str]]:
    labels = dict(AttachmentKind.choices) | {ATTACHMENTS_KEY: _("Lampiran")}
    return [(str(labels[k]), v) for k, v in comments.items() if k in labels]


@login_required
@require_POST
def rat_attachment_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One or several documents; each is stored or refused on its own."""
    report = get_rat_report_for_user(request, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES, missing=_missing_kinds(report))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(
                request, " ".join(str(e) for e in errors), extra_tags=LAMPIRAN
            )
        return redirect(_attachments_of(report))
    for kind, upload in form.cleaned_data["uploads"]:
        try:
            attachment = services.rat_attachment_add(
                acting_user=request.user, report=report, kind=kind, upload=upload
            )
        except RatRefused as exc:
            for problem in exc.problems:
                messages.error(
                    request, f"{upload.name}: {problem.message}", extra_tags=LAMPIRAN
                )
        else:
            messages.success(
                request,
                _("%(kind)s diunggah.") % {"kind": attachment.get_kind_display()},
                extra_tags=LAMPIRAN,
            )
            twin = attachment_twin(attachment)
            if twin is not None:
                messages.warning(
                    request,
                    _(
                        "%(kind)s sama persis dengan berkas %(other)s yang sudah "
                        "diunggah. Periksa apakah berkasnya tertukar."
                    )
                    % {
                        "kind": attachment.get_kind_display(),
                        "other": twin.get_kind_display(),
                    },
                    extra_tags=LAMPIRAN,
                )
    for upload in form.cleaned_data["left_out"]:
        # What is wrong with the file itself first: choosing its kind would not
        # help a file that is refused anyway.
        refusal = services.rat_attachment_refusal(upload)
        messages.error(
            request,
            f"{upload.name}: {refusal}"
            if refusal
            else _("%(name)s belum disimpan: pilih jenis dokumennya, lalu unggah lagi.")
            % {"name": upload.name},
            extra_tags=LAMPIRAN,
        )
    return redirect(_attachments_of(report))


@login_required
@require_GET
def rat_attachment(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    attachment = get_rat_attachment_for_user(request, pk)
    return upload_response(
        attachment.file,
        name=f"{attachment.kind}-{attachment.report.tahun_buku}",
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def rat_attachment_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    attachment = get_rat_attachment_for_user(request, pk, write=True)
    report = attachment.report
    kind = attachment.get_kind_display()
    try:
        services.rat_attachment_remove(acting_user=request.user, attachment=attachment)
    except RatRefused as exc:
        rat_refused(request, exc)
    else:
        messages.success(
            request,
            _("Lampiran %(kind)s dihapus.") % {"kind": kind},
            extra_tags=LAMPIRAN,
        )
    return redirect(_attachments_of(report))


# The messages of an upload or a removal, shown in the form's Lampiran box, where
# the page lands after it (rat_edit.html), not at the top of a long page.
LAMPIRAN = "lampiran"


def _attachments_of(report: RatReport) -> str:
    return reverse("reports:rat_edit", args=[report.pk]) + "#attachments"


def _submit(request: AuthenticatedHttpRequest, report: RatReport) -> HttpResponse:
    """Submit and say what happened: the receipt, that it was already in (a double
    click), or every problem that stops it."""
    try:
        report, submitted = services.rat_report_submit(
            acting_user=request.user, report=report
        )
    except RatRefused:
        # The form lists every problem at its top, each linked to its field.
        messages.error(
            request, _("Laporan belum bisa diajukan: lihat daftar di bawah ini.")
        )
        edit = reverse("reports:rat_edit", args=[report.pk])
        return redirect(f"{edit}?periksa=ajukan")
    if submitted:
        messages.success(
            request,
            _("Laporan diajukan. Nomor tanda terima: %(receipt)s.")
            % {"receipt": report.receipt_number},
        )
    else:
        messages.info(request, _("Laporan ini sudah diajukan sebelumnya."))
    return redirect(report)


@login_required
@require_POST
def rat_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = get_rat_report_for_user(request, pk, review=True)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Setiap catatan per isian paling banyak 500 huruf."))
        return redirect(report)
    try:
        services.rat_report_return(
            acting_user=request.user,
            report=report,
            note=form.cleaned_data["note"],
            field_comments=form.field_comments(),
            submission=form.submission_shown(),
        )
    except RatRefused as exc:
        rat_review_refused(request, report, exc, asked=RatStatus.PERLU_PERBAIKAN)
    else:
        messages.success(request, _("Laporan dikembalikan untuk perbaikan."))
    return redirect(report)


def _year(request: AuthenticatedHttpRequest) -> int:
    """The ``?tahun=`` asked for; an impossible one is reported and not used."""
    year, error = CompletenessForm(request.GET).year_or(reporting_year())
    if error:
        messages.error(request, error)
    return int(year)


@login_required
@require_GET
def rat_completeness_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_dinas(request)
    year = _year(request)
    data = rat_completeness(year)
    # A call list of a few hundred: a page at a time, the reminders of that page.
    page = Paginator(rat_missing(year), MISSING_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    missing = list(page.object_list)
    context = {
        "year": year,
        "years": range(reporting_year(), reporting_year() - 6, -1),
        "data": data,
        "tables": [
            (_("Per kecamatan"), data["by_kecamatan"], "by-kecamatan"),
            (_("Per jenis"), data["by_jenis"], "by-jenis"),
        ],
        "missing": missing,
        "missing_page": page,
        "missing_rows": list(
            zip(missing, completeness_whatsapp(missing, year).values(), strict=True)
        ),
    }
    return render(request, "reports/rat_completeness.html", context)


MISSING_PAGE_SIZE = 50


@login_required
@require_GET
def rat_missing_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_dinas(request)
    year = _year(request)
    rows = registry_rows(rat_missing(year), MISSING_RAT_COLUMNS)
    headers = [str(header) for header, _getter in MISSING_RAT_COLUMNS]
    # A few hundred rows: built in a temporary file and sent from memory.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "belum-lapor.xlsx"
        write_xlsx(
            path,
            sheet_name=_("Belum RAT %(year)s") % {"year": year},
            headers=headers,
            rows=rows,
        )
        content = path.read_bytes()
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"belum-lapor-rat-{year}-{stamp}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
