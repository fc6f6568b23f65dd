"""Staff decisions: the status a cooperative ends the campaign with. Nothing in the
campaign changes a status by itself; every change goes through the registry's
status service (status history and audit)."""

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record, display_value, snapshot
from cooperatives.models import CooperativeStatus
from cooperatives.services import cooperative_change_status
from lib.display import shown as shown_value
from lib.office_text import lazy_text

from ..models import (
    CampaignItem,
    CampaignStatus,
    EvidenceState,
    EvidenceStatus,
    ProposedClass,
)
from ..selectors import ids_digest

# The status each proposed class suggests.
STATUS_FOR_CLASS = {
    ProposedClass.A: CooperativeStatus.AKTIF,
    ProposedClass.B: CooperativeStatus.AKTIF,
    ProposedClass.C: CooperativeStatus.TIDAK_AKTIF,
    ProposedClass.D: CooperativeStatus.TIDAK_AKTIF,
    ProposedClass.E: CooperativeStatus.TIDAK_AKTIF,
    ProposedClass.F: CooperativeStatus.DALAM_PEMBUBARAN,
}


def proposed_status(item: CampaignItem) -> str | None:
    """The status a decision on ``item`` is offered with: its class's, or none
    while evidence waits to be examined (it had offered "Tidak Aktif"
    beside an officer's confirmation of a RAT not yet examined)."""
    if item.evidence_state == EvidenceState.MENUNGGU:
        return None
    return STATUS_FOR_CLASS[ProposedClass(item.proposed_class)]


def decision_outdated(item: CampaignItem) -> bool:
    """Evidence was accepted after the item's decision and its class now offers
    another status: the decision wants a second look. A decision made against
    the class on purpose, with nothing new since, is not flagged. One query."""
    if not item.decision or item.decided_at is None:
        return False
    proposed = proposed_status(item)
    if proposed is None or proposed == item.decision:
        return False
    since = Q(reviewed_at__gt=item.decided_at) | Q(
        reviewed_at__isnull=True, created_at__gt=item.decided_at
    )
    return item.evidence.filter(since, status=EvidenceStatus.DITERIMA).exists()


DECIDABLE = (
    CooperativeStatus.AKTIF,
    CooperativeStatus.TIDAK_AKTIF,
    CooperativeStatus.DALAM_PEMBUBARAN,
)


class Decided(NamedTuple):
    decided: int
    changed: int
    # Items whose cooperative was dissolved since the campaign opened: left as
    # they are (``CampaignItem.dissolved``).
    dissolved: int
    # In a decision for all of a list, cooperatives in Dalam Proses Pembubaran
    # that another status would take out of it: left for a decision of their own.
    in_dissolution: int = 0


def _decide_one(
    item: CampaignItem,
    *,
    acting_user: User,
    new_status: str,
    reason: str,
    effective_date: datetime.date,
) -> bool:
    """Record the decision; change the status when it differs. True if changed.
    The same decision again (a double click, a form sent twice) is no new one."""
    cooperative = item.cooperative
    changed = cooperative.status != new_status
    if not changed and (item.decision, item.decision_reason) == (new_status, reason):
        return False
    stated = lazy_text(
        gettext_lazy("Pemutakhiran %(year)s: %(reason)s"),
        year=item.campaign.year,
        reason=reason,
    )
    before = snapshot(item, ("decision",))
    if changed:
        cooperative_change_status(
            acting_user=acting_user,
            cooperative=cooperative,
            new_status=new_status,
            reason=stated,
            effective_date=effective_date,
        )
    item.decision = new_status
    item.decision_reason = reason
    item.decided_at = timezone.now()
    item.decided_by = acting_user
    item.save(update_fields=["decision", "decision_reason", "decided_at", "decided_by"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=item,
        cooperative=cooperative,
        # Always said, also when only the reason changed: another decision.
        changes={
            "decision": {
                "label": gettext_lazy("keputusan"),
                "old": before["decision"],
                "new": display_value(item, "decision"),
            }
        },
        message=reason,
    )
    return changed


@transaction.atomic
def items_decide(
    *,
    acting_user: User,
    items: Iterable[CampaignItem],
    new_status: str,
    reason: str,
    effective_date: datetime.date | None = None,
    shown: str | None = None,
    seen: str | None = None,
) -> Decided:
    """Decide ``new_status`` for each item with one reason, all or nothing.
    ``shown``: the ``listed_digest`` of the list the person saw, when the items
    are "all of a list"; items that are not exactly those (one renamed into the
    filter, one decided away from it) refuse the whole decision. A cooperative
    dissolved since the campaign opened is passed over (counted in
    ``dissolved``); a decision for such cooperatives only is refused. A decision
    for all of a list (``shown``) does not take a cooperative out of Dalam Proses
    Pembubaran (counted in ``in_dissolution``): "Tidak Aktif" for class D had
    quietly moved one back, its dissolution undone without a word. ``seen``:
    the ``item_digest`` an item's own page showed; decided since by someone
    else, the decision is refused, not written over theirs."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("Alasan keputusan wajib diisi."))
    if new_status not in DECIDABLE:
        raise ValidationError(
            _("Pilih status Aktif, Tidak Aktif atau Dalam Proses Pembubaran.")
        )
    effective_date = effective_date or timezone.localdate()
    ids = [item.pk for item in items]
    if shown is not None and not ids:
        raise ValidationError(
            _("Daftar yang tersaring kosong; tidak ada yang diputuskan.")
        )
    locked = list(
        # The cooperatives too: one dissolved meanwhile (on its own page) waits
        # for this decision or is seen dissolved here, never taken back from it.
        CampaignItem.objects.select_for_update(of=("self", "cooperative"))
        .select_related("campaign", "cooperative")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    # Compared under the lock: what is decided is what the page showed.
    now = ids_digest((item.pk, item.decided_at) for item in locked)
    if shown is not None and (now != shown or len(locked) != len(ids)):
        raise ValidationError(
            _(
                "Daftar yang tersaring berubah sejak halaman dibuka (kini %(count)s "
                "koperasi), atau ada yang sudah diputuskan sejak itu (oleh orang "
                "lain, atau di tab lain); tidak ada yang diputuskan. Periksa "
                "daftar lalu ulangi."
            )
            % {"count": shown_value(len(ids), count=True)}
        )
    if seen is not None and now != seen:
        item = locked[0] if locked else None
        raise ValidationError(
            _(
                "Keputusan untuk koperasi ini sudah dicatat sejak halaman dibuka "
                "(%(decision)s; oleh orang lain, atau di tab lain); tidak ada yang "
                "diputuskan. Periksa lalu putuskan lagi bila perlu."
            )
            % {"decision": item.get_decision_display() if item else "—"}
        )
    decided = changed = in_dissolution = 0
    dissolved: list[CampaignItem] = []
    for item in locked:
        if item.campaign.status != CampaignStatus.BERJALAN:
            raise ValidationError(_("Pemutakhiran ini tidak sedang berjalan."))
        if item.dissolved:
            dissolved.append(item)
            continue
        if (
            shown is not None
            and item.cooperative.status == CooperativeStatus.DALAM_PEMBUBARAN
            and new_status != CooperativeStatus.DALAM_PEMBUBARAN
        ):
            in_dissolution += 1
            continue
        if (
            new_status == CooperativeStatus.DALAM_PEMBUBARAN
            and item.proposed_class != ProposedClass.F
        ):
            # The dissolution is announced first: the ladder's peringatan and
            # its objection period (UU 25/1992 Pasal 47) lead to class F.
            raise ValidationError(
                _(
                    "%(name)s belum berkelas F: Dalam Proses Pembubaran hanya untuk "
                    "koperasi yang sudah menerima surat peringatan dan masa "
                    "keberatannya lewat tanpa keberatan terbuka. Tidak ada yang "
                    "diputuskan."
                )
                % {"name": item.cooperative.name}
            )
        decided += 1
        changed += _decide_one(
            item,
            acting_user=acting_user,
            new_status=new_status,
            reason=reason,
            effective_date=effective_date,
        )
    if dissolved and not decided and not in_dissolution:
        raise ValidationError(_dissolved_refusal(dissolved))
    if in_dissolution and not decided:
        raise ValidationError(_in_dissolution_refusal(in_dissolution))
    return Decided(decided, changed, len(dissolved), in_dissolution)


def _in_dissolution_refusal(count: int) -> str:
    return ngettext(
        "Koperasi di daftar ini sedang Dalam Proses Pembubaran: keputusan untuk "
        "semua tidak mengeluarkannya dari proses itu. Putuskan di halaman "
        "koperasinya; tidak ada yang diputuskan.",
        "Ke-%(n)s koperasi di daftar ini sedang Dalam Proses Pembubaran: keputusan "
        "untuk semua tidak mengeluarkannya dari proses itu. Putuskan di halaman "
        "masing-masing; tidak ada yang diputuskan.",
        count,
    ) % {"n": shown_value(count, count=True)}


def _dissolved_refusal(items: list[CampaignItem]) -> str:
    names = ", ".join(item.cooperative.name for item in items[:3])
    if len(items) > 3:
        names += ", …"
    return ngettext(
        "%(names)s sudah Dibubarkan sejak pemutakhiran dibuka. Keputusan "
        "pemutakhiran tidak mengubah status koperasi yang sudah dibubarkan; "
        "tidak ada yang diputuskan.",
        "%(names)s sudah Dibubarkan sejak pemutakhiran dibuka. Keputusan "
        "pemutakhiran tidak mengubah status koperasi yang sudah dibubarkan; "
        "tidak ada yang diputuskan.",
        len(items),
    ) % {"names": names}
