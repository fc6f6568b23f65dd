"""Officers' confirmations, sent logged in or through a one-time link: the links,
every reason to refuse one, and the sending, which waits for staff
(``evidence.evidence_review``)."""

import datetime
import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditAction
from cooperatives.models import Cooperative
from cooperatives.rules import rat_tahun_buku
from lib.images import photo_clean
from lib.office_text import lazy_text
from lib.text import shows_something
from lib.uploads import JPEG, stored_name

from ..models import (
    CampaignItem,
    CampaignStatus,
    ConfirmationLink,
    Evidence,
    EvidenceKind,
    EvidencePhoto,
    EvidenceStatus,
)
from ..selectors import waiting_confirmations
from .evidence import (
    CONFIRMABLE,
    _document,
    _require_running,
    audit_evidence,
    item_recompute,
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def confirmation_link_create(
    *,
    item: CampaignItem,
    token: str | None = None,
    handed_over: datetime.datetime | None = None,
    until: datetime.date | None = None,
) -> str:
    """A one-time link for the item's officers; returns the token (printed on the
    letter, never stored: only its hash is; ``new_link_token`` makes one before
    the letter is rendered). Earlier unused links stop working at
    ``handed_over``, when the letter carrying the new one reaches the officers
    (now by default: a teguran dated ahead had ended the pemberitahuan's link at
    once, weeks before they had the new one). The new link works
    CAMPAIGN_LINK_VALID_DAYS, and at least until the end of ``until``, the day
    the letter asks for an answer by."""
    now = timezone.now()
    handed_over = max(handed_over or now, now)
    item.links.filter(used_at__isnull=True, expires_at__gt=handed_over).update(
        expires_at=handed_over
    )
    expires = now + timedelta(days=settings.CAMPAIGN_LINK_VALID_DAYS)
    if until is not None:
        end_of_until = datetime.datetime.combine(
            until + timedelta(days=1), datetime.time.min
        )
        expires = max(expires, timezone.make_aware(end_of_until))
    token = token or new_link_token()
    ConfirmationLink.objects.create(
        item=item, token_hash=_hash(token), expires_at=expires
    )
    return token


# Printed on paper and typed from it: lower case, without the letters and digits
# that look alike (0/O, 1/l/I). 26 of these 31 characters are 128 bits and more.
_TOKEN_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_TOKEN_LENGTH = 26


def new_link_token() -> str:
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(_TOKEN_LENGTH))


def _hashes(token: str) -> set[str]:
    """The hashes ``token`` may stand for: as written, and in lower case without
    spaces (the new tokens are lower case and may be typed from paper in capitals
    or in groups; earlier ones mixed cases and match as written)."""
    typed = "".join(token.split()).lower()  # spaces typed from paper, capitals
    return {_hash(token), _hash(typed)}


def _link_for(token: str) -> "ConfirmationLink | None":
    return (
        ConfirmationLink.objects.filter(token_hash__in=_hashes(token))
        .select_related("item__campaign", "item__cooperative")
        .first()
    )


def confirmation_link_for_token(token: str) -> ConfirmationLink | None:
    """The link ``token`` stands for, if still usable (not used, not expired, the
    campaign running)."""
    link = _link_for(token)
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
        token_hash__in=_hashes(token), used_at__gt=since
    ).first()


# How many years a RAT may come after the tahun buku it reports: a cooperative
# that missed its meetings may hold one late, not decades late.
RAT_LAG_MAX = 5


def confirmation_problems(
    cooperative: Cooperative,
    *,
    fields: Mapping[str, str],
    rat_date: datetime.date | None,
    rat_year: int | None,
) -> dict[str, str]:
    """Every reason to refuse a confirmation, by field, all at once (the form
    shows them together: one at a time took the officer three sendings, each
    choosing the photo again). A RAT in the future; a tahun buku after this year,
    not yet over at its RAT, or more than RAT_LAG_MAX years before it; a RAT the
    registry does not know, given by its year alone; an office address erased."""
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
    elif rat_date and rat_year is not None and rat_date.year - rat_year > RAT_LAG_MAX:
        # A meeting in 2026 for tahun buku 1950 was taken, and staff were asked
        # to accept it.
        problems["rat_year"] = _(
            "Tahun buku %(year)s terlalu jauh sebelum tanggal RAT %(date)s: RAT "
            "melaporkan tahun buku yang baru lewat (paling lama %(n)s tahun "
            "sebelumnya). Periksa tahun bukunya."
        ) % {
            "year": rat_year,
            "date": date_format(rat_date, "j F Y"),
            "n": RAT_LAG_MAX,
        }
    founded = cooperative.tanggal_badan_hukum
    early = founded and rat_year is not None and rat_year < founded.year
    if early and founded and "rat_year" not in problems:
        # Tahun buku 1950 for a cooperative of 2006 was put before staff.
        problems["rat_year"] = _(
            "Tahun buku %(year)s sebelum koperasi ini berbadan hukum "
            "(%(date)s). Periksa tahun bukunya."
        ) % {"year": rat_year, "date": date_format(founded, "j F Y")}
    if founded and rat_date and rat_date < founded and "rat_date" not in problems:
        problems["rat_date"] = _(
            "Tanggal RAT %(rat)s sebelum koperasi ini berbadan hukum (%(date)s)."
        ) % {
            "rat": date_format(rat_date, "j F Y"),
            "date": date_format(founded, "j F Y"),
        }
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
    locked = _lock_open_item(item)
    if token is not None:
        _use_link(locked, token)
    cooperative = locked.cooperative
    problems = confirmation_problems(
        cooperative, fields=fields, rat_date=rat_date, rat_year=rat_year
    )
    if problems:
        raise ValidationError(problems)
    evidence = Evidence(
        item=locked,
        kind=EvidenceKind.KONFIRMASI,
        on=timezone.localdate(),
        rat_date=rat_date,
        rat_year=rat_tahun_buku(rat_year, rat_date),
        data=_changes(cooperative, fields, board),
        created_by=acting_user,
    )
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
        == (evidence.data, evidence.rat_date, evidence.rat_year)
    ):
        # The same confirmation sent again (a double tap, a page sent twice):
        # the one waiting is it. Four sends had left three "Diganti" beside it.
        return waiting
    _save_replacing_waiting(evidence, berita_acara=berita_acara, photo=photo)
    item_recompute(locked)
    audit_evidence(
        evidence,
        acting_user,
        AuditAction.SUBMIT,
        lazy_text(
            gettext_lazy("Konfirmasi data %(year)s dikirim%(via)s."),
            year=locked.campaign.year,
            via=gettext_lazy(" lewat tautan satu kali") if token else "",
        ),
    )
    return evidence


def _lock_open_item(item: CampaignItem) -> CampaignItem:
    """The item, locked, while its campaign runs and its cooperative is not
    dissolved."""
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
    return locked


def _use_link(item: CampaignItem, token: str) -> None:
    """Use up the item's one-time link; a used or expired one is refused."""
    link = (
        ConfirmationLink.objects.select_for_update()
        .filter(token_hash__in=_hashes(token), item=item)
        .first()
    )
    if link is None or link.used_at is not None or link.expires_at <= timezone.now():
        raise ValidationError(
            _("Tautan konfirmasi ini sudah tidak berlaku. Hubungi Dinas.")
        )
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])


def _changes(
    cooperative: Cooperative, fields: Mapping[str, str], board: str
) -> dict[str, str]:
    """What the confirmation would change: the profile fields that differ, and
    the board as written."""
    changes = {
        name: value.strip()
        for name, value in fields.items()
        if name in CONFIRMABLE and value.strip() != getattr(cooperative, name)
    }
    if board.strip():
        changes["pengurus"] = board.strip()
    return changes


def _save_replacing_waiting(
    evidence: Evidence,
    *,
    berita_acara: UploadedFile | None,
    photo: UploadedFile | None,
) -> None:
    """Save the new confirmation in place of those waiting (``DIGANTI``). Sent
    again without its files, it keeps those of the one it replaces: staff
    examine only the latest, and the officer is not asked twice."""
    document = _document(berita_acara, "berita-acara")
    if document is not None:
        evidence.document.save(*document, save=False)
    clean = photo_clean(photo, name=photo.name or "foto.jpg") if photo else None
    waiting = waiting_confirmations(evidence.item)
    replaced = list(waiting.prefetch_related("photos"))
    waiting.update(status=EvidenceStatus.DIGANTI, reviewed_at=timezone.now())
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
