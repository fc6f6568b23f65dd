"""Evidence: staff review of officers' confirmations (sent through
``confirmations``) and field visits; each is audited, and an item's proposed
class is recomputed from the accepted ones (``item_recompute``). Accepted RAT
reports come in by themselves: ``rat_evidence``."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record, display_value
from cooperatives.selectors import officer_contacts
from cooperatives.services import cooperative_last_rat_record, cooperative_update
from lib.display import shown
from lib.images import photo_clean
from lib.office_text import Text, lazy_text
from lib.uploads import JPEG, stored_name
from notifications.services import notification_queue
from reports.attachments import AttachmentRejected, refusal, sniff

from ..models import (
    CampaignItem,
    CampaignStatus,
    Evidence,
    EvidenceKind,
    EvidencePhoto,
    EvidenceState,
    EvidenceStatus,
    ObjectionStatus,
)
from ..rules import Klass, Ladder, LetterKind, Proof, VisitResult, propose
from .letter_notices import letters_cancel

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Profile fields a confirmation may correct; staff acceptance applies them.
CONFIRMABLE = ("address", "phone", "email")


def _require_running(item: CampaignItem) -> None:
    if item.campaign.status != CampaignStatus.BERJALAN:
        raise ValidationError(_("Pemutakhiran ini tidak sedang berjalan."))


def document_refusal(upload: UploadedFile) -> str | None:
    """Why ``upload`` will not do as a document (its type, size or a damaged
    file), or None."""
    return refusal(upload, max_bytes=MAX_DOCUMENT_BYTES)


def _document(
    upload: UploadedFile | None, stem: str
) -> tuple[str, UploadedFile] | None:
    """``upload`` judged by its bytes, with the name to keep it under: ``stem``
    and the ending of its real type, nothing of what the sender called it (a
    name ending ".html" was served as a web page)."""
    if upload is None:
        return None
    try:
        found = sniff(upload, max_bytes=MAX_DOCUMENT_BYTES)
    except AttachmentRejected as exc:
        raise ValidationError(str(exc)) from exc
    return stored_name(stem, found.content_type), upload


def _proof(evidence: Evidence) -> Proof | None:
    """What a piece of accepted evidence says about activity: a RAT report, a
    confirmation that brings a RAT, or a visit. A confirmation of contacts alone,
    or of a RAT older than the campaign's window, says nothing either way (None):
    a confirmation repeating the registry's RAT of 2017 had made a cooperative of
    class C "aktif" (B) in the campaign of 2025."""
    if evidence.kind == EvidenceKind.KUNJUNGAN and evidence.visit_result:
        result = VisitResult(evidence.visit_result)
        return Proof(on=evidence.on, active=result == VisitResult.AKTIF, visit=result)
    if evidence.rat_outside_window:
        return None
    if evidence.kind == EvidenceKind.RAT:
        return Proof(on=evidence.on, active=True, rat_year=evidence.rat_year)
    if evidence.rat_year is not None:
        # A confirmed RAT (the officers', or one an accepted objection showed)
        # shows the cooperative active; it proves the RAT of a tahun buku (class
        # A) only with its berita acara (DECISIONS.md).
        proven = evidence.rat_year if evidence.document else None
        return Proof(on=evidence.on, active=True, rat_year=proven)
    return None


def item_recompute(item: CampaignItem, *, today: datetime.date | None = None) -> str:
    """Propose the item's class again from its baseline and accepted evidence, set
    its evidence state, and cancel letters dated after today once it is A or B.
    Three queries; call inside the writing service's transaction."""
    today = today or timezone.localdate()
    evidence = list(
        item.evidence.exclude(
            status__in=[EvidenceStatus.DITOLAK, EvidenceStatus.DIGANTI]
        )
    )
    accepted = [e for e in evidence if e.status == EvidenceStatus.DITERIMA]
    proofs = [proof for proof in map(_proof, accepted) if proof is not None]
    open_objection = item.objections.filter(status=ObjectionStatus.TERBUKA).exists()
    klass = propose(
        rat_year=item.rat_year,
        proofs=proofs,
        tahun_buku=item.campaign.tahun_buku,
        window_years=item.campaign.window_years,
        ladder=Ladder(
            peringatan_on=item.peringatan_on,
            objection_months=item.campaign.objection_months,
            open_objection=open_objection,
        ),
        today=today,
    )
    if any(e.status == EvidenceStatus.MENUNGGU for e in evidence):
        state = EvidenceState.MENUNGGU
    elif accepted:
        state = EvidenceState.TERVERIFIKASI
    else:
        state = EvidenceState.BELUM
    if klass in (Klass.A, Klass.B):
        letters_cancel(
            item.letters.filter(issued_on__gt=today),
            why=gettext_lazy("Koperasi terbukti aktif sebelum tanggal surat."),
        )
        if (
            item.peringatan_on
            and not item.letters.filter(
                kind=LetterKind.PERINGATAN, cancelled_at__isnull=True
            ).exists()
        ):
            item.peringatan_on = None
    item.proposed_class = klass
    item.evidence_state = state
    item.save(update_fields=["proposed_class", "evidence_state", "peringatan_on"])
    return klass


def audit_evidence(
    evidence: Evidence, actor: User | None, action: AuditAction, message: Text
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=evidence,
        cooperative=evidence.item.cooperative,
        message=message,
    )


@transaction.atomic
def evidence_review(
    *, acting_user: User, evidence: Evidence, accept: bool, note: str = ""
) -> Evidence:
    """Accept or reject a waiting confirmation. Accepting applies the corrected
    address and contacts through the registry and counts its RAT as evidence."""
    locked = (
        Evidence.objects.select_for_update()
        .select_related("item__campaign", "item__cooperative")
        .get(pk=evidence.pk)
    )
    _require_running(locked.item)
    if locked.status == EvidenceStatus.DIGANTI:
        # The officer sent a newer confirmation while this page was open.
        raise ValidationError(
            _(
                "Konfirmasi ini sudah diganti konfirmasi yang lebih baru dari "
                "pengurus; periksa yang terbaru di halaman koperasinya."
            )
        )
    if locked.status != EvidenceStatus.MENUNGGU:
        raise ValidationError(_("Bukti ini sudah diperiksa."))
    if not accept and not note.strip():
        raise ValidationError(_("Tulis alasan penolakan."))
    if accept and locked.item.dissolved:
        # Sent before the dissolution: it would count the cooperative active
        # (class B beside "Dibubarkan"). Rejected, it no longer holds the closing.
        raise ValidationError(
            _(
                "Koperasi ini sudah dibubarkan sejak konfirmasi ini dikirim; "
                "konfirmasinya hanya dapat ditolak."
            )
        )
    locked.status = EvidenceStatus.DITERIMA if accept else EvidenceStatus.DITOLAK
    locked.reviewed_by = acting_user
    locked.reviewed_at = timezone.now()
    if note.strip():
        locked.notes = "\n".join(filter(None, (locked.notes, note.strip())))
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "notes"])
    if accept:
        profile = {k: v for k, v in locked.data.items() if k in CONFIRMABLE}
        if profile:
            cooperative_update(
                acting_user=acting_user,
                cooperative=locked.item.cooperative,
                fields=profile,
            )
        if locked.rat_date and locked.document:
            # The RAT it confirms, proven by its berita acara, is the registry's
            # last RAT too, when later. Without one it is the officer's word: it
            # counts as activity, but the public page does not state it.
            cooperative_last_rat_record(
                acting_user=acting_user,
                cooperative=locked.item.cooperative,
                rat_date=locked.rat_date,
                tahun_buku=locked.rat_year,
            )
    item_recompute(locked.item)
    audit_evidence(
        locked,
        acting_user,
        AuditAction.ACCEPT if accept else AuditAction.REJECT,
        note.strip(),
    )
    _notify_reviewed(locked, accept=accept, note=note.strip())
    return locked


# The officers' notice of a reviewed confirmation (the WhatsApp template
# "confirmation_reviewed", docs/whatsapp.md).
CONFIRMATION_REVIEWED = "campaigns/email/confirmation_reviewed"


def confirmation_topic(item: CampaignItem) -> str:
    """What an item's notices to its officers are filed under."""
    return f"campaign_item:{item.pk}"


def _notify_reviewed(evidence: Evidence, *, accept: bool, note: str) -> None:
    """Tell the cooperative's officers, each on the channel they prefer, what
    became of their confirmation: one who sent it through the letter's link has
    no account to look at (a record per message, sent after commit)."""
    item = evidence.item
    recipients = officer_contacts(item.cooperative)
    if not recipients:
        return
    url = settings.SITE_URL + reverse("home")
    context = {
        "item": item,
        "evidence": evidence,
        "accepted": accept,
        "note": note,
        "url": url,
        "office": settings.OFFICE_NAME,
    }
    notification_queue(
        template=CONFIRMATION_REVIEWED,
        context=context,
        recipients=recipients,
        topic=confirmation_topic(item),
        whatsapp_params=[
            item.cooperative.name,
            item.campaign.year,
            # The registered template's language, whoever reviews.
            "telah DITERIMA" if accept else "DITOLAK",
            note or "-",
            url,
        ],
    )


@transaction.atomic
def visit_record(
    *,
    acting_user: User,
    item: CampaignItem,
    on: datetime.date,
    result: str,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photos: list[UploadedFile] | None = None,
    statement: UploadedFile | None = None,
    notes: str = "",
    client_key: str = "",
    new_address: str = "",
) -> Evidence:
    """A field visit by staff; it counts at once. ``client_key`` (set by the
    phone form) makes a resend of the same visit return the first one. A visit
    that found the cooperative moved keeps ``new_address`` when it was learned."""
    locked = (
        CampaignItem.objects.select_for_update()
        .select_related("campaign", "cooperative")
        .get(pk=item.pk)
    )
    _require_running(locked)
    if client_key:
        again = _visit_sent_before(
            locked, client_key, on=on, result=result, notes=notes
        )
        if again is not None:
            return again
    if locked.dissolved:
        # Out of the campaign's hands (``CampaignItem.dissolved``): a visit
        # would make it class A or B beside "Dibubarkan".
        raise ValidationError(
            _(
                "Koperasi ini sudah dibubarkan; pemutakhiran tidak lagi mencatat "
                "kunjungan kepadanya."
            )
        )
    if result not in VisitResult.__members__.values():
        raise ValidationError(_("Pilih hasil kunjungan."))
    _check_visit_date(locked, on)
    evidence = Evidence(
        item=locked,
        kind=EvidenceKind.KUNJUNGAN,
        status=EvidenceStatus.DITERIMA,
        on=on,
        visit_result=result,
        latitude=latitude,
        longitude=longitude,
        notes=notes.strip(),
        data={
            **({"client_key": client_key} if client_key else {}),
            **(
                {"new_address": " ".join(new_address.split())}
                if result == VisitResult.PINDAH and new_address.strip()
                else {}
            ),
        },
        created_by=acting_user,
        reviewed_by=acting_user,
        reviewed_at=timezone.now(),
    )
    document = _document(statement, "pernyataan-lurah")
    if document is not None:
        evidence.document.save(*document, save=False)
    cleaned = [photo_clean(p, name=p.name or "foto.jpg") for p in photos or []]
    evidence.save()
    for clean in cleaned:
        EvidencePhoto(evidence=evidence).file.save(stored_name("foto", JPEG), clean)
    item_recompute(locked)
    audit_evidence(
        evidence,
        acting_user,
        AuditAction.CREATE,
        lazy_text(
            gettext_lazy("Kunjungan: %(result)s."),
            result=display_value(evidence, "visit_result"),
        ),
    )
    return evidence


def _visit_sent_before(
    item: CampaignItem, client_key: str, *, on: datetime.date, result: str, notes: str
) -> Evidence | None:
    """The visit this page already recorded, if it was sent before; sent again
    after going back and changing it, refused (the change would be dropped
    under "tercatat")."""
    again = item.evidence.filter(data__client_key=client_key).first()
    if again is None or (again.on, again.visit_result, again.notes) == (
        on,
        result,
        notes.strip(),
    ):
        return again
    raise ValidationError(
        _(
            "Kunjungan dari halaman ini sudah tercatat (%(date)s, %(result)s); "
            "perubahannya tidak disimpan. Buka lagi halaman kunjungan untuk "
            "mencatat kunjungan lain."
        )
        % {"date": shown(again.on), "result": again.get_visit_result_display()}
    )


def _check_visit_date(item: CampaignItem, on: datetime.date) -> None:
    if on > timezone.localdate():
        raise ValidationError({"on": _("Tanggal kunjungan tidak boleh di masa depan.")})
    earliest = datetime.date(item.campaign.year + 1, 1, 1)
    if on < earliest:
        # A visit before the campaign's tahun buku ended proves nothing about
        # its activity since (1 January 1990 became a campaign's evidence).
        raise ValidationError(
            {
                "on": _(
                    "Kunjungan untuk pemutakhiran %(year)s paling awal tanggal "
                    "%(date)s."
                )
                % {"year": item.campaign.year, "date": shown(earliest)}
            }
        )
