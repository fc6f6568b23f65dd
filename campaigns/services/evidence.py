"""Evidence: officer confirmations (logged in or through a one-time link) and
field visits; each is audited, and an item's proposed class is recomputed from
the accepted ones (``item_recompute``). Accepted RAT reports come in by
themselves: ``rat_evidence``."""

import datetime
import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from cooperatives.models import Cooperative
from cooperatives.rules import rat_tahun_buku
from cooperatives.selectors import officer_contacts
from cooperatives.services import cooperative_last_rat_record, cooperative_update
from lib.display import shown
from lib.images import photo_clean
from lib.text import shows_something
from lib.uploads import JPEG, stored_name
from notifications.services import notification_queue
from reports.attachments import AttachmentRejected, refusal, sniff

from ..models import (
    CampaignItem,
    CampaignStatus,
    ConfirmationLink,
    Evidence,
    EvidenceKind,
    EvidencePhoto,
    EvidenceState,
    EvidenceStatus,
    ObjectionStatus,
)
from ..rules import Klass, Ladder, LetterKind, Proof, VisitResult, propose
from ..selectors import waiting_confirmations

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Profile fields a confirmation may correct; staff acceptance applies them.
CONFIRMABLE = ("address", "phone", "email")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
    confirmation that brings a RAT, or a visit. A confirmation of contacts alone
    says nothing either way (None)."""
    if evidence.kind == EvidenceKind.KUNJUNGAN and evidence.visit_result:
        result = VisitResult(evidence.visit_result)
        return Proof(on=evidence.on, active=result == VisitResult.AKTIF, visit=result)
    if evidence.kind == EvidenceKind.RAT:
        return Proof(on=evidence.on, active=True, rat_year=evidence.rat_year)
    if evidence.rat_year is not None:
        # A confirmed RAT shows the cooperative active; it proves the RAT of a
        # tahun buku (class A) only with its berita acara (DECISIONS.md).
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
        item.letters.filter(cancelled_at__isnull=True, issued_on__gt=today).update(
            cancelled_at=timezone.now()
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
    evidence: Evidence, actor: User | None, action: AuditAction, message: str
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=evidence,
        cooperative=evidence.item.cooperative,
        message=message,
    )


@transaction.atomic
def confirmation_link_create(*, item: CampaignItem) -> str:
    """A one-time link for the item's officers; returns the token (printed on the
    letter, never stored: only its hash is). Earlier unused links stop working."""
    now = timezone.now()
    item.links.filter(used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    token = secrets.token_urlsafe(24)
    ConfirmationLink.objects.create(
        item=item,
        token_hash=_hash(token),
        expires_at=now + timedelta(days=settings.CAMPAIGN_LINK_VALID_DAYS),
    )
    return token


def confirmation_link_for_token(token: str) -> ConfirmationLink | None:
    """The link ``token`` stands for, if still usable (not used, not expired, the
    campaign running)."""
    link = (
        ConfirmationLink.objects.select_related("item__campaign", "item__cooperative")
        .filter(token_hash=_hash(token))
        .first()
    )
    if (
        link is None
        or link.used_at is not None
        or link.expires_at <= timezone.now()
        or link.item.campaign.status != CampaignStatus.BERJALAN
    ):
        return None
    return link


def confirmation_link_used_recently(token: str) -> ConfirmationLink | None:
    """The link ``token`` stands for if it was used within the last day: the same
    form sent again (going back and pressing send, or two taps at once) leads to
    the first sending's "received" page, not to "link not valid"."""
    since = timezone.now() - datetime.timedelta(days=1)
    return ConfirmationLink.objects.filter(
        token_hash=_hash(token), used_at__gt=since
    ).first()


def confirmation_problems(
    cooperative: Cooperative,
    *,
    fields: Mapping[str, str],
    rat_date: datetime.date | None,
    rat_year: int | None,
) -> dict[str, str]:
    """Every reason to refuse a confirmation, by field, all at once (the form
    shows them together: one at a time took the officer three sendings, each
    choosing the photo again). A RAT in the future; a tahun buku after this year
    or not yet over at its RAT; a RAT the registry does not know, given by its
    year alone; an office address erased."""
    problems: dict[str, str] = {}
    today = timezone.localdate()
    if rat_date and rat_date > today:
        problems["rat_date"] = _("Tanggal RAT tidak boleh di masa depan.")
    if rat_year is not None and rat_year > today.year:
        problems["rat_year"] = _("Tahun buku RAT tidak boleh sesudah tahun ini.")
    elif rat_date and rat_year is not None and rat_year >= rat_date.year:
        problems["rat_year"] = _(
            "Tahun buku %(year)s belum berakhir pada tanggal RAT %(date)s: "
            "RAT melaporkan tahun buku yang sudah lewat."
        ) % {"year": rat_year, "date": date_format(rat_date, "j F Y")}
    known = cooperative.last_rat_tahun_buku
    if (
        rat_date is None
        and rat_year is not None
        and "rat_year" not in problems
        and (known is None or rat_year > known)
    ):
        # A RAT the registry does not know yet is known by its date (the
        # berita acara carries it); a year alone is no record of a meeting.
        problems["rat_date"] = _(
            "Isi tanggal RAT tahun buku %(year)s (tertulis di berita acaranya)."
        ) % {"year": rat_year}
    address = (fields.get("address") or "").strip()
    if (
        "address" in fields
        and address != cooperative.address
        and not shows_something(address)
    ):
        # A cooperative has an office: a correction may change its address,
        # not erase it (nor write "-" over it).
        problems["address"] = _(
            "Alamat kantor tidak boleh dikosongkan; tulis alamat yang benar."
        )
    return problems


@transaction.atomic
def confirmation_submit(
    *,
    acting_user: User | None,
    item: CampaignItem,
    fields: Mapping[str, str],
    board: str,
    rat_date: datetime.date | None,
    rat_year: int | None,
    berita_acara: UploadedFile | None = None,
    photo: UploadedFile | None = None,
    token: str | None = None,
) -> Evidence:
    """An officer's confirmation or correction, waiting for staff: nothing in the
    registry changes until it is accepted. One sent while an earlier one still
    waits replaces it (``DIGANTI``): staff examine only the latest. Through a link
    (``token``), the link is used up; a used or expired link is refused."""
    locked = (
        CampaignItem.objects.select_for_update()
        .select_related("campaign", "cooperative")
        .get(pk=item.pk)
    )
    _require_running(locked)
    if locked.dissolved:
        raise ValidationError(
            _(
                "Koperasi ini sudah dibubarkan; pemutakhiran tidak lagi menerima "
                "konfirmasinya."
            )
        )
    if token is not None:
        link = (
            ConfirmationLink.objects.select_for_update()
            .filter(token_hash=_hash(token), item=locked)
            .first()
        )
        if (
            link is None
            or link.used_at is not None
            or link.expires_at <= timezone.now()
        ):
            raise ValidationError(
                _("Tautan konfirmasi ini sudah tidak berlaku. Hubungi Dinas.")
            )
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    cooperative = locked.cooperative
    problems = confirmation_problems(
        cooperative, fields=fields, rat_date=rat_date, rat_year=rat_year
    )
    if problems:
        raise ValidationError(problems)
    rat_year = rat_tahun_buku(rat_year, rat_date)
    changes = {
        name: value.strip()
        for name, value in fields.items()
        if name in CONFIRMABLE and value.strip() != getattr(cooperative, name)
    }
    if board.strip():
        changes["pengurus"] = board.strip()
    waiting = waiting_confirmations(locked).first()
    if (
        waiting is not None
        # From the same person on the same page: another officer, or a one-time
        # link, sends one of their own (its sender and the link are recorded).
        and token is None
        and waiting.created_by == acting_user
        and berita_acara is None
        and photo is None
        and (waiting.data, waiting.rat_date, waiting.rat_year)
        == (changes, rat_date, rat_year)
    ):
        # The same confirmation sent again (a double tap, a page sent twice):
        # the one waiting is it. Four sends had left three "Diganti" beside it.
        return waiting
    evidence = Evidence(
        item=locked,
        kind=EvidenceKind.KONFIRMASI,
        on=timezone.localdate(),
        rat_date=rat_date,
        rat_year=rat_year,
        data=changes,
        created_by=acting_user,
    )
    document = _document(berita_acara, "berita-acara")
    if document is not None:
        evidence.document.save(*document, save=False)
    clean = photo_clean(photo, name=photo.name or "foto.jpg") if photo else None
    replaced = list(waiting_confirmations(locked).prefetch_related("photos"))
    waiting_confirmations(locked).update(
        status=EvidenceStatus.DIGANTI, reviewed_at=timezone.now()
    )
    # A confirmation sent again without its files keeps those of the one it
    # replaces: staff examine only the latest, and the officer is not asked twice.
    kept = next((old for old in replaced if old.document), None)
    if not evidence.document and kept is not None:
        evidence.document = kept.document.name
    evidence.save()
    if clean is not None:
        EvidencePhoto(evidence=evidence).file.save(stored_name("foto", JPEG), clean)
    else:
        earlier = next((old for old in replaced if old.photos.all()), None)
        for kept_photo in earlier.photos.all() if earlier else ():
            EvidencePhoto.objects.create(evidence=evidence, file=kept_photo.file.name)
    item_recompute(locked)
    audit_evidence(
        evidence,
        acting_user,
        AuditAction.SUBMIT,
        _("Konfirmasi data %(year)s dikirim%(via)s.")
        % {
            "year": locked.campaign.year,
            "via": _(" lewat tautan satu kali") if token else "",
        },
    )
    return evidence


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
        AuditAction.ACCEPT if accept else AuditAction.RETURN,
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
) -> Evidence:
    """A field visit by staff; it counts at once. ``client_key`` (set by the
    phone form) makes a resend of the same visit return the first one."""
    locked = (
        CampaignItem.objects.select_for_update()
        .select_related("campaign", "cooperative")
        .get(pk=item.pk)
    )
    _require_running(locked)
    if client_key:
        again = locked.evidence.filter(data__client_key=client_key).first()
        if again is not None:
            if (again.on, again.visit_result, again.notes) != (
                on,
                result,
                notes.strip(),
            ):
                # The page sent again after going back and changing it: the
                # first was kept and the change dropped under "tercatat".
                raise ValidationError(
                    _(
                        "Kunjungan dari halaman ini sudah tercatat (%(date)s, "
                        "%(result)s); perubahannya tidak disimpan. Buka lagi "
                        "halaman kunjungan untuk mencatat kunjungan lain."
                    )
                    % {
                        "date": shown(again.on),
                        "result": again.get_visit_result_display(),
                    }
                )
            return again
    if result not in VisitResult.__members__.values():
        raise ValidationError(_("Pilih hasil kunjungan."))
    if on > timezone.localdate():
        raise ValidationError({"on": _("Tanggal kunjungan tidak boleh di masa depan.")})
    earliest = datetime.date(locked.campaign.year + 1, 1, 1)
    if on < earliest:
        # A visit before the campaign's tahun buku ended proves nothing about
        # its activity since (1 January 1990 became a campaign's evidence).
        raise ValidationError(
            {
                "on": _(
                    "Kunjungan untuk pemutakhiran %(year)s paling awal tanggal "
                    "%(date)s."
                )
                % {"year": locked.campaign.year, "date": shown(earliest)}
            }
        )
    evidence = Evidence(
        item=locked,
        kind=EvidenceKind.KUNJUNGAN,
        status=EvidenceStatus.DITERIMA,
        on=on,
        visit_result=result,
        latitude=latitude,
        longitude=longitude,
        notes=notes.strip(),
        data={"client_key": client_key} if client_key else {},
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
        _("Kunjungan: %(result)s.") % {"result": evidence.get_visit_result_display()},
    )
    return evidence
