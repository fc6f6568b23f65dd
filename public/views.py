"""The anonymous public site: search, a page per cooperative with its QR code and
poster, the concern form, open data and a read-only JSON API. Every value shown comes
from ``public.fields``; every cooperative from ``public.access``."""

import csv
import datetime
import hashlib
import io
import json
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import wraps
from typing import Any, TypeVar, cast

import segno
from django import forms
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import InvalidPage, Page, Paginator
from django.db import connections
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_safe

from cooperatives.models import Cooperative, CooperativeStatus
from health_assessment.models import Assessment, Predikat
from lib.clientip import client_ip
from lib.display import shown
from lib.excel import safe_cell
from lib.forms import WholeNumberField
from lib.receipts import read_receipt, redirect_with_receipt, sending_once
from lib.verification import unknown_code_page

from . import pagecache, services
from .access import (
    get_assessment_by_token,
    get_public_cooperative,
    get_status_letter_by_token,
)
from .fields import (
    PublicField,
    annotated,
    listed_values,
    public_fields,
    public_values,
)
from .filters import PublicCooperativeFilter
from .forms import ConcernForm
from .openapi import openapi_schema
from .selectors import (
    public_cooperatives,
    public_listed,
    public_statistics,
    with_places,
)

ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)
ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponse])
PAGE_SIZE = 20
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200

RATE_LIMITED = gettext_lazy(
    "Terlalu banyak laporan dari alamat Anda dalam satu jam. Coba lagi nanti, atau "
    "hubungi Dinas langsung."
)
# One plain sentence per category, for members rather than auditors.
# What a status short of Aktif means to a member reading it, and where to turn.
STATUS_MEANING: dict[str, Any] = {
    # Not a reason the registry may not have: it had said "tidak menyelenggarakan
    # RAT" above a RAT held last month.
    CooperativeStatus.TIDAK_AKTIF: gettext_lazy(
        "Dinas mencatat koperasi ini tidak aktif. Bila Anda anggotanya, tanyakan "
        "kepada pengurus; bila koperasi ini masih berjalan (misalnya sudah "
        "mengadakan RAT), beri tahu Dinas (lihat di bawah)."
    ),
    CooperativeStatus.DALAM_PEMBUBARAN: gettext_lazy(
        "Dinas sedang memproses pembubaran koperasi ini. Anggota dan pihak yang "
        "berkepentingan dapat menanyakan penyelesaian hak dan kewajibannya kepada "
        "Dinas (lihat di bawah)."
    ),
    # It had no sentence: a member of a dissolved cooperative was told nothing
    # of their savings or whom to ask.
    CooperativeStatus.DIBUBARKAN: gettext_lazy(
        "Koperasi ini sudah dibubarkan. Hak dan kewajiban anggota (simpanan, "
        "pinjaman) diselesaikan oleh penyelesai yang ditunjuk; tanyakan kepada "
        "Dinas (lihat di bawah)."
    ),
}
# Beside "AKTIF" for a cooperative without a RAT in the window
# (``Cooperative.rat_overdue``).
# RAT is due every tahun buku; three years without one is when a cooperative is
# no longer counted aktif (REFERENCE.md): it had read as if once in three years
# were the rule.
RAT_OVERDUE_MEANING = gettext_lazy(
    "Dinas tidak mencatat RAT koperasi ini dalam tiga tahun terakhir. Koperasi "
    "wajib mengadakan RAT setiap tahun buku; tanpa RAT selama tiga tahun, koperasi "
    "dapat dinyatakan tidak aktif. Bila Anda anggotanya, tanyakan kepada pengurus; "
    "status ini diperiksa Dinas pada pemutakhiran data."
)


def _status_meaning(cooperative: Cooperative) -> Any:
    """What the status means for a member, beside the status itself."""
    if cooperative.rat_overdue:
        return RAT_OVERDUE_MEANING
    return STATUS_MEANING.get(cooperative.status, "")


PREDIKAT_MEANING = {
    Predikat.SEHAT: gettext_lazy("kondisi baik dan dikelola dengan sehat."),
    Predikat.CUKUP_SEHAT: gettext_lazy(
        "kondisi cukup baik, ada hal yang perlu diperbaiki."
    ),
    Predikat.DALAM_PENGAWASAN: gettext_lazy(
        "ada masalah yang perlu segera diperbaiki; Dinas memantau koperasi ini. "
        "Bila Anda anggotanya, tanyakan rencana perbaikannya kepada pengurus atau "
        "dalam RAT."
    ),
    Predikat.DALAM_PENGAWASAN_KHUSUS: gettext_lazy(
        "masalah serius; Dinas melakukan pengawasan khusus. Bila Anda anggotanya, "
        "tanyakan kepada pengurus atau kepada Dinas (lihat di bawah)."
    ),
}


def public_page(view: ViewT) -> ViewT:
    """Keep the whole page for PUBLIC_CACHE_SECONDS (``public.pagecache``), per
    host, path, query and language: anonymous, read-only, no CSRF token or session
    on it, so one copy serves everyone. 0 turns it off."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.PUBLIC_CACHE_SECONDS
        if not seconds:
            return view(request, *args, **kwargs)
        # Per host and scheme too: Django builds any absolute link from them (the
        # page's own address and QR code are SITE_URL's, ``_public_url``).
        address = request.build_absolute_uri(request.get_full_path())
        digest = hashlib.sha256(address.encode()).hexdigest()
        key = f"publik:page:{get_language()}:{digest}"
        hit = pagecache.get(key)
        if hit is not None:
            response = HttpResponse(hit.content, content_type=hit.content_type)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies:
                pagecache.put(key, response.content, response["Content-Type"], seconds)
        _shared(response, seconds)
        return response

    return cast(ViewT, wrapped)


def _shared(response: HttpResponseBase, seconds: int) -> None:
    """Browsers and proxies may keep the response for ``seconds``, one copy per
    language: the language is the switcher's cookie, so without ``Vary: Cookie`` a
    browser showed a page kept from before the switch in the language left."""
    patch_cache_control(response, public=True, max_age=seconds)
    patch_vary_headers(response, ("Cookie",))


def _cacheable(response: ResponseT) -> ResponseT:
    """Open data holds no personal data or token: browsers and proxies may keep it."""
    _shared(response, settings.PUBLIC_CACHE_SECONDS)
    return response


@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponse:
    stats = public_statistics()
    context = {
        "stats": stats,
        # The longest bar: the kecamatan with the most cooperatives registered.
        "bar_max": max((row["terdaftar"] for row in stats["per_kecamatan"]), default=0),
        "filter": PublicCooperativeFilter(),
    }
    return render(request, "public/home.html", context)


@require_safe
@public_page
def cooperative_list(request: HttpRequest) -> HttpResponse:
    search = PublicCooperativeFilter(request.GET, queryset=public_listed())
    page = CappedPaginator(search.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [listed_values(c) for c in with_places(page)]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": search, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "public/list.html", context)


class CappedPaginator(Paginator):
    """Counts the matches only as far as a member can use them: up to the page
    asked for and ``LOOKAHEAD`` rows after it, in whole ``LOOKAHEAD``s, and never
    more than ``COUNT_CAP`` (pages stop there). "Lebih dari 100 koperasi" is all a
    member needs to refine a search; counting every match of a common word was
    most of a page's cost (a word's count to 1,001: 2.8–6 ms in PostgreSQL, to
    101: 0.3–0.8 ms). A count under the limit is exact."""

    LOOKAHEAD = 100
    COUNT_CAP = 1000

    limit = LOOKAHEAD

    def get_page(self, number: Any) -> Page:
        """The page ``number`` (the first for anything but a page number, the
        last for one past the end), counting as far as that page needs."""
        try:
            wanted = max(1, int(number))
        except (TypeError, ValueError, OverflowError):
            wanted = 1
        reach = (wanted - 1) * self.per_page + self.LOOKAHEAD
        self.limit = min(self.COUNT_CAP, -(-reach // self.LOOKAHEAD) * self.LOOKAHEAD)
        # A page 0 or below is the first (Django's own would be the last, here
        # only the row past the look-ahead: a dead end).
        return super().get_page(wanted)

    @cached_property
    def count(self) -> int:
        """The matches up to ``limit`` + 1: the ids of the search, unordered and
        cut there, counted. Written as the count of the compiled query rather than
        ``.count()`` on it, whose aggregation took a third more Python (0.29
        against 0.18 ms a search, in one process over 300 counts)."""
        rows: Any = self.object_list
        ids = rows.order_by().values_list("pk")[: self.limit + 1]
        try:
            sql, params = ids.query.sql_with_params()
        except EmptyResultSet:  # a search that can find nothing (``.none()``)
            return 0
        with connections[ids.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS counted", params)
            return int(cursor.fetchone()[0])

    @cached_property
    def num_pages(self) -> int:
        if self.count > self.COUNT_CAP:
            return -(-self.COUNT_CAP // self.per_page)
        return super().num_pages

    @property
    def is_capped(self) -> bool:
        """More matches than were counted: the page says "lebih dari"
        ``shown_limit`` and shows no number of pages."""
        return self.count > self.limit

    @property
    def shown_limit(self) -> str:
        return number_format(self.limit, force_grouping=True)


def _public_url(pk: int) -> str:
    """The page's address as printed on a poster or shared: the office's public
    one (SITE_URL), not the one the visitor typed (an intranet address, say)."""
    return settings.SITE_URL + reverse("public:cooperative", args=[pk])


@require_safe
@public_page
def cooperative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cooperative = get_public_cooperative(pk)
    values = public_values(cooperative)
    shown = {f.name: _shown(f, values[f.name]) for f in public_fields()}
    context = {
        "values": values,
        "shown": shown,
        # The status is said once, in the summary at the top.
        "fields": [
            (f.label, shown[f.name])
            for f in public_fields()
            if f.name not in _SAID_ABOVE
        ],
        "meaning": PREDIKAT_MEANING.get(annotated(cooperative, "health_predikat"), ""),
        "status_meaning": _status_meaning(cooperative),
        "public_url": _public_url(pk),
        # The page is kept for a few minutes (``public.pagecache``): said when it
        # was made, so that a change made at the Dinas since is not taken for
        # missing.
        "as_of": timezone.now(),
    }
    return render(request, "public/detail.html", context)


def _shown(field: PublicField, value: Any) -> str:
    """A public value as a person reads it (``lib.display``); the values come as
    the API gives them: dates as ISO text, amounts as whole Rupiah."""
    if value and field.openapi.get("format") == "date":
        value = datetime.date.fromisoformat(value)
    elif value is not None and field.name in _AMOUNTS:
        value = Decimal(value)
    return shown(value, count=field.name in _COUNTS)


_AMOUNTS = ("aset", "volume_usaha")
_SAID_ABOVE = ("status", "aktif")
_COUNTS = ("anggota",)


@require_safe
def cooperative_qr(request: HttpRequest, pk: int) -> HttpResponse:
    get_public_cooperative(pk)
    qr = segno.make(_public_url(pk), error="m")
    svg = io.BytesIO()
    # A standalone file (with its XML namespace), white behind the modules.
    qr.save(svg, kind="svg", scale=10, light="#fff")
    response = HttpResponse(svg.getvalue(), content_type="image/svg+xml")
    return _cacheable(response)


@require_safe
@public_page
def cooperative_poster(request: HttpRequest, pk: int) -> HttpResponse:
    cooperative = get_public_cooperative(pk)
    url = _public_url(pk)
    context = {
        "values": public_values(cooperative),
        "qr_svg": segno.make(url, error="m").svg_inline(scale=12, omitsize=True),
        "public_url": url,
    }
    return render(request, "public/poster.html", context)


def concern_create(request: HttpRequest, pk: int) -> HttpResponse:
    cooperative = get_public_cooperative(pk)
    form = ConcernForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        sent = (pk, *form.concern_fields().values())
        with sending_once(CONCERN_RECEIPT, *sent) as earlier:
            if earlier:
                return redirect(earlier)  # the same, sent again after going back
            if form.is_spam:
                return _concern_sent(pk, None)
            try:
                concern = services.concern_submit(
                    cooperative=cooperative,
                    ip=client_ip(request),
                    **form.concern_fields(),
                )
            except services.RateLimited:
                form.add_error(None, RATE_LIMITED)
                status = 429
            else:
                return _concern_sent(pk, concern.reference, sent)
    context = {"form": form, "values": public_values(cooperative)}
    return render(request, "public/concern_form.html", context, status=status)


CONCERN_RECEIPT = "public.concern"


def _concern_sent(
    pk: int, reference: str | None, sent: tuple[Any, ...] = ()
) -> HttpResponseRedirect:
    """To the "sent" page by a redirect: reloading it, or sending the same
    ``sent`` values again, files nothing again."""
    url = reverse("public:concern_done", args=[pk])
    return redirect_with_receipt(
        url, CONCERN_RECEIPT, sent=sent, cooperative=pk, reference=reference
    )


@require_safe
def concern_done(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = read_receipt(request, CONCERN_RECEIPT)
    if receipt is None or receipt.get("cooperative") != pk:
        return redirect("public:concern", pk=pk)
    context = {"reference": receipt.get("reference")}
    return render(request, "public/concern_done.html", context)


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    context = {
        "fields": public_fields(),
        "licence": settings.OPEN_DATA_LICENCE,
        "licence_url": settings.OPEN_DATA_LICENCE_URL,
        "statistics_minutes": max(settings.PUBLIC_STATISTICS_SECONDS // 60, 1),
    }
    return render(request, "public/open_data.html", context)


def _rows() -> Iterator[dict[str, Any]]:
    for cooperative in public_cooperatives().order_by("pk").iterator(chunk_size=2000):
        yield public_values(cooperative)


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_safe
def export_cooperatives(request: HttpRequest, file_format: str) -> HttpResponseBase:
    """The whole public register, streamed (150,000 rows in constant memory)."""
    names = [f.name for f in public_fields()]
    if file_format == "csv":
        writer = csv.writer(_Echo())
        lines = (writer.writerow([_csv(row[n]) for n in names]) for row in _rows())
        body: Iterator[str] = _chain(["\ufeff", writer.writerow(names)], lines)
        content_type = "text/csv; charset=utf-8"
    else:
        body = _json_array(_rows())
        content_type = "application/json"
    response = StreamingHttpResponse(body, content_type=content_type)
    name = f"koperasi-{settings.OFFICE_KABKOTA_CODE}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _cacheable(response)


def _csv(value: Any) -> Any:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return safe_cell(value)


def _chain(head: list[str], tail: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from tail


def _json_array(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
    yield "]"


@require_safe
def export_statistics(request: HttpRequest, file_format: str) -> HttpResponse:
    stats = public_statistics()
    if file_format == "json":
        response: HttpResponse = JsonResponse(
            stats, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response)
        lines = [["kelompok", "nama", "terdaftar", "aktif"]]
        lines.append(["total", "Kota", stats["terdaftar"], stats["aktif"]])
        for row in stats["per_jenis"]:
            lines.append(["jenis", row["jenis"], row["terdaftar"], row["aktif"]])
        for row in stats["per_kecamatan"]:
            lines.append(
                ["kecamatan", row["kecamatan"], row["terdaftar"], row["aktif"]]
            )
        writer.writerows([[safe_cell(v) for v in line] for line in lines])
    name = f"statistik-koperasi-{settings.OFFICE_KABKOTA_CODE}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _cacheable(response)


class ApiPageForm(forms.Form):
    """The API's paging parameters, as its OpenAPI description states them."""

    page = WholeNumberField(min_value=1, required=False)
    page_size = WholeNumberField(
        min_value=1, max_value=API_MAX_PAGE_SIZE, required=False
    )


@require_safe
def api_cooperatives(request: HttpRequest) -> HttpResponse:
    search = PublicCooperativeFilter(request.GET, queryset=public_cooperatives())
    paging = ApiPageForm(request.GET)
    errors = {
        name: [str(e) for e in messages]
        for form in (search.form, paging)
        if not form.is_valid()
        for name, messages in form.errors.items()
    }
    if not errors:
        size = paging.cleaned_data["page_size"] or API_PAGE_SIZE
        paginator = Paginator(search.qs, size)
        try:
            page = paginator.page(paging.cleaned_data["page"] or 1)
        except InvalidPage:
            errors["page"] = [
                gettext("Halaman %(page)s tidak ada; halaman terakhir %(last)s.")
                % {"page": paging.cleaned_data["page"], "last": paginator.num_pages}
            ]
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    query = request.GET.copy()

    def link(number: int) -> str:
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    data = {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": [public_values(c) for c in page],
    }
    return _cacheable(JsonResponse(data, json_dumps_params={"ensure_ascii": False}))


@require_safe
def api_cooperative(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        cooperative = get_public_cooperative(pk)
    except Http404:
        # An API answers in JSON, a missing record too (not the site's 404 page).
        message = gettext("Tidak ada koperasi dengan nomor %(id)s.") % {"id": pk}
        return JsonResponse({"errors": {"id": [message]}}, status=404)
    values = public_values(cooperative)
    return _cacheable(JsonResponse(values, json_dumps_params={"ensure_ascii": False}))


@require_safe
def api_statistics(request: HttpRequest) -> HttpResponse:
    stats = public_statistics()
    return _cacheable(JsonResponse(stats, json_dumps_params={"ensure_ascii": False}))


@require_safe
def api_schema(request: HttpRequest) -> HttpResponse:
    schema = openapi_schema(request.build_absolute_uri(reverse("public:api_root")))
    return _cacheable(JsonResponse(schema, json_dumps_params={"ensure_ascii": False}))


@require_safe
@unknown_code_page(gettext_lazy("hasil penilaian kesehatan"))
def verify_assessment(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """Anonymous: confirms a health-result PDF from its QR code. Shows only what the
    PDF itself shows publicly: cooperative, year, score, predikat, and whether a
    later revision replaced it."""
    assessment = get_assessment_by_token(token)
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


@require_safe
@unknown_code_page(gettext_lazy("surat keterangan status"))
def verify_status_letter(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """Anonymous: confirms a status letter from its QR code — what it stated, and
    whether it still holds: not withdrawn, not past its date, and the cooperative's
    status unchanged since."""
    letter = get_status_letter_by_token(token)
    return render(request, "public/verify_status_letter.html", {"letter": letter})
