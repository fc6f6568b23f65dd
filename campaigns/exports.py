"""The campaign's downloads: the result per kecamatan and class, the status
changes it decided, and the usulan pembubaran for the Ministry (.xlsx rows and a
PDF cover letter). Rows are built here; cells are written by ``lib.excel``."""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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
from .selectors import CLASSES, campaign_summary


def result_headers() -> list[str]:
    return [str(_("Kecamatan")), *CLASSES, str(_("Jumlah"))]


def result_rows(campaign: Campaign) -> Iterator[list[Any]]:
    summary = campaign_summary(campaign=campaign)
    for row in summary.rows:
        yield [row.name, *row.by_class, row.total]
    yield [str(_("Jumlah")), *summary.totals.by_class, summary.total]


def changes_headers() -> list[str]:
    return [
        str(_("Nama koperasi")),
        str(_("NIK")),
        str(_("Kecamatan")),
        str(_("Kelas usulan")),
        str(_("Status awal")),
        str(_("Keputusan")),
        str(_("Alasan")),
        str(_("Tanggal keputusan")),
    ]


def changes_rows(campaign: Campaign) -> Iterator[list[Any]]:
    items = (
        CampaignItem.objects.filter(campaign=campaign)
        .exclude(decision="")
        .select_related("cooperative", "kecamatan")
        .order_by("kecamatan__name", "cooperative__name")
    )
    # Written by lib.excel.write_xlsx: text never becomes a formula there.
    yield from _changes(items)


def _changes(items: Any) -> Iterator[list[Any]]:
    for item in items.iterator(chunk_size=2000):
        if item.decision == item.baseline_status:
            continue
        yield [
            item.cooperative.name,
            item.cooperative.nik or "",
            item.kecamatan.name,
            item.proposed_class,
            item.get_baseline_status_display(),
            item.get_decision_display(),
            item.decision_reason,
            timezone.localtime(item.decided_at).date() if item.decided_at else None,
        ]


def usulan_items(campaign: Campaign) -> list[CampaignItem]:
    """Class F: the ladder reached the peringatan and the objection period passed
    with no open objection (``item_recompute`` keeps the class current)."""
    return list(
        CampaignItem.objects.filter(campaign=campaign, proposed_class=ProposedClass.F)
        .select_related("cooperative__kelurahan", "kecamatan", "campaign")
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
        .order_by("kecamatan__name", "cooperative__name")
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
                item.kecamatan.name,
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
            "office_name": settings.OFFICE_NAME,
            "office_address": settings.OFFICE_ADDRESS,
            "office_phone": settings.OFFICE_PHONE,
            "office_email": settings.OFFICE_EMAIL,
        },
    )
    return html_to_pdf(html, base_url=settings.SITE_URL)
