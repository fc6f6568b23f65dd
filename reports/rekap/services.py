"""Every write of the rekap: asking for a freeze, freezing (the Celery task and the
command call the same function), approving and recording that it was sent."""

import datetime
import logging
import re
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from cooperatives.models import KabupatenKota, Kecamatan
from lib.bulk import transaction_lock
from lib.display import shown
from lib.office_text import lazy_text, office_language
from lib.text import visible_line

from .definitions import DEFINITIONS, Period, Progress, Scope, Table, content_hash
from .models import (
    FreezeStatus,
    RekapFreezeJob,
    RekapSending,
    RekapSnapshot,
    SnapshotStatus,
)

logger = logging.getLogger(__name__)

APPROVE_PERMISSION = "reports.approve_rekapsnapshot"


def rekap_scope(scope_code: str) -> Scope:
    """The kab/kota or kecamatan with this Kemendagri code; ValidationError if none."""
    region = (
        Kecamatan.objects.filter(kemendagri_code=scope_code).first()
        or KabupatenKota.objects.filter(kemendagri_code=scope_code).first()
    )
    if region is None:
        raise ValidationError(_("Wilayah cakupan tidak dikenal."))
    return Scope(region.kemendagri_code, region.name)


def rekap_tables(
    code: str, period: Period, scope: Scope, progress: Progress | None = None
) -> list[Table]:
    """The tables of report ``code`` as today's registry gives them, built as a
    snapshot is frozen: in the site's language whoever asks (the words of its
    cells, a status or an indicator's title, are part of its hash, and a rebuild
    for an English reader would find every one of them "changed"); the reader
    sees the headings in theirs (``files.frozen_label``)."""
    with office_language():
        return DEFINITIONS[code].build(period, scope, progress or (lambda _p: None))


class RekapPending(ValidationError):
    """The same rekap (code, tahun buku, date, scope) is being made already:
    ``job`` is that one, to follow instead of making it twice."""

    def __init__(self, job: RekapFreezeJob) -> None:
        super().__init__(
            _(
                "Rekap yang sama sedang dibuat (proses %(id)s); ikuti prosesnya, "
                "jangan dibuat dua kali."
            )
            % {"id": job.pk}
        )
        self.job = job


@transaction.atomic
def rekap_freeze_request(
    *,
    acting_user: User | None,
    code: str,
    tahun_buku: int,
    as_of: datetime.date,
    scope_code: str,
) -> RekapFreezeJob:
    """Create the job row; the caller enqueues it after commit (see views, command)."""
    if code not in DEFINITIONS:
        raise ValidationError(_("Jenis rekap tidak dikenal."))
    refusal = DEFINITIONS[code].refusal(tahun_buku)
    if refusal:
        raise ValidationError(refusal)
    rekap_scope(scope_code)
    # Four "Buat rekap" at once made versions 1 to 4 of one rekap: the same one
    # asked while it is being made is that job (the lock orders the askers).
    transaction_lock("reports.rekap.freeze")
    pending = RekapFreezeJob.objects.filter(
        code=code,
        tahun_buku=tahun_buku,
        as_of=as_of,
        scope_code=scope_code,
        status__in=(FreezeStatus.QUEUED, FreezeStatus.RUNNING),
    ).first()
    if pending is not None:
        raise RekapPending(pending)
    job = RekapFreezeJob.objects.create(
        code=code,
        tahun_buku=tahun_buku,
        as_of=as_of,
        scope_code=scope_code,
        created_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=job,
        message=f"{code} {tahun_buku} ({scope_code}), per {as_of.isoformat()}",
    )
    return job


def _set_progress(job_id: int, percent: int) -> None:
    RekapFreezeJob.objects.filter(pk=job_id).update(progress=min(99, percent))


def rekap_freeze_execute(*, job_id: int) -> RekapFreezeJob:
    """Read the registry and freeze a new snapshot version. Safe to call again: a
    done job is returned as it is. The registry is read in one REPEATABLE READ-like
    pass per table (each table's queries inside one transaction)."""
    with transaction.atomic():
        job = RekapFreezeJob.objects.select_for_update().get(pk=job_id)
        if job.status == FreezeStatus.DONE:
            return job
        job.status = FreezeStatus.RUNNING
        job.progress = 0
        job.error = ""
        job.save(update_fields=["status", "progress", "error"])
    period = Period(job.tahun_buku, job.as_of)
    try:
        scope = rekap_scope(job.scope_code)
        with transaction.atomic():
            tables = rekap_tables(
                job.code, period, scope, lambda p: _set_progress(job.pk, p)
            )
            frozen_at = timezone.now()
        snapshot = _store_snapshot(job, period, scope, tables, frozen_at)
    except Exception as exc:
        logger.exception("Rekap freeze %s failed", job_id)
        RekapFreezeJob.objects.filter(pk=job_id).update(
            status=FreezeStatus.FAILED,
            finished_at=timezone.now(),
            error=_("Rekap gagal dibekukan (%(error)s). Silakan coba lagi.")
            % {"error": type(exc).__name__},
        )
        raise
    job.refresh_from_db()
    job.snapshot = snapshot
    job.status = FreezeStatus.DONE
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(update_fields=["snapshot", "status", "progress", "finished_at"])
    return job


@transaction.atomic
def _store_snapshot(
    job: RekapFreezeJob,
    period: Period,
    scope: Scope,
    tables: list[dict[str, object]],
    frozen_at: datetime.datetime,
) -> RekapSnapshot:
    definition = DEFINITIONS[job.code]
    # Two freezes of one period at once: the scope's region row serialises them, so
    # they number 1 and 2 instead of colliding (there may be no version to lock yet).
    region: Any = Kecamatan if scope.is_kecamatan else KabupatenKota
    list(region.objects.select_for_update().filter(kemendagri_code=scope.code))
    same_period = RekapSnapshot.objects.filter(
        code=job.code,
        tahun_buku=period.tahun_buku,
        as_of=period.as_of,
        scope_code=scope.code,
    )
    version = (same_period.aggregate(v=Max("version"))["v"] or 0) + 1
    snapshot = RekapSnapshot.objects.create(
        code=job.code,
        definition_version=definition.version,
        tahun_buku=period.tahun_buku,
        as_of=period.as_of,
        scope_code=scope.code,
        scope_name=scope.name,
        version=version,
        tables=tables,
        content_hash=content_hash(
            code=job.code,
            definition_version=definition.version,
            period=period,
            scope_code=scope.code,
            tables=tables,
        ),
        frozen_at=frozen_at,
        made_by=job.created_by,
    )
    audit_record(
        actor=job.created_by,
        action=AuditAction.CREATE,
        obj=snapshot,
        message=f"hash {snapshot.content_hash}",
    )
    return snapshot


def can_approve(user: User) -> bool:
    return user.is_dinas and user.has_perm(APPROVE_PERMISSION)


def _not_superseded(snapshot: RekapSnapshot) -> None:
    """A version frozen again since is neither approved nor sent: the newest
    is the period's rekap."""
    newest = snapshot.newest_version()
    if newest is not None:
        raise ValidationError(
            _(
                "Rekap ini sudah digantikan versi %(version)s yang dibekukan "
                "kemudian; versi terbaru itulah yang disetujui dan dikirim."
            )
            % {"version": newest.version}
        )


@transaction.atomic
def rekap_approve(*, acting_user: User, snapshot: RekapSnapshot) -> RekapSnapshot:
    """Draf -> Disetujui, by an account with the approving right (the Kepala Dinas's
    role: the "Kepala Dinas" group)."""
    if not can_approve(acting_user):
        raise PermissionDenied
    locked = RekapSnapshot.objects.select_for_update().get(pk=snapshot.pk)
    if locked.status != SnapshotStatus.DRAF:
        raise ValidationError(_("Hanya rekap berstatus Draf yang dapat disetujui."))
    _not_superseded(locked)
    locked.status = SnapshotStatus.DISETUJUI
    locked.approved_by = acting_user
    locked.approved_at = timezone.now()
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(actor=acting_user, action=AuditAction.FINALISE, obj=locked)
    return locked


def recipient_key(recipient: str) -> str:
    """A recipient as compared: its letters and digits alone, of one width and
    case ("Wali Kota Balikpapan.", "walikota  balikpapan" and its full-width
    spelling are one recipient)."""
    folded = unicodedata.normalize("NFKC", visible_line(recipient)).casefold()
    return re.sub(r"[\W_]+", "", folded)


@transaction.atomic
def rekap_sending_remove(*, acting_user: User, sending: RekapSending) -> None:
    """Take back a sending recorded by mistake (a wrong recipient or number),
    audited; the last one taken back makes the rekap Disetujui again."""
    locked = RekapSnapshot.objects.select_for_update().get(pk=sending.snapshot_id)
    gone = RekapSending.objects.filter(pk=sending.pk).first()
    if gone is None:
        return  # taken back already (a second click)
    if locked.newest_version() is not None:
        # A version frozen again since takes no new sending: one taken back
        # here could not be recorded again (the record of what the Wali Kota
        # received was lost, and the page said the newer draft was sent).
        raise ValidationError(
            _(
                "Versi ini sudah digantikan versi yang dibekukan kemudian; catatan "
                "pengirimannya tidak diubah lagi."
            )
        )
    gone.delete()
    if not locked.sendings.exists() and locked.status == SnapshotStatus.DIKIRIM:
        locked.status = SnapshotStatus.DISETUJUI
        locked.save(update_fields=["status"])
    _audit_sending(
        acting_user,
        gone,
        AuditAction.DELETE,
        gettext_lazy("Catatan pengiriman dihapus: %(number)s → %(to)s (%(date)s)"),
    )


def _audit_sending(
    acting_user: User, sending: RekapSending, action: AuditAction, words: Any
) -> None:
    """A sending recorded or taken back, on the rekap's audit trail."""
    audit_record(
        actor=acting_user,
        action=action,
        obj=sending.snapshot,
        message=lazy_text(
            words,
            number=sending.nomor_surat,
            to=sending.sent_to,
            date=sending.sent_on,
        ),
    )


@transaction.atomic
def rekap_mark_sent(
    *,
    acting_user: User,
    snapshot: RekapSnapshot,
    sent_to: str,
    sent_on: datetime.date,
    nomor_surat: str,
) -> RekapSending:
    """Record that the approved rekap went to ``sent_to`` on ``sent_on`` under
    ``nomor_surat``; the first sending makes it Dikirim. A rekap goes to several
    recipients (it could be recorded once, to one); the same recipient twice is
    refused (a page sent again)."""
    locked = RekapSnapshot.objects.select_for_update().get(pk=snapshot.pk)
    if (
        locked.status not in (SnapshotStatus.DISETUJUI, SnapshotStatus.DIKIRIM)
        or locked.approved_at is None
    ):
        raise ValidationError(
            _("Rekap harus disetujui Kepala Dinas sebelum dicatat terkirim.")
        )
    key = recipient_key(sent_to)
    for before in locked.sendings.all():
        if recipient_key(before.sent_to) == key:
            raise ValidationError(
                _("Rekap ini sudah dicatat terkirim ke %(to)s pada %(date)s.")
                % {"to": before.sent_to, "date": shown(before.sent_on)}
            )
    _not_superseded(locked)
    approved_on = timezone.localdate(locked.approved_at)
    if sent_on < approved_on:
        raise ValidationError(
            {
                "sent_on": _(
                    "Tanggal kirim tidak boleh sebelum rekap disetujui (%(date)s)."
                )
                % {"date": shown(approved_on)}
            }
        )
    sending = RekapSending.objects.create(
        snapshot=locked,
        sent_to=sent_to,
        sent_on=sent_on,
        nomor_surat=nomor_surat,
        sent_by=acting_user,
    )
    if locked.status != SnapshotStatus.DIKIRIM:
        locked.status = SnapshotStatus.DIKIRIM
        locked.save(update_fields=["status"])
    _audit_sending(
        acting_user, sending, AuditAction.ISSUE, "%(number)s → %(to)s (%(date)s)"
    )
    return sending
