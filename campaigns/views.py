"""Staff pages of a campaign: list and create, open, the campaign page, an item,
decisions and closing. Every view calls one access helper first."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest
from cooperatives.models import Kecamatan, Kelurahan
from lib.numbers import format_count
from lib.uploads import upload_response
from notifications.selectors import notifications_about
from reports.rekap.map import MapLevel, region_map

from . import jobs, services
from .access import (
    get_campaign_for_user,
    get_item_for_user,
    get_job_for_user,
    get_objection_for_user,
)
from .forms import CampaignCreateForm, DecisionForm, ObjectionDecisionForm
from .models import (
    Campaign,
    CampaignItem,
    CampaignStatus,
    EvidenceState,
    JobStatus,
    LetterChoice,
    ProposedClass,
)
from .rekap import PROGRESS_MEASURE
from .rules import LADDER
from .selectors import (
    DISSOLVED,
    IN_DISSOLUTION,
    STATES,
    campaign_items,
    item_digest,
    job_letters_made,
    letters_awaiting_reply,
    listed_digest,
    objection_list,
    open_objections_count,
    rat_reports_waiting_count,
    region_id,
    running_campaign,
    shown_summary,
    unknown_filters,
)
from .services.letter_ladder import letters_due_counts

PAGE_SIZE = 50
FILTER_KEYS = ("q", "kecamatan", "kelurahan", "kelas", "bukti", "keputusan")


@login_required
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.is_dinas:
        raise Http404
    form = CampaignCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(campaign)
    campaigns = Campaign.objects.all()
    return render(
        request, "campaigns/list.html", {"campaigns": campaigns, "form": form}
    )


@login_required
@require_POST
def campaign_open(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    campaign = get_campaign_for_user(request, year)
    try:
        job = services.campaign_open_request(
            acting_user=request.user, campaign=campaign
        )
    except services.CampaignOpenPending as pending:
        messages.info(request, " ".join(pending.messages))
        return redirect(pending.job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(campaign)
    jobs.enqueue(job)
    return redirect(job)


@login_required
@require_POST
def campaign_delete(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    try:
        campaign = get_campaign_for_user(request, year)
    except Http404:
        if not request.user.is_dinas:
            raise
        # Deleted already (a second tab, the back button, another member of
        # staff): said, not a 404.
        messages.info(request, _("Draf pemutakhiran itu sudah dihapus."))
        return redirect("campaigns:list")
    try:
        services.campaign_draft_delete(acting_user=request.user, campaign=campaign)
    except services.CampaignGone as exc:
        messages.info(request, " ".join(exc.messages))
        return redirect("campaigns:list")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(campaign)
    messages.success(
        request, _("Draf pemutakhiran %(year)s dihapus.") % {"year": campaign.year}
    )
    return redirect("campaigns:list")


@login_required
# A page or, for htmx, its fragment: a browser must not show one for the other
# (the fragment came back alone on "Back").
@vary_on_headers("HX-Request")
def job_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request, pk)
    partial = request.headers.get("HX-Request") == "true"
    template = "campaigns/_job_status.html" if partial else "campaigns/job.html"
    # A failed batch may have made some of its letters: they stand, to print.
    made = job_letters_made(job).count() if job.status == JobStatus.FAILED else 0
    return render(request, template, {"job": job, "made": made})


def _filters(request: AuthenticatedHttpRequest) -> dict[str, str]:
    return {key: request.GET.get(key, "") for key in FILTER_KEYS}


@login_required
def campaign_detail(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    campaign = get_campaign_for_user(request, year)
    filters = _filters(request)
    items = campaign_items(campaign=campaign, params=filters)
    page = Paginator(items, PAGE_SIZE)
    summary = shown_summary(campaign=campaign)
    kelurahan = list(Kelurahan.objects.select_related("kecamatan").order_by("name"))
    for key in ("kecamatan", "kelurahan"):
        # As the list reads them ("01" is 1): the bar shows what it lists.
        pk = region_id(filters[key])
        filters[key] = filters[key] if pk is None else str(pk)
    if not filters["kecamatan"]:
        # A map's area links to its kelurahan alone: the bar shows its kecamatan
        # too, so that the next filter keeps both.
        chosen = next((k for k in kelurahan if str(k.pk) == filters["kelurahan"]), None)
        filters["kecamatan"] = str(chosen.kecamatan_id) if chosen else ""
    unknown = unknown_filters(filters)
    context = {
        "campaign": campaign,
        "summary": summary,
        "undecided": summary.to_decide,
        "evidence_waiting": summary.totals.by_state[
            STATES.index(EvidenceState.MENUNGGU)
        ],
        # A draft cannot open while another campaign runs: said, not offered.
        "running": (
            running_campaign() if campaign.status == CampaignStatus.DRAF else None
        ),
        "objections": open_objections_count(campaign=campaign),
        **_map_context(request, campaign),
        **_running_context(campaign, items, listed_count=page.count),
        "page": page.get_page(request.GET.get("page")),
        "filters": filters,
        "unknown_filters": unknown,
        "query": request.GET.urlencode(),
        "kecamatan": Kecamatan.objects.order_by("name"),
        "kelurahan": kelurahan,
        "classes": ProposedClass.choices,
        "states": EvidenceState.choices,
        "decision_form": DecisionForm(),
        # What a refused decision for all had chosen and written: shown once,
        # on the page whose decision form is there to take it.
        "kept": request.session.get(_KEPT, {})
        if unknown
        else _kept_values(request, _KEPT),
    }
    return render(request, "campaigns/detail.html", context)


def _map_context(
    request: AuthenticatedHttpRequest, campaign: Campaign
) -> dict[str, Any]:
    """The progress map at the level asked for; none before the campaign opens."""
    level = request.GET.get("peta", MapLevel.KECAMATAN)
    level = level if level in MapLevel.values else MapLevel.KECAMATAN
    progress_map = None
    if campaign.status != CampaignStatus.DRAF:
        # Each area links to this campaign's list filtered to it.
        progress_map = region_map(
            level=level,
            measure=PROGRESS_MEASURE,
            tahun_buku=campaign.year,
            element_id="peta-pemutakhiran",
            list_url=campaign.get_absolute_url(),
        )
    return {"progress_map": progress_map, "map_levels": MapLevel.choices}


def _running_context(
    campaign: Campaign, items: QuerySet[CampaignItem], *, listed_count: int
) -> dict[str, Any]:
    """What only a running campaign shows: reports and letters waiting, what
    keeps it from closing, and what the decision for all the listed would reach
    (a few queries; none for a draft or a closed campaign)."""
    if campaign.status != CampaignStatus.BERJALAN:
        return {
            "next_letters": [],
            "rat_waiting": 0,
            "close_blocked": "",
            "letters_waiting": 0,
            "reply_until": None,
            "listed": "",
            "dissolved_listed": 0,
            "in_dissolution_listed": 0,
            "decidable": listed_count,
        }
    letters_waiting, reply_until = letters_awaiting_reply(
        campaign=campaign, today=timezone.localdate()
    )
    # Listed but passed over by that decision: dissolved since the campaign
    # opened (``CampaignItem.dissolved``), and, unless the decision is Dalam
    # Proses Pembubaran itself, those in that process. One query for both.
    passed_over = items.aggregate(
        dissolved=Count("pk", filter=DISSOLVED),
        in_dissolution=Count("pk", filter=IN_DISSOLUTION),
    )
    dissolved_listed = passed_over["dissolved"]
    due = letters_due_counts(campaign, campaign.items.all())
    return {
        # The next step of the ladder that waits today, kind by kind.
        "next_letters": [
            (LetterChoice(kind).label, due[kind]) for kind in LADDER if kind in due
        ],
        "rat_waiting": rat_reports_waiting_count(campaign=campaign),
        # Closing waits for the objection periods: said, not offered.
        "close_blocked": services.objection_period_refusal(campaign),
        "letters_waiting": letters_waiting,
        "reply_until": reply_until,
        # What the decision for all of them must find still listed.
        "listed": listed_digest(items),
        "dissolved_listed": dissolved_listed,
        "in_dissolution_listed": passed_over["in_dissolution"],
        "decidable": listed_count - dissolved_listed,
        # What a decision other than Dalam Proses Pembubaran reaches.
        "decided_passing": listed_count
        - dissolved_listed
        - passed_over["in_dissolution"],
    }


@login_required
def item_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request, pk)
    initial = {"new_status": services.proposed_status(item)}
    return _item_page(request, item, DecisionForm(initial=initial))


def _item_page(
    request: AuthenticatedHttpRequest,
    item: CampaignItem,
    decision_form: DecisionForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "item": item,
        "campaign": item.campaign,
        "evidence": item.evidence.select_related(
            "created_by", "reviewed_by"
        ).prefetch_related("photos"),
        "letters": item.letters.all(),
        "objections": item.objections.all(),
        "decision_form": decision_form,
        # When it was last decided, as this page shows it (item_decide).
        "item_seen": item_digest(item),
        # The class moved away from the decision since (evidence accepted after
        # it): "Usulan A · Terverifikasi" stood beside "Keputusan: Tidak Aktif".
        "decision_outdated": services.decision_outdated(item),
        # What the officers were told of their confirmations, with "Kirim lewat
        # WhatsApp" while the Cloud API is not configured.
        "notices": notifications_about([services.confirmation_topic(item)]),
    }
    return render(request, "campaigns/item.html", context, status=status)


@login_required
@require_POST
def item_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A refused decision comes back as chosen and written, with its reason: a
    status put back to the proposal's would be recorded by the next click."""
    item = get_item_for_user(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, form, status=400)
    try:
        services.items_decide(
            acting_user=request.user,
            items=[item],
            # The page's mark of when the item was last decided (its form
            # always carries it).
            seen=request.POST.get("seen"),
            **form.cleaned_data,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        # As it is now: the decision recorded meanwhile is shown, and sending
        # again decides over it knowingly.
        item.refresh_from_db()
        return _item_page(request, item, form, status=400)
    messages.success(request, _("Keputusan dicatat."))
    return redirect(item)


@login_required
@require_POST
def bulk_decide(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    """Decide for every item the list's filter selects (the filter travels in
    the form as hidden fields, so what is decided is what was shown)."""
    campaign = get_campaign_for_user(request, year)
    filters = {key: request.POST.get(key, "") for key in FILTER_KEYS}
    back = f"{campaign.get_absolute_url()}?{request.POST.get('query', '')}"
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih status dan tulis alasannya."))
        return redirect(back)
    refused = _bulk_refusal(filters)
    if refused:
        messages.error(request, refused)
        return _kept(request, form, back)
    try:
        result = services.items_decide(
            acting_user=request.user,
            items=campaign_items(campaign=campaign, params=filters),
            shown=request.POST.get("shown", ""),
            **form.cleaned_data,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _kept(request, form, back)
    said = _("Keputusan dicatat untuk %(n)s koperasi; status %(c)s koperasi berubah.")
    if result.dissolved:
        said += " " + ngettext(
            "%(d)s koperasi yang sudah Dibubarkan sejak pemutakhiran dibuka dilewati.",
            "%(d)s koperasi yang sudah Dibubarkan sejak pemutakhiran dibuka dilewati.",
            result.dissolved,
        )
    if result.in_dissolution:
        said += " " + ngettext(
            "%(p)s koperasi yang sedang Dalam Proses Pembubaran dilewati: putuskan "
            "di halaman koperasinya bila prosesnya dihentikan.",
            "%(p)s koperasi yang sedang Dalam Proses Pembubaran dilewati: putuskan "
            "di halaman masing-masing bila prosesnya dihentikan.",
            result.in_dissolution,
        )
    counts = {
        "n": result.decided,
        "c": result.changed,
        "d": result.dissolved,
        "p": result.in_dissolution,
    }
    messages.success(request, said % {k: format_count(v) for k, v in counts.items()})
    return redirect(back)


# The status and reason of a refused decision for all, for the page to show again.
_KEPT = "campaigns.bulk_decision"


def _kept(
    request: AuthenticatedHttpRequest, form: DecisionForm, back: str
) -> HttpResponse:
    """Back to the list, the refused decision's status and reason kept for its
    form: a reason written for a hundred cooperatives is not typed twice."""
    _keep(request, _KEPT, {k: form.cleaned_data[k] for k in ("new_status", "reason")})
    return redirect(back)


def _keep(request: AuthenticatedHttpRequest, key: str, values: dict[str, Any]) -> None:
    """What a refused form had, for the page it goes back to (``_kept_values``)."""
    request.session[key] = values


def _kept_values(request: AuthenticatedHttpRequest, key: str) -> dict[str, Any]:
    """What ``_keep`` kept under ``key``, once: the next visit starts empty."""
    return request.session.pop(key, None) or {}


def _bulk_refusal(filters: dict[str, str]) -> str:
    """Why a decision for every listed item must not be taken, or "": a filter
    the list could not use (it would decide for more than the address says). A
    list that no longer holds the items the page showed is the service's to
    refuse (``items_decide``'s ``shown``)."""
    unknown = unknown_filters(filters)
    if unknown:
        return _(
            "Saringan daftar tidak dikenali (%(names)s), jadi daftar tidak "
            "tersaring; tidak ada yang diputuskan. Pilih saringan lagi lalu ulangi."
        ) % {"names": ", ".join(unknown)}
    return ""


@login_required
@require_POST
def campaign_close(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    campaign = get_campaign_for_user(request, year)
    try:
        services.campaign_close(acting_user=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Pemutakhiran ditutup; hasilnya dibekukan."))
    return redirect(campaign)


@login_required
def objections(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    campaign = get_campaign_for_user(request, year)
    context = {
        "campaign": campaign,
        "objections": objection_list(campaign=campaign),
        "today": timezone.localdate(),
        # A refused decision's answer and RAT, for its form (written once).
        "kept": _kept_values(request, _OBJECTION_KEPT),
    }
    return render(request, "campaigns/objections.html", context)


_OBJECTION_KEPT = "campaigns.objection_decision"


@login_required
@require_POST
def objection_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    objection = get_objection_for_user(request, pk)
    form = ObjectionDecisionForm(request.POST)
    refused = ""
    if not form.is_valid():
        # Each refused field by name (a RAT date of 2999 was told "Tulis
        # jawaban" beside the answer written).
        refused = " ".join(
            f"{form.fields[name].label}: {' '.join(map(str, errors))}"
            if name in form.fields
            else " ".join(map(str, errors))
            for name, errors in form.errors.items()
        )
    else:
        try:
            services.objection_decide(
                acting_user=request.user, objection=objection, **form.cleaned_data
            )
        except ValidationError as exc:
            refused = " ".join(exc.messages)
        else:
            messages.success(request, _("Keputusan atas keberatan dicatat."))
    if refused:
        messages.error(request, refused)
        typed = {k: request.POST.get(k, "")[:2000] for k in ("answer", "rat_date")}
        typed["rat_year"] = request.POST.get("rat_year", "")[:10]
        _keep(request, _OBJECTION_KEPT, {"pk": objection.pk, **typed})
    return redirect("campaigns:objections", objection.item.campaign.year)


@login_required
def objection_document(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    objection = get_objection_for_user(request, pk)
    if not objection.document:
        raise Http404
    return upload_response(objection.document)
