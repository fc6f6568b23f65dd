"""Ladder letters: the staff page that starts a batch and lists letters (with the
WhatsApp link), each letter's PDF, the batch's combined PDF, and the public
verification page the QR code opens."""

import datetime
import io
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from cooperatives.models import Kecamatan, Officer
from lib.phone import is_mobile, normalize_phone
from lib.text import visible_line
from lib.verification import unknown_code_page
from notifications.models import Channel, Notification
from notifications.selectors import notifications_about
from notifications.whatsapp import whatsapp_configured

from . import jobs
from .access import (
    get_campaign_for_user,
    get_job_for_user,
    get_letter_by_token,
    get_letter_for_user,
)
from .documents import combine_pdfs
from .forms import LetterSettingsForm
from .models import (
    Campaign,
    CampaignLetter,
    CampaignStatus,
    JobKind,
    JobStatus,
    LetterChoice,
)
from .selectors import job_letters_made
from .services.letter_ladder import letter_respond_by
from .services.letter_notices import letter_topic, letter_whatsapp_link, notice_time
from .services.letters import (
    LettersAlreadyRequested,
    campaign_letter_settings,
    letter_job_request,
)

LETTERS_PER_PAGE = 25


def _phone(letter: CampaignLetter) -> str:
    """The first mobile number (WhatsApp needs one) of the active officers today
    (prefetched, by position), else of those frozen at opening, else the
    cooperative's own; "" when none is. A ketua with a landline does not hide the
    sekretaris's mobile."""
    cooperative = letter.item.cooperative
    current = [o.phone for o in cooperative.officers.all()]
    frozen = [o.get("phone", "") for o in letter.item.baseline.get("officers", [])]
    for phone in [*current, *frozen, cooperative.phone]:
        number = normalize_phone(phone) if phone else None
        if number and is_mobile(number):
            return number
    return ""


def _letter_rows(letters: list[CampaignLetter]) -> list[dict[str, object]]:
    """Each letter with its WhatsApp notices as recorded (sent, or waiting for
    staff to send by hand with "Kirim lewat WhatsApp"); a letter with none
    recorded gets a link to an officer's phone while the WhatsApp API is not
    configured, unless it is cancelled or dated ahead (announced on its day). One
    query for the notices."""
    notices: dict[str, list[Notification]] = {}
    topics = [letter_topic(letter) for letter in letters]
    for notice in notifications_about(topics).filter(channel=Channel.WHATSAPP):
        notices.setdefault(notice.topic, []).append(notice)
    rows: list[dict[str, object]] = []
    for letter in letters:
        stored = notices.get(letter_topic(letter), [])
        link = ""
        due = letter.cancelled_at is None and notice_time(letter) is None
        if not stored and due and not whatsapp_configured():
            phone = _phone(letter)
            link = letter_whatsapp_link(letter, phone) if phone else ""
        rows.append({"letter": letter, "notices": stored, "whatsapp": link})
    return rows


@login_required
def letters(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    campaign = get_campaign_for_user(request, year)
    if request.method == "POST":
        try:
            issued_on = datetime.date.fromisoformat(request.POST.get("issued_on", ""))
            job = letter_job_request(
                acting_user=request.user,
                campaign=campaign,
                kind=request.POST.get("kind", ""),
                issued_on=issued_on,
                filters={"kecamatan": request.POST.get("kecamatan", "")},
            )
        except ValueError:
            messages.error(request, _("Isi tanggal surat."))
        except LettersAlreadyRequested as already:
            messages.info(
                request, _("Surat ini sudah diminta dan sedang dibuat; ini prosesnya.")
            )
            return redirect(already.job)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            jobs.enqueue(job)
            return redirect(job)
    return _letters_page(request, campaign, LetterSettingsForm.for_campaign(campaign))


def _letters_page(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    settings_form: LetterSettingsForm,
    status: int = 200,
) -> HttpResponse:
    shown = {
        "jenis": request.GET.get("jenis", ""),
        "q": visible_line(request.GET.get("q", ""))[:100],
    }
    recent = (
        CampaignLetter.objects.filter(item__campaign=campaign)
        .select_related("item__cooperative")
        .prefetch_related(
            Prefetch(
                "item__cooperative__officers",
                queryset=Officer.objects.filter(is_active=True),
            )
        )
        .order_by("-issued_on", "-sequence")
    )
    if shown["jenis"] in LetterChoice.values:
        recent = recent.filter(kind=shown["jenis"])
    if shown["q"]:
        recent = recent.filter(
            Q(item__cooperative__name__icontains=shown["q"])
            | Q(number__icontains=shown["q"])
        )
    # A batch is hundreds of letters, each with its officers' notices: a page
    # of them at a time (the page had run to 18,500 px).
    page = Paginator(recent, LETTERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = _letter_rows(list(page.object_list))
    context = {
        "campaign": campaign,
        "letters": rows,
        "page": page,
        "filters": shown,
        "kinds": LetterChoice.choices,
        "kecamatan": Kecamatan.objects.order_by("name"),
        "today": timezone.localdate(),
        "jobs": campaign.jobs.filter(kind=JobKind.LETTERS)[:10],
        "settings_form": settings_form,
    }
    return render(request, "campaigns/letters.html", context, status=status)


@login_required
def letter_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    return _letter_file(get_letter_for_user(request, pk))


def _letter_file(letter: CampaignLetter) -> HttpResponseBase:
    """A letter's PDF, shown in the browser, named by its number."""
    if not letter.file:
        raise Http404
    name = f"{letter.number.replace('/', '-')}.pdf"
    return FileResponse(
        letter.file.open("rb"), filename=name, content_type="application/pdf"
    )


@login_required
def job_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The batch's combined PDF; for a batch that failed, one PDF of the letters it
    made before failing, joined now: they are numbered, valid and announced to
    the officers, and asking again makes only the others."""
    job = get_job_for_user(request, pk)
    if job.file:
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=(job.file.name or "").rsplit("/", 1)[-1],
        )
    made = job_letters_made(job)
    if job.status != JobStatus.FAILED or not made.exists():
        raise Http404
    return FileResponse(
        io.BytesIO(combine_pdfs(letter.file for letter in made)),
        as_attachment=True,
        filename=f"surat-{job.params.get('letter')}-{job.pk}-yang-sudah-dibuat.pdf",
        content_type="application/pdf",
    )


@require_GET
@unknown_code_page(gettext_lazy("surat pemutakhiran"))
def verify_letter(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """Anonymous: the letter the QR code and the officers' message stand for,
    whether it still holds, and the letter itself to open (the message carries no
    attachment; a pemberitahuan's confirmation link is in the letter)."""
    letter = get_letter_by_token(token)
    campaign = letter.item.campaign
    # Once the campaign is closed its confirmation links no longer open: the
    # page no longer sends officers to them.
    running = campaign.status == CampaignStatus.BERJALAN
    context = {
        "letter": letter,
        "respond_by": letter_respond_by(letter, campaign) if running else None,
        "closed": not running,
    }
    return render(request, "campaigns/verify_letter.html", context)


@require_GET
def verify_letter_pdf(request: HttpRequest, token: uuid.UUID) -> HttpResponseBase:
    return _letter_file(get_letter_by_token(token))


@login_required
@require_POST
def letter_settings(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    campaign = get_campaign_for_user(request, year)
    form = LetterSettingsForm.for_campaign(campaign, request.POST)
    if form.is_valid():
        try:
            campaign_letter_settings(
                acting_user=request.user, campaign=campaign, values=form.values()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Pengaturan surat disimpan."))
            return redirect("campaigns:letters", year)
    # Refused: the page again with what was typed, the settings open at the
    # fields to fix.
    messages.error(request, _("Pengaturan surat belum disimpan; perbaiki isiannya."))
    return _letters_page(request, campaign, form, status=400)
