"""Reads that span relations: registry search, dashboard counts, cooperative pages."""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import pgettext

from accounts.models import Role, User
from audit.models import AuditEvent
from audit.visibility import visible_to as audit_visible_to
from lib.phone import normalize_phone
from notifications.contacts import Contact, contact_for
from notifications.models import Channel, Notification, NotificationStatus
from notifications.selectors import notifications_about

from .filters import CooperativeFilter
from .models import (
    Cooperative,
    CooperativeStatus,
    Jenis,
    Kecamatan,
    Officer,
    OfficerInvitation,
    Pola,
)
from .models.officers import INVITATION_TEMPLATE, Position, invitation_topic


def cooperative_filter(*, user: User, params: Any) -> CooperativeFilter:
    """The registry list filtered by ``params`` (a QueryDict or dict of lists).

    Scoped to what ``user`` may see. The queryset joins regions and kelompok, so a
    page of it costs one query whatever its size.
    """
    queryset = Cooperative.objects.visible_to(user).with_region()
    return CooperativeFilter(params, queryset=queryset)


def filters_described(*, user: User, params: Any) -> list[tuple[str, str]]:
    """What ``params`` choose, as the list's form names it: ``("Kecamatan",
    "Balikpapan Kota")``, ``("Status", "Aktif")``; values the form refuses, and
    the sort, left out. For a download's page: "Berkas siap: 8 koperasi" did
    not say of which."""
    form = cooperative_filter(user=user, params=params).form
    form.is_valid()
    described = []
    for name, form_field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name == "o" or value in (None, "", [], ()):
            continue
        if hasattr(form_field, "label_from_instance"):
            shown = form_field.label_from_instance(value)
        else:
            shown = str(dict(getattr(form_field, "choices", ())).get(value, value))
        described.append((str(form_field.label), shown))
    return described


def statistics_row_key(jenis: str, pola: str) -> str:
    """Rows of the Dinas's statistics: jenis, with simpan pinjam split by pola."""
    return f"{jenis}:{pola}" if jenis == Jenis.SIMPAN_PINJAM else jenis


def statistics_rows() -> list[tuple[str, str]]:
    rows = []
    for jenis in Jenis:
        if jenis == Jenis.SIMPAN_PINJAM:
            for pola in Pola:
                # A sentence to translate: English puts the pola first
                # ("Conventional Savings and Loans").
                label = pgettext("jenis dan pola", "%(jenis)s %(pola)s") % {
                    "jenis": jenis.label,
                    "pola": pola.label,
                }
                rows.append((statistics_row_key(jenis, pola), label))
        else:
            rows.append((jenis.value, str(jenis.label)))
    return rows


def summed_by_statistics_row(
    rows: Iterable[Mapping[str, Any]],
    counts: Callable[[Mapping[str, Any]], Mapping[Any, int]],
    *,
    prefix: str = "",
) -> dict[str, Counter[Any]]:
    """Grouped rows (each with ``<prefix>jenis`` and ``<prefix>pola``) summed into
    the Dinas's statistics rows (``statistics_row_key``); ``counts`` gives what one
    row adds. The public figures, the RAT completeness and the health statistics
    fold their grouped counts this one way."""
    summed: dict[str, Counter[Any]] = defaultdict(Counter)
    for row in rows:
        key = statistics_row_key(row[f"{prefix}jenis"], row[f"{prefix}pola"])
        summed[key].update(counts(row))
    return summed


@dataclass
class Dashboard:
    kecamatan: list[Kecamatan]
    rows: list[dict[str, Any]]
    column_totals: list[int]
    grand_total: int
    by_status: list[dict[str, Any]]
    total: int
    status_filter: str
    chart: dict[str, Any] = field(default_factory=dict)


def dashboard_counts(*, status: str) -> Dashboard:
    """Counts by jenis x kecamatan (for ``status``, or all when empty) and by status.

    Two queries: one grouped count over cooperatives, one for the kecamatan columns.
    """
    grouped = (
        Cooperative.objects.values("jenis", "pola", "status", "kelurahan__kecamatan_id")
        .order_by()
        .annotate(n=Count("id"))
    )
    kecamatan = list(Kecamatan.objects.order_by("name"))
    matrix: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    status_counts: dict[str, int] = defaultdict(int)
    for item in grouped:
        status_counts[item["status"]] += item["n"]
        if status and item["status"] != status:
            continue
        key = statistics_row_key(item["jenis"], item["pola"])
        matrix[key][item["kelurahan__kecamatan_id"]] += item["n"]

    rows: list[dict[str, Any]] = []
    for key, label in statistics_rows():
        cells = [matrix[key][kec.pk] for kec in kecamatan]
        rows.append({"key": key, "label": label, "cells": cells, "total": sum(cells)})
    column_totals = [
        sum(row["cells"][i] for row in rows) for i in range(len(kecamatan))
    ]
    by_status = [
        {"value": s.value, "label": s.label, "count": status_counts[s.value]}
        for s in CooperativeStatus
    ]
    chart = {
        "kecamatan": [kec.name for kec in kecamatan],
        "series": [{"label": row["label"], "data": row["cells"]} for row in rows],
        "status_labels": [str(item["label"]) for item in by_status],
        "status_counts": [item["count"] for item in by_status],
    }
    return Dashboard(
        kecamatan=kecamatan,
        rows=rows,
        column_totals=column_totals,
        grand_total=sum(column_totals),
        by_status=by_status,
        total=sum(status_counts.values()),
        status_filter=status,
        chart=chart,
    )


def cooperative_page_data(cooperative: Cooperative, user: Any) -> dict[str, Any]:
    """What a cooperative's page lists besides its profile (one query each, two
    more for the officers' invitations); the audit trail holds only the rows
    ``user`` may read (audit/visibility.py)."""
    officers = list(
        cooperative.officers.select_related("user").order_by(
            "-is_active", "position", "name"
        )
    )
    states = invitation_states([o for o in officers if o.is_active and not o.user])
    rows = [OfficerRow.of(officer, states.get(officer.pk)) for officer in officers]
    # More than one sitting Ketua: a new board entered before the old one was
    # closed. Allowed (the order is staff's), but the page says so.
    ketua = [o.name for o in officers if o.is_active and o.position == Position.KETUA]
    return {
        "figures": cooperative.figures.order_by("-tahun_buku"),
        "officers": rows,
        "several_ketua": ketua if len(ketua) > 1 else [],
        "status_changes": cooperative.status_changes.select_related("changed_by"),
        "status_letters": cooperative.status_letters.select_related(
            "issued_by", "revoked_by"
        ),
        "audit_events": AuditEvent.objects.filter(cooperative=cooperative)
        .filter(audit_visible_to(user))
        .select_related("actor")
        .order_by("-created_at", "-id")[:100],
    }


@dataclass(frozen=True)
class OfficerRow:
    """An officer as a cooperative's page lists them: ``reached_by``, the channel
    a message to them takes (the preferred one, else the other); ``invitation``,
    the latest invitation of an active officer without an account; ``invitable``,
    whether an invitation can reach them (an e-mail or a mobile number);
    ``password_link``, whether staff can send their login a link to set a new
    password (an officer's login, and an address or mobile number to send to)."""

    officer: Officer
    reached_by: str
    invitation: "InvitationState | None"
    invitable: bool
    password_link: bool = False
    # The channel they chose, when messages cannot take it (no address or number
    # for it): the page says both, as the audit trail shows the choice.
    preferred: str = ""

    @classmethod
    def of(cls, officer: Officer, invitation: "InvitationState | None") -> "OfficerRow":
        contact = officer_contact(officer)
        reached = contact.channel if contact else ""
        return cls(
            officer=officer,
            reached_by=str(Channel(reached).label) if contact else "",
            preferred=(
                str(Channel(officer.notify_by).label)
                if contact and reached != officer.notify_by
                else ""
            ),
            invitation=invitation,
            invitable=officer.is_active
            and officer.user is None
            and invitation_contact(officer) is not None,
            password_link=officer.is_active
            and officer.user is not None
            and officer.user.is_active
            and officer.user.role == Role.OFFICER
            and contact is not None,
        )


@dataclass(frozen=True)
class InvitationState:
    """An officer's latest invitation and what became of its message."""

    invitation: OfficerInvitation
    message: Notification | None

    @property
    def failed(self) -> bool:
        return (
            self.message is not None
            and self.message.status == NotificationStatus.FAILED
        )

    @property
    def waits_for_staff(self) -> bool:
        """Handed to the staff member who invited, to send from their WhatsApp."""
        return (
            self.message is not None
            and self.message.status == NotificationStatus.MANUAL
        )


def invitation_states(officers: list[Officer]) -> dict[int, InvitationState]:
    """The latest invitation of each of ``officers`` that has one, with the
    latest invitation message filed under the officer (two queries)."""
    if not officers:
        return {}
    latest: dict[int, OfficerInvitation] = {}
    invitations = OfficerInvitation.objects.filter(officer__in=officers)
    for invitation in invitations.order_by("-created_at", "-pk"):
        latest.setdefault(invitation.officer_id, invitation)
    messages: dict[str, Notification] = {}
    about = notifications_about(invitation_topic(o) for o in officers if o.pk in latest)
    for message in about.filter(template=INVITATION_TEMPLATE).order_by(
        "-created_at", "-pk"
    ):
        messages.setdefault(message.topic, message)
    return {
        officer.pk: InvitationState(
            latest[officer.pk], messages.get(invitation_topic(officer))
        )
        for officer in officers
        if officer.pk in latest
    }


def invitation_contact(officer: Officer) -> Contact | None:
    """Where an invitation to ``officer`` goes: their own e-mail or mobile number,
    on the channel they prefer, else the other; None when neither is known (a
    landline cannot take WhatsApp)."""
    return contact_for(
        email=officer.email,
        phone=officer.phone,
        prefer=officer.notify_by,
        name=officer.name,
    )


def officer_contact(officer: Officer) -> Contact | None:
    """How to reach one officer: on the channel they prefer, with their own e-mail
    or their login's, their own phone or their login's (``user`` selected)."""
    user = officer.user
    return contact_for(
        email=officer.email or (user.email if user else ""),
        phone=officer.phone or (user.phone if user else ""),
        prefer=officer.notify_by,
        name=officer.name,
    )


def officer_contacts(cooperative: Cooperative) -> list[Contact]:
    """How to reach the cooperative's active officers (``officer_contact``),
    without repeats; the cooperative's own e-mail or phone when no officer can be
    reached. Phone numbers as +62…."""
    contacts: list[Contact] = []
    officers = Officer.objects.filter(cooperative=cooperative, is_active=True)
    for officer in officers.select_related("user").order_by("position", "pk"):
        contact = officer_contact(officer)
        if contact and contact.address.lower() not in {
            c.address.lower() for c in contacts
        }:
            contacts.append(contact)
    if not contacts:
        fallback = contact_for(
            email=cooperative.email, phone=cooperative.phone, name=cooperative.name
        )
        contacts.extend([fallback] if fallback else [])
    return contacts


@dataclass(frozen=True)
class KnownSender:
    """A cooperative a phone number belongs to, and whose it is there: an active
    officer's (``who`` names them) or the cooperative's own telephone."""

    cooperative: Cooperative
    who: str = ""


def senders_known(numbers: Iterable[str]) -> dict[str, list[KnownSender]]:
    """Whom the registry knows by each of ``numbers`` (+62…): cooperatives whose
    active officer has the number, or which have it as their telephone. Numbers
    may be kept as written ("0812-3456-7890"): candidates hold a number's last
    four digits, then are read as numbers. Two queries."""
    numbers = {n for n in numbers if n}
    known: dict[str, list[KnownSender]] = defaultdict(list)
    if not numbers:
        return {}
    tails = reduce(or_, (Q(phone__contains=n[-4:]) for n in numbers))
    officers = Officer.objects.filter(tails, is_active=True)
    for officer in officers.select_related("cooperative").order_by("name"):
        number = normalize_phone(officer.phone)
        if number in numbers:
            who = f"{officer.name} ({officer.get_position_display()})"
            known[number].append(KnownSender(officer.cooperative, who))
    for cooperative in Cooperative.objects.filter(tails).order_by("name"):
        number = normalize_phone(cooperative.phone)
        if number in numbers and all(
            k.cooperative.pk != cooperative.pk for k in known[number]
        ):
            known[number].append(KnownSender(cooperative))
    return {number: found for number, found in known.items() if found}
