"""Reads of a campaign: counts for its page and the summary command, the filtered
list, and the panels other pages include."""

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from cooperatives.models import Cooperative, CooperativeStatus, Kecamatan
from lib.text import visible_line
from reports.models import RatReport, RatStatus
from reports.rekap.definitions import percent

from .models import (
    Campaign,
    CampaignItem,
    CampaignJob,
    CampaignLetter,
    CampaignStatus,
    Evidence,
    EvidenceKind,
    EvidenceState,
    EvidenceStatus,
    Objection,
    ObjectionStatus,
    ProposedClass,
)
from .rules import LetterKind

CLASSES = list(ProposedClass.values)
# A cooperative found active (A or B) after its peringatan is no longer announced.
PLANNED_DISSOLUTION = (ProposedClass.C, ProposedClass.D, ProposedClass.E)
STATES = list(EvidenceState.values)
# Items whose cooperative has been dissolved since the campaign opened
# (``CampaignItem.dissolved``): no letter, announcement or decision reaches them.
DISSOLVED = Q(cooperative__status=CooperativeStatus.DIBUBARKAN)
IN_DISSOLUTION = Q(cooperative__status=CooperativeStatus.DALAM_PEMBUBARAN)


@dataclass
class SummaryRow:
    kecamatan_id: int | None
    name: str
    by_class: list[int]
    by_state: list[int]

    @property
    def total(self) -> int:
        return sum(self.by_class)


@dataclass
class Summary:
    rows: list[SummaryRow]
    totals: SummaryRow
    verified: int
    decided: int
    chart: dict[str, Any] = field(default_factory=dict)
    # Neither decided nor dissolved since opening (no decision reaches those).
    to_decide: int = 0

    @property
    def total(self) -> int:
        return self.totals.total

    @property
    def percent_verified(self) -> Decimal:
        """Two decimals, half up, as R4 says it (the bar cut 5,22% to 5%)."""
        return Decimal(percent(self.verified, self.total))

    def as_json(self) -> dict[str, Any]:
        def row(r: SummaryRow) -> dict[str, Any]:
            return {
                "kecamatan": r.name,
                "class": dict(zip(CLASSES, r.by_class, strict=True)),
                "evidence": dict(zip(STATES, r.by_state, strict=True)),
                "total": r.total,
            }

        return {
            "total": self.total,
            "verified": self.verified,
            "decided": self.decided,
            "by_class": dict(zip(CLASSES, self.totals.by_class, strict=True)),
            "by_evidence": dict(zip(STATES, self.totals.by_state, strict=True)),
            "by_kecamatan": [row(r) for r in self.rows],
        }


# Where a cooperative is now: a move after the campaign opened counts in its new
# kecamatan, as the registry, the maps and every rekap count it.
KECAMATAN = F("cooperative__kelurahan__kecamatan_id")


def campaign_summary(*, campaign: Campaign) -> Summary:
    """Counts per kecamatan by class and by evidence state. Two queries: one
    grouped count over the items, one for the kecamatan names."""
    grouped = (
        CampaignItem.objects.filter(campaign=campaign)
        .values("proposed_class", "evidence_state", kecamatan_id=KECAMATAN)
        .order_by()
        .annotate(
            n=Count("id"),
            decided=Count("id", filter=~Q(decision="")),
            # What the list's "belum diputuskan" holds: not the dissolved.
            to_decide=Count("id", filter=Q(decision="") & ~DISSOLVED),
        )
    )
    by_class: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_state: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    decided = to_decide = 0
    for g in grouped:
        by_class[g["kecamatan_id"]][g["proposed_class"]] += g["n"]
        by_state[g["kecamatan_id"]][g["evidence_state"]] += g["n"]
        decided += g["decided"]
        to_decide += g["to_decide"]
    names = dict(
        Kecamatan.objects.filter(pk__in=by_class.keys()).values_list("pk", "name")
    )
    rows = [
        SummaryRow(
            kec_id,
            names.get(kec_id, "?"),
            [by_class[kec_id][c] for c in CLASSES],
            [by_state[kec_id][s] for s in STATES],
        )
        for kec_id in sorted(by_class, key=lambda k: names.get(k, ""))
    ]
    totals = SummaryRow(
        None,
        "",
        [sum(r.by_class[i] for r in rows) for i in range(len(CLASSES))],
        [sum(r.by_state[i] for r in rows) for i in range(len(STATES))],
    )
    chart = _chart(rows)
    verified = totals.by_state[STATES.index(EvidenceState.TERVERIFIKASI)]
    return Summary(rows, totals, verified, decided, chart, to_decide=to_decide)


def _chart(rows: list[SummaryRow]) -> dict[str, Any]:
    """The chart's data: each class's count per kecamatan."""
    return {
        "kecamatan": [r.name for r in rows],
        "series": [
            {"label": c, "data": [r.by_class[i] for r in rows]}
            for i, c in enumerate(CLASSES)
        ],
    }


def shown_summary(*, campaign: Campaign) -> Summary:
    """The counts a page or a download shows: a closed campaign's as they were
    kept at closing (``Campaign.result``), else as they stand. Counted anew, a
    cooperative moved since changed a result headed "dibekukan"."""
    kept = campaign.result or {}
    if campaign.status != CampaignStatus.DITUTUP or "by_kecamatan" not in kept:
        return campaign_summary(campaign=campaign)

    def row(
        name: str, by_class: dict[str, int], by_state: dict[str, int]
    ) -> SummaryRow:
        return SummaryRow(
            None,
            name,
            [by_class.get(c, 0) for c in CLASSES],
            [by_state.get(s, 0) for s in STATES],
        )

    rows = [
        row(r["kecamatan"], r["class"], r["evidence"]) for r in kept["by_kecamatan"]
    ]
    chart = _chart(rows)
    totals = row("", kept["by_class"], kept["by_evidence"])
    return Summary(rows, totals, kept["verified"], kept["decided"], chart)


def region_id(value: str) -> int | None:
    """A kecamatan or kelurahan id from the filters, or None: only ASCII digits
    ("²" is a digit to ``str.isdigit`` but no number to ``int``), and no more of
    them than an id has (twenty overflowed the database's integer)."""
    if value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    return None


def ids_digest(rows: Iterable[tuple[int, datetime.datetime | None]]) -> str:
    """One short text for a set of items, each ``(pk, decided_at)``: what a page
    showed (which items, and when each was last decided), to be compared with
    what they are when a decision for them is sent. A decision recorded by
    someone else since makes another text: it is not overwritten unseen."""
    listed = ",".join(
        f"{pk}:{decided.isoformat() if decided else ''}"
        for pk, decided in sorted(rows, key=lambda row: row[0])
    )
    return hashlib.sha256(listed.encode()).hexdigest()[:32]


def listed_digest(items: QuerySet[CampaignItem]) -> str:
    return ids_digest(items.values_list("pk", "decided_at"))


def item_digest(item: CampaignItem) -> str:
    """``ids_digest`` of one item, for its own page's decision form."""
    return ids_digest([(item.pk, item.decided_at)])


def _one_of(choices: Iterable[str]) -> Callable[[str], str | None]:
    allowed = set(choices)
    return lambda value: value if value in allowed else None


# The list's filters: how each reads its value from the address (None: a value it
# cannot use) and what it keeps of the items. One table for the list and for
# ``unknown_filters``, so that what is refused is what the list leaves out.
_FILTERS: dict[str, tuple[Callable[[str], Any], Callable[[Any], Q]]] = {
    "kecamatan": (region_id, lambda pk: Q(cooperative__kelurahan__kecamatan_id=pk)),
    "kelurahan": (region_id, lambda pk: Q(cooperative__kelurahan_id=pk)),
    "kelas": (_one_of(CLASSES), lambda kelas: Q(proposed_class=kelas)),
    "bukti": (_one_of(STATES), lambda state: Q(evidence_state=state)),
    "keputusan": (
        _one_of(("belum", "sudah")),
        # Still to decide: not one dissolved since opening, which no decision
        # reaches (it stayed "belum" for good).
        lambda decided: (
            ~Q(decision="") if decided == "sudah" else Q(decision="") & ~DISSOLVED
        ),
    ),
}


def unknown_filters(params: dict[str, str]) -> list[str]:
    """The filters of ``params`` given a value that ``campaign_items`` cannot use
    (an edited or stale address: "kecamatan=abc", "bukti=lama") and so leaves
    out: the list then holds more than its address says."""
    return [
        key
        for key, (read, _keep) in _FILTERS.items()
        if params.get(key, "").strip() and read(params[key]) is None
    ]


def campaign_items(
    *, campaign: Campaign, params: dict[str, str]
) -> QuerySet[CampaignItem]:
    """The campaign's items filtered like the registry list: name or NIK search,
    kecamatan, kelurahan, class, evidence state, decided or not."""
    queryset = CampaignItem.objects.filter(campaign=campaign).select_related(
        "cooperative__kelurahan__kecamatan"
    )
    # As typed, but for what no name holds: a NUL (PostgreSQL refuses it in a
    # query) or an invisible character.
    q = visible_line(params.get("q", ""))
    if q:
        queryset = queryset.filter(
            Q(cooperative__name__icontains=q) | Q(cooperative__nik__startswith=q)
        )
    for key, (read, keep) in _FILTERS.items():
        value = read(params.get(key, ""))
        if value is not None:
            queryset = queryset.filter(keep(value))
    return queryset.order_by("cooperative__name", "id")


# An officer's confirmation still waiting for staff.
_WAITING = Q(kind=EvidenceKind.KONFIRMASI, status=EvidenceStatus.MENUNGGU)


def waiting_confirmations(item: CampaignItem) -> QuerySet[Evidence]:
    """The officers' confirmations of ``item`` still waiting for staff: one at
    most once sent again (``confirmation_submit`` marks the earlier replaced)."""
    return item.evidence.filter(_WAITING).order_by("-created_at", "-pk")


def latest_confirmation(item: CampaignItem) -> Evidence | None:
    """The officers' latest confirmation of ``item`` that counts (waiting,
    accepted or rejected; not one sent again over), for their own panel."""
    return (
        item.evidence.filter(kind=EvidenceKind.KONFIRMASI)
        .exclude(status=EvidenceStatus.DIGANTI)
        .order_by("-created_at", "-pk")
        .first()
    )


def waiting_confirmations_count(*, campaign: Campaign) -> int:
    """How many of ``campaign``'s items have a confirmation waiting for staff."""
    return Evidence.objects.filter(_WAITING, item__campaign=campaign).count()


def rat_reports_waiting_count(*, campaign: Campaign) -> int:
    """How many RAT reports of ``campaign``'s tahun buku by its cooperatives are
    submitted and not yet examined: each, accepted, moves its cooperative to A."""
    return RatReport.objects.filter(
        status=RatStatus.DIAJUKAN,
        tahun_buku=campaign.year,
        cooperative__campaign_items__campaign=campaign,
    ).count()


def rat_report_under_review(item: CampaignItem) -> RatReport | None:
    """The cooperative's RAT report of the campaign's tahun buku, submitted and
    waiting for staff: accepted, it becomes the item's evidence by itself, so its
    confirmation need not carry that RAT again (one query)."""
    return (
        RatReport.objects.filter(
            cooperative_id=item.cooperative_id,
            tahun_buku=item.campaign.year,
            status=RatStatus.DIAJUKAN,
        )
        .order_by("-pk")
        .first()
    )


def running_campaign() -> Campaign | None:
    return Campaign.objects.filter(status=CampaignStatus.BERJALAN).first()


def item_for_cooperative(
    *, cooperative: Cooperative, campaign: Campaign | None = None
) -> CampaignItem | None:
    """The cooperative's item in ``campaign`` (the running one by default), for the
    panel on the cooperative's page and Koperasi saya."""
    campaign = campaign or running_campaign()
    if campaign is None:
        return None
    # Through the cooperative's own manager: the item comes with it (``dissolved``
    # reads it).
    return (
        cooperative.campaign_items.select_related("campaign")
        .filter(campaign=campaign)
        .first()
    )


def objection_list(*, campaign: Campaign) -> QuerySet[Any]:
    from .models import Objection

    return (
        Objection.objects.filter(item__campaign=campaign)
        .select_related("item__cooperative")
        .order_by("status", "-created_at")
    )


def letters_awaiting_reply(*, campaign: Campaign, today: Any) -> tuple[int, Any]:
    """How many of ``campaign``'s letters still ask the officers to confirm their
    data (their one-time link stops working when the campaign closes), and the
    last day one of them gives (None when none does): the answer date printed on
    each (``respond_by``; computed for a pemberitahuan from before it was kept),
    not one the current intervals would give. One query."""
    interval = datetime.timedelta(days=campaign.interval_teguran_1)
    # A cooperative whose officers have confirmed (through the link or their
    # account) is asked nothing more.
    letters = CampaignLetter.objects.filter(
        item__campaign=campaign,
        kind__in=[LetterKind.PEMBERITAHUAN, LetterKind.TEGURAN_1, LetterKind.TEGURAN_2],
        cancelled_at__isnull=True,
    ).exclude(item__evidence__kind=EvidenceKind.KONFIRMASI)
    answers = []
    for kind, issued_on, respond_by in letters.values_list(
        "kind", "issued_on", "respond_by"
    ):
        if respond_by is None:
            if kind != LetterKind.PEMBERITAHUAN:
                continue  # a teguran from before gave no date
            # A date the letters form refuses now (9999-12-31) overflowed here.
            respond_by = max(
                campaign.cutoff_date,
                min(issued_on, datetime.date.max - interval) + interval,
            )
        if respond_by >= today:
            answers.append(respond_by)
    return len(answers), max(answers, default=None)


def job_letters_made(job: CampaignJob) -> QuerySet[CampaignLetter]:
    """The letters a batch made and did not withdraw, in the order of its
    combined PDF (by cooperative name)."""
    return (
        CampaignLetter.objects.filter(job=job, cancelled_at__isnull=True)
        .exclude(file="")
        .order_by("item__cooperative__name", "item_id")
    )


def open_objections_count(*, campaign: Campaign) -> int:
    from .models import Objection

    return Objection.objects.filter(
        item__campaign=campaign, status=ObjectionStatus.TERBUKA
    ).count()


def item_panel(*, cooperative: Cooperative) -> dict[str, Any] | None:
    """The cooperative's item in its latest opened campaign, with its evidence,
    letters and objections, for the panel on the cooperative's page."""
    item = (
        cooperative.campaign_items.select_related("campaign")
        .exclude(campaign__status=CampaignStatus.DRAF)
        .order_by("-campaign__year")
        .first()
    )
    if item is None:
        return None
    return {
        "item": item,
        "evidence": list(item.evidence.all()),
        "letters": list(item.letters.filter(cancelled_at__isnull=True)),
        "objections": list(item.objections.all()),
    }


def objection_period_items(
    *, today: Any, campaign: Campaign | None = None, to_come: bool = False
) -> list[CampaignItem]:
    """Items of the running campaign (or of ``campaign``) whose objection period is
    open today, soonest ending first (for the public announcement list), and with
    ``to_come`` those whose period starts later too (for closing, which must wait
    for them)."""
    from .rules import Ladder, objection_not_over, objection_open

    still = objection_not_over if to_come else objection_open

    items = CampaignItem.objects.filter(
        peringatan_on__isnull=False, proposed_class__in=PLANNED_DISSOLUTION
    ).exclude(DISSOLVED)
    if campaign is None:
        items = items.filter(campaign__status=CampaignStatus.BERJALAN)
    else:
        items = items.filter(campaign=campaign)
    items = items.select_related(
        "campaign", "cooperative__kelurahan__kecamatan"
    ).order_by("peringatan_on", "cooperative__name")
    return [
        item
        for item in items
        if still(
            Ladder(
                peringatan_on=item.peringatan_on,
                objection_months=item.campaign.objection_months,
            ),
            today,
        )
    ]


def objection_period_item(*, cooperative_id: int, today: Any) -> CampaignItem | None:
    from .rules import Ladder, objection_open

    item = (
        CampaignItem.objects.filter(
            cooperative_id=cooperative_id,
            campaign__status=CampaignStatus.BERJALAN,
            peringatan_on__isnull=False,
            proposed_class__in=PLANNED_DISSOLUTION,
        )
        .exclude(DISSOLVED)
        .select_related("campaign")
        # Every public page of a cooperative asks: the columns the notice reads,
        # not the item's and the campaign's forty (their names alone were most of
        # the page's query building).
        .only("peringatan_on", "campaign__objection_months")
        .first()
    )
    if item is None:
        return None
    ladder = Ladder(
        peringatan_on=item.peringatan_on,
        objection_months=item.campaign.objection_months,
    )
    return item if objection_open(ladder, today) else None


def objections_under_review(item_ids: Iterable[int]) -> dict[int, int]:
    """How many objections to each item wait for the Dinas's decision (items
    without any left out): the public notice says so, so that members do not file
    the same objection again believing nobody has. One query."""
    rows = (
        Objection.objects.filter(
            item_id__in=list(item_ids), status=ObjectionStatus.TERBUKA
        )
        .values("item_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["item_id"]: row["n"] for row in rows}


def letters_received(item: CampaignItem) -> list[CampaignLetter]:
    """The ladder's letters to ``item``'s cooperative whose date has come (one
    dated ahead is not sent yet) and whose PDF is made (a letter is numbered
    before its PDF is drawn), oldest first, for its officers' page: they had
    only the e-mail or WhatsApp message that announced each."""
    return list(
        item.letters.filter(issued_on__lte=timezone.localdate())
        .exclude(file="")
        .order_by("issued_on", "sequence")
    )
