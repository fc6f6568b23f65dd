"""The campaign's downloads: the result per kecamatan and class, the changes of
status while it ran, and the usulan pembubaran for the Ministry (.xlsx rows and a
PDF cover letter). Rows are built here; cells are written by ``lib.excel``."""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from cooperatives.models import StatusChange
from lib.display import moment_shown
from lib.office import office_context
from lib.pdf import html_to_pdf

from .models import (
    Campaign,
    CampaignItem,
    CampaignLetter,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
    ObjectionStatus,
    ProposedClass,
)
from .rules import LADDER
from .selectors import CLASSES, DISSOLVED, shown_summary


def sheet_title(campaign: Campaign, what: str) -> list[str]:
    """The lines above a download's table: what it is, whose, and as of when (a
    file forwarded on its own still says so)."""
    if campaign.closed_at is not None:
        when = _("Hasil dibekukan %(when)s") % {
            "when": moment_shown(campaign.closed_at)
        }
    else:
        when = _("Pemutakhiran masih berjalan; keadaan per %(when)s") % {
            "when": moment_shown(timezone.now())
        }
    return [f"{campaign} — {what}", settings.OFFICE_NAME, when]


def result_headers() -> list[str]:
    return [str(_("Kecamatan")), *CLASSES, str(_("Jumlah"))]


def result_rows(campaign: Campaign) -> Iterator[list[Any]]:
    summary = shown_summary(campaign=campaign)
    for row in summary.rows:
        yield [row.name, *row.by_class, row.total]
    yield [str(_("Jumlah")), *summary.totals.by_class, summary.total]


def changes_headers() -> list[str]:
    return [
        str(_("Nama koperasi")),
        str(_("NIK")),
        str(_("Kecamatan")),
        str(_("Kelas usulan")),
        str(_("Status sebelumnya")),
        str(_("Status baru")),
        str(_("Alasan")),
        str(_("Berlaku sejak")),
        str(_("Diputuskan di")),
    ]


def _sources(campaign: Campaign) -> list[tuple[tuple[str, ...], str]]:
    """How a status change's reason begins, as the campaign's decisions and the
    ODS import (and its undo) write it in each language, and what made it."""
    found = []
    for source, (pattern, values) in {
        _("Pemutakhiran"): (
            gettext_noop("Pemutakhiran %(year)s: %(reason)s"),
            {"year": campaign.year, "reason": ""},
        ),
        _("Impor ODS"): (gettext_noop("Impor ODS #%(job)s"), {"job": ""}),
        _("Pembatalan impor ODS"): (
            gettext_noop("Pembatalan impor ODS #%(job)s"),
            {"job": ""},
        ),
    }.items():
        prefixes = []
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                prefixes.append(_(pattern) % values)
        found.append((tuple(prefixes), str(source)))
    return found


def changes_rows(campaign: Campaign) -> Iterator[list[Any]]:
    """Every change of status of the campaign's cooperatives while it ran, from
    the registry's history, each saying what made it (``_sources``): its
    decisions, an ODS import or its undo, or a cooperative's own page (which the
    campaign's list missed)."""
    if campaign.opened_at is None:
        return
    changes = StatusChange.objects.filter(
        cooperative__campaign_items__campaign=campaign,
        created_at__gte=campaign.opened_at,
    )
    if campaign.closed_at is not None:
        changes = changes.filter(created_at__lte=campaign.closed_at)
    changes = changes.select_related("cooperative").order_by("created_at", "pk")
    items = {
        item.cooperative_id: item
        for item in CampaignItem.objects.filter(
            campaign=campaign,
            cooperative_id__in=changes.values("cooperative_id"),
        ).select_related("cooperative__kelurahan__kecamatan")
    }
    sources = _sources(campaign)
    on_the_page = str(_("Halaman koperasi"))
    rows = []
    for change in changes.iterator(chunk_size=2000):
        item = items[change.cooperative_id]
        made_by = next(
            (name for prefixes, name in sources if change.reason.startswith(prefixes)),
            on_the_page,
        )
        rows.append(
            [
                change.cooperative.name,
                change.cooperative.nik or "",
                item.cooperative.kelurahan.kecamatan.name,
                item.proposed_class,
                change.get_from_status_display(),
                change.get_to_status_display(),
                change.reason,
                change.effective_date,
                made_by,
            ]
        )
    rows.sort(key=lambda row: (row[2], row[0]))
    # Written by lib.excel.write_xlsx: text never becomes a formula there.
    yield from rows


def usulan_queryset(campaign: Campaign) -> QuerySet[CampaignItem]:
    """The items proposed to the Ministry for dissolution: class F, but for those
    dissolved since the campaign opened (nothing left to propose)."""
    return CampaignItem.objects.filter(
        campaign=campaign, proposed_class=ProposedClass.F
    ).exclude(DISSOLVED)


def usulan_items(campaign: Campaign) -> list[CampaignItem]:
    """Class F: the ladder reached the peringatan and the objection period passed
    with no open objection (``item_recompute`` keeps the class current)."""
    return list(
        usulan_queryset(campaign)
        .select_related("cooperative__kelurahan__kecamatan", "campaign")
        .prefetch_related(
            Prefetch(
                "letters",
                queryset=CampaignLetter.objects.filter(cancelled_at__isnull=True),
            ),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(
                    kind=EvidenceKind.KUNJUNGAN, status=EvidenceStatus.DITERIMA
                ),
                to_attr="visits",
            ),
            "objections",
        )
        .order_by("cooperative__kelurahan__kecamatan__name", "cooperative__name")
    )


def usulan_headers() -> list[str]:
    letters = []
    for kind in LADDER:
        label = str(CampaignLetter(kind=kind).get_kind_display())
        letters += [f"{label}: {_('nomor')}", f"{label}: {_('tanggal')}"]
    return [
        # Not "No": Django's own catalog makes that the "no" of yes/no ("Tidak").
        str(pgettext("nomor urut", "No.")),
        str(_("Nama koperasi")),
        str(_("NIK")),
        str(_("Nomor badan hukum")),
        str(_("Alamat")),
        str(_("Kelurahan")),
        str(_("Kecamatan")),
        str(_("Tahun buku RAT terakhir")),
        str(_("Tanggal kunjungan")),
        str(_("Hasil kunjungan")),
        *letters,
        str(_("Akhir masa keberatan")),
        str(_("Keberatan")),
    ]


def usulan_rows(items: list[CampaignItem]) -> Iterator[list[Any]]:
    rows = []
    for number, item in enumerate(items, start=1):
        cooperative = item.cooperative
        visit = max(item.visits, key=lambda e: e.on, default=None)  # type: ignore[attr-defined]
        by_kind = {letter.kind: letter for letter in item.letters.all()}
        letters: list[Any] = []
        for kind in LADDER:
            letter = by_kind.get(kind)
            letters += [letter.number, letter.issued_on] if letter else ["", None]
        outcomes: dict[str, int] = defaultdict(int)
        for objection in item.objections.all():
            outcomes[objection.get_status_display()] += 1
        objection_text = (
            ", ".join(f"{n} {label}" for label, n in outcomes.items())
            if outcomes
            else str(_("Tidak ada"))
        )
        rows.append(
            [
                number,
                cooperative.name,
                cooperative.nik or "",
                cooperative.nomor_badan_hukum,
                cooperative.address,
                cooperative.kelurahan.name,
                cooperative.kelurahan.kecamatan.name,
                item.rat_year,
                visit.on if visit else None,
                visit.get_visit_result_display() if visit else "",
                *letters,
                item.objection_ends_on,
                objection_text,
            ]
        )
    return iter(rows)


def usulan_cover_pdf(campaign: Campaign, items: list[CampaignItem]) -> bytes:
    open_objections = sum(
        1
        for item in items
        for o in item.objections.all()
        if o.status == ObjectionStatus.TERBUKA
    )
    html = render_to_string(
        "campaigns/usulan_pdf.html",
        {
            "campaign": campaign,
            "items": items,
            "today": timezone.localdate(),
            "open_objections": open_objections,
            "signer": settings.STATUS_LETTER_SIGNER,
            **office_context(),
        },
    )
    return html_to_pdf(html, base_url=settings.SITE_URL)
