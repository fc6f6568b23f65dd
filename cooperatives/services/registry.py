"""Every write to the registry. Each service is atomic and writes its audit row(s)
in the same transaction as the change."""

import datetime
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Value
from django.db.models.functions import Replace, Upper
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record, diff, snapshot
from lib.office_text import Text, in_office_language, lazy_text

from ..models import (
    FIGURE_FIELDS,
    Cooperative,
    CooperativeFigures,
    CooperativeStatus,
    KabupatenKota,
    Kecamatan,
    Kelurahan,
    Officer,
    RecordSource,
    StatusChange,
)
from ..regions import apply_region_data
from ..regions.geo import BoundaryResult, MultiPolygon, apply_boundaries
from ..rules import BADAN_HUKUM_SEPARATORS, badan_hukum_key, rat_is_later
from .rats import rat_held_forget, rat_held_record

# Fields a person may set when registering or editing a cooperative. Status is not
# among them: it changes only through cooperative_change_status, with a reason.
COOPERATIVE_FIELDS = (
    "nik",
    "name",
    "nomor_badan_hukum",
    "tanggal_badan_hukum",
    "address",
    "kelurahan",
    "jenis",
    "pola",
    "bentuk",
    "kelompok",
    "sektor_usaha",
    "phone",
    "email",
    "last_rat_date",
    "last_rat_year",
    "nik_expiry_date",
)
OFFICER_FIELDS = (
    "name",
    "position",
    "phone",
    "email",
    "notify_by",
    "user",
    "start_date",
)
OFFICER_CONTACT_FIELDS = (
    "name",
    "position",
    "phone",
    "email",
    "notify_by",
    "start_date",
)

# A second identical registration by the same person this soon is a double submit.
_DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)


def _only(fields: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    return dict(fields)


def _save_checked(instance: Any) -> None:
    """Validate constraints, then save; a race on a unique key reads as a form error."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("Data bertentangan dengan data yang sudah ada.")
        ) from exc


def _refuse_badan_hukum_of_another(cooperative: Cooperative) -> None:
    """A nomor badan hukum names one legal entity: one that another cooperative
    already has is refused, as the ODS import refuses it. Cost: one query, the
    numbers compared in the database without case and separators."""
    key = badan_hukum_key(cooperative.nomor_badan_hukum or "")
    if not key:
        return
    compared: Any = Upper("nomor_badan_hukum")
    for separator in BADAN_HUKUM_SEPARATORS:
        compared = Replace(compared, Value(separator), Value(""))
    other = (
        Cooperative.objects.exclude(pk=cooperative.pk)
        .annotate(badan_hukum_key=compared)
        .filter(badan_hukum_key=key)
        .values_list("name", flat=True)
        .first()
    )
    if other is not None:
        raise ValidationError(
            {
                "nomor_badan_hukum": _(
                    "Nomor badan hukum ini sudah terdaftar untuk %(name)s."
                )
                % {"name": other}
            }
        )


def _last_rat_held(cooperative: Cooperative, held_before: int | None) -> None:
    """The cooperative's last RAT, as set now, is one it held (``RatHeld``). Set
    back to an earlier tahun buku, the later one was a mistake: no longer held."""
    now = cooperative.last_rat_tahun_buku
    if held_before is not None and (now is None or now < held_before):
        rat_held_forget(cooperative_id=cooperative.pk, tahun_buku=held_before)
    if now is not None:
        rat_held_record(
            cooperative_id=cooperative.pk,
            tahun_buku=now,
            held_on=cooperative.last_rat_date_shown,
        )


@transaction.atomic
def cooperative_register(
    *,
    acting_user: User | None,
    fields: Mapping[str, Any],
    status: str = CooperativeStatus.AKTIF,
    source: str = RecordSource.MANUAL,
) -> Cooperative:
    values = _only(fields, COOPERATIVE_FIELDS)
    if values.get("nik") == "":
        values["nik"] = None
    if acting_user is not None:
        recent = Cooperative.objects.filter(
            name__iexact=values.get("name", ""),
            kelurahan=values.get("kelurahan"),
            created_at__gte=timezone.now() - _DOUBLE_SUBMIT_WINDOW,
            audit_events__actor=acting_user,
            audit_events__action=AuditAction.CREATE,
        )
        if recent.exists():
            raise ValidationError(
                _("Koperasi ini baru saja Anda daftarkan. Periksa daftar koperasi.")
            )
    cooperative = Cooperative(**values, status=status, source=source)
    _refuse_badan_hukum_of_another(cooperative)
    _save_checked(cooperative)
    _last_rat_held(cooperative, None)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=cooperative,
        cooperative=cooperative,
        changes=diff(cooperative, {}, (*COOPERATIVE_FIELDS, "status")),
        message=RecordSource(source).label,
    )
    return cooperative


@transaction.atomic
def cooperative_update(
    *, acting_user: User | None, cooperative: Cooperative, fields: Mapping[str, Any]
) -> Cooperative:
    """Apply ``fields`` and audit each field that really changed (none: no row)."""
    values = _only(fields, COOPERATIVE_FIELDS)
    if values.get("nik") == "":
        values["nik"] = None
    locked = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    before = snapshot(locked, COOPERATIVE_FIELDS)
    held_before = locked.last_rat_tahun_buku
    for name, value in values.items():
        setattr(locked, name, value)
    changes = diff(locked, before, COOPERATIVE_FIELDS)
    if not changes:
        return locked
    if "nomor_badan_hukum" in changes:
        _refuse_badan_hukum_of_another(locked)
    _save_checked(locked)
    if {"last_rat_date", "last_rat_year"} & set(changes):
        _last_rat_held(locked, held_before)
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=locked,
        cooperative=locked,
        changes=changes,
    )
    return locked


@transaction.atomic
def cooperative_last_rat_record(
    *,
    acting_user: User | None,
    cooperative: Cooperative,
    rat_date: datetime.date,
    tahun_buku: int | None,
) -> bool:
    """A RAT held on ``rat_date`` for ``tahun_buku`` becomes the cooperative's last
    RAT when it is later than the one the registry knows (``rat_is_later``).
    Returns whether it did."""
    locked = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    # Held, whether or not it is the last: a report of an earlier year accepted
    # late counts for that year.
    rat_held_record(
        cooperative_id=locked.pk,
        tahun_buku=tahun_buku if tahun_buku is not None else rat_date.year - 1,
        held_on=rat_date,
    )
    if not rat_is_later(
        rat_date=rat_date,
        tahun_buku=tahun_buku,
        known_date=locked.last_rat_date,
        known_year=locked.last_rat_year,
    ):
        return False
    cooperative_update(
        acting_user=acting_user,
        cooperative=locked,
        fields={"last_rat_date": rat_date, "last_rat_year": tahun_buku},
    )
    return True


@transaction.atomic
def cooperative_change_status(
    *,
    acting_user: User | None,
    cooperative: Cooperative,
    new_status: str,
    reason: Text,
    effective_date: datetime.date,
    seen_status: str = "",
) -> StatusChange:
    """``seen_status``: the status the person deciding saw, when known; a change
    made since (by someone else, in another tab) refuses this one. ``reason`` is
    kept in the status history in the office's language (``lib.office_text``),
    as the audit trail keeps it."""
    reason = str(in_office_language(reason))
    locked = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    if new_status not in CooperativeStatus.values:
        raise ValidationError(_("Status tidak dikenal."))
    if seen_status and seen_status != locked.status:
        raise ValidationError(
            _(
                "Status koperasi ini sudah diubah menjadi %(status)s sejak formulir "
                "dibuka (oleh orang lain atau di tab lain); tidak ada yang diubah. "
                "Periksa status terkini, lalu ulangi bila masih perlu."
            )
            % {"status": CooperativeStatus(locked.status).label}
        )
    if locked.status == new_status:
        raise ValidationError(
            _("Status koperasi sudah %(status)s.")
            % {"status": CooperativeStatus(new_status).label}
        )
    if not reason.strip():
        raise ValidationError(_("Alasan perubahan status wajib diisi."))
    if effective_date > timezone.localdate():
        raise ValidationError(_("Tanggal berlaku tidak boleh di masa depan."))
    latest = locked.status_changes.aggregate(on=Max("effective_date"))["on"]
    if latest is not None and effective_date < latest:
        # The history reads in order: a status cannot begin before the one it ends.
        raise ValidationError(
            _(
                "Tanggal berlaku tidak boleh sebelum perubahan status sebelumnya "
                "(%(date)s)."
            )
            % {"date": date_format(latest, "j F Y")}
        )
    change = StatusChange.objects.create(
        cooperative=locked,
        from_status=locked.status,
        to_status=new_status,
        effective_date=effective_date,
        reason=reason.strip(),
        changed_by=acting_user,
    )
    before = snapshot(locked, ("status",))
    locked.status = new_status
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditAction.STATUS_CHANGE,
        obj=locked,
        cooperative=locked,
        changes=diff(locked, before, ("status",)),
        # The day it holds from is part of the decision (the trail showed only
        # the reason; the date was under "Riwayat status" alone).
        message=lazy_text(
            gettext_lazy("%(reason)s (berlaku sejak %(date)s)"),
            reason=change.reason,
            date=effective_date,
        ),
    )
    return change


@transaction.atomic
def figures_record(
    *,
    acting_user: User | None,
    cooperative: Cooperative,
    tahun_buku: int,
    values: Mapping[str, Any],
    source: str = RecordSource.MANUAL,
) -> CooperativeFigures:
    """Create or update the figures of one tahun buku; audits the fields changed.
    Locks the cooperative first, as the RAT acceptance does: a new year's row
    inserted before that lock met an acceptance holding it, and PostgreSQL broke
    the deadlock by failing one of the two."""
    Cooperative.objects.select_for_update().filter(pk=cooperative.pk).first()
    values = _only(values, FIGURE_FIELDS)
    figures, created = CooperativeFigures.objects.select_for_update().get_or_create(
        cooperative=cooperative, tahun_buku=tahun_buku, defaults={"source": source}
    )
    tracked = (*FIGURE_FIELDS, "source")
    before = {} if created else snapshot(figures, tracked)
    for name, value in values.items():
        setattr(figures, name, value)
    figures.source = source
    changes = diff(figures, before, tracked)
    if not changes and not created:
        return figures
    _save_checked(figures)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=figures,
        cooperative=cooperative,
        changes=changes,
    )
    return figures


@transaction.atomic
def officer_add(
    *, acting_user: User | None, cooperative: Cooperative, fields: Mapping[str, Any]
) -> Officer:
    """A new officer; the same person in the same position, still active, is
    refused (a form sent twice made two)."""
    # The cooperative's row is the lock: two requests at once add one.
    Cooperative.objects.select_for_update().filter(pk=cooperative.pk).first()
    officer = Officer(cooperative=cooperative, **_only(fields, OFFICER_FIELDS))
    twin = cooperative.officers.filter(
        is_active=True, name__iexact=officer.name, position=officer.position
    ).first()
    if twin is not None:
        raise ValidationError(
            _("%(name)s sudah terdaftar sebagai %(position)s koperasi ini.")
            % {"name": twin.name, "position": twin.get_position_display()}
        )
    _save_checked(officer)
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=officer,
        cooperative=cooperative,
        changes=diff(officer, {}, OFFICER_FIELDS),
    )
    return officer


@transaction.atomic
def officer_update(
    *, acting_user: User | None, officer: Officer, fields: Mapping[str, Any]
) -> Officer:
    """Correct an officer's name, position, contacts and preferred channel."""
    locked = Officer.objects.select_for_update().get(pk=officer.pk)
    if not locked.is_active:
        raise ValidationError(_("Pengurus ini sudah tidak aktif."))
    before = snapshot(locked, OFFICER_CONTACT_FIELDS)
    for name, value in _only(fields, OFFICER_CONTACT_FIELDS).items():
        setattr(locked, name, value)
    _save_checked(locked)
    changes = diff(locked, before, OFFICER_CONTACT_FIELDS)
    if changes:
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=locked,
            cooperative=locked.cooperative,
            changes=changes,
        )
    return locked


@transaction.atomic
def officer_deactivate(
    *, acting_user: User | None, officer: Officer, end_date: datetime.date
) -> Officer:
    """End a position (a new board took over). The officer's login loses access."""
    locked = Officer.objects.select_for_update().get(pk=officer.pk)
    if not locked.is_active:
        raise ValidationError(_("Pengurus ini sudah tidak aktif."))
    if locked.start_date and end_date < locked.start_date:
        raise ValidationError(
            _(
                "Tanggal selesai menjabat tidak boleh sebelum tanggal mulai menjabat "
                "(%(start)s)."
            )
            % {"start": date_format(locked.start_date, "j F Y")}
        )
    before = snapshot(locked, ("is_active", "end_date"))
    locked.is_active = False
    locked.end_date = end_date
    locked.save(update_fields=["is_active", "end_date"])
    audit_record(
        actor=acting_user,
        action=AuditAction.DEACTIVATE,
        obj=locked,
        cooperative=locked.cooperative,
        changes=diff(locked, before, ("is_active", "end_date")),
    )
    return locked


@transaction.atomic
def regions_load(
    *, acting_user: User | None, data: dict[str, Any]
) -> tuple[KabupatenKota, int, int]:
    """Load one kab/kota from validated region data (see cooperatives.regions)."""
    kabkota, n_kecamatan, n_kelurahan = apply_region_data(
        data,
        kabkota_model=KabupatenKota,
        kecamatan_model=Kecamatan,
        kelurahan_model=Kelurahan,
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=kabkota,
        message=f"{n_kecamatan} kecamatan, {n_kelurahan} kelurahan",
    )
    return kabkota, n_kecamatan, n_kelurahan


@transaction.atomic
def region_boundaries_load(
    *, acting_user: User | None, polygons: dict[str, MultiPolygon]
) -> BoundaryResult:
    """Store the polygons of a read boundary file on the regions with their codes
    (see cooperatives.regions.geo); returns how many were stored and which codes
    matched no region."""
    result = apply_boundaries(
        polygons, kecamatan_model=Kecamatan, kelurahan_model=Kelurahan
    )
    kabkota_codes = sorted({code[:5] for code in polygons})
    for kabkota in KabupatenKota.objects.filter(kemendagri_code__in=kabkota_codes):
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=kabkota,
            message=f"batas wilayah: {result.stored} poligon",
        )
    return result
