from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest
from lib.display import moment_shown
from lib.forms import save_form
from lib.phone import phone_shown
from notifications.models import Channel, Notification, NotificationStatus

from . import services
from .access import (
    get_cooperative_for_user,
    get_officer_for_user,
    get_own_officer_for_user,
    require_dinas,
)
from .forms import (
    CooperativeForm,
    FiguresForm,
    InvitationAcceptForm,
    OfficerChannelForm,
    OfficerDeactivateForm,
    OfficerForm,
    StatusChangeForm,
)
from .models import Cooperative, Officer
from .selectors import cooperative_filter, officer_contact

PAGE_SIZES = (25, 50, 100)


@login_required
# A page or, for htmx, its fragment: a browser must not show one for the other
# (the fragment came back alone on "Back").
@vary_on_headers("HX-Request")
def cooperative_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_dinas(request)
    search = cooperative_filter(user=request.user, params=request.GET)
    try:
        per_page = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        per_page = PAGE_SIZES[0]
    per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[0]
    page = Paginator(search.qs, per_page).get_page(request.GET.get("page"))
    context = {
        "filter": search,
        "page": page,
        "page_sizes": PAGE_SIZES,
        "per_page": per_page,
    }
    partial = request.headers.get("HX-Request") == "true"
    template = (
        "cooperatives/_list_results.html" if partial else "cooperatives/list.html"
    )
    return render(request, template, context)


@login_required
def cooperative_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_dinas(request, write=True)
    form = CooperativeForm(request.POST or None)
    saved = save_form(
        request,
        form,
        lambda data: services.cooperative_register(
            acting_user=request.user, fields=data
        ),
    )
    if saved:
        cooperative = saved.value
        messages.success(
            request, _("Koperasi %(name)s terdaftar.") % {"name": cooperative}
        )
        return redirect(cooperative)
    return render(
        request,
        "cooperatives/form.html",
        {"form": form, "title": _("Daftarkan koperasi")},
    )


@login_required
def cooperative_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cooperative = get_cooperative_for_user(request, pk, write=True)
    form = CooperativeForm(request.POST or None, instance=cooperative)
    return _form_view(
        request,
        form,
        lambda data: services.cooperative_update(
            acting_user=request.user, cooperative=cooperative, fields=data
        ),
        cooperative=cooperative,
        title=_("Ubah data koperasi"),
        done=_("Perubahan disimpan."),
    )


@login_required
def cooperative_status_change(
    request: AuthenticatedHttpRequest, pk: int
) -> HttpResponse:
    cooperative = get_cooperative_for_user(request, pk, write=True)
    form = StatusChangeForm(request.POST or None, cooperative=cooperative)
    return _form_view(
        request,
        form,
        lambda data: services.cooperative_change_status(
            acting_user=request.user, cooperative=cooperative, **data
        ),
        cooperative=cooperative,
        title=_("Ubah status koperasi"),
        done=_("Status koperasi diubah."),
    )


def _year_asked(value: str | None) -> int | None:
    """A tahun buku from the address or the form, read as the form reads it
    ("02024" is 2024: read apart, the check was of another year than the one
    written), or None for anything else."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 8):
        return None
    return int(value)


@login_required
def figures_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One tahun buku's figures (``?tahun=``, last year by default), opened with
    what is stored for it."""
    cooperative = get_cooperative_for_user(request, pk, write=True)
    # Sent with the form while the page is of a year without figures; else
    # the year in the address (the field is not editable then).
    asked = request.POST.get("tahun_buku") if request.method == "POST" else None
    year = _year_asked(asked if asked is not None else request.GET.get("tahun"))
    year = year or timezone.localdate().year - 1
    form = FiguresForm(
        request.POST or None,
        instance=cooperative.figures.filter(tahun_buku=year).first(),
        initial={"tahun_buku": year},
    )
    years = list(
        cooperative.figures.order_by("-tahun_buku").values_list("tahun_buku", flat=True)
    )
    return _form_view(
        request,
        form,
        lambda data: services.figures_record(
            acting_user=request.user,
            cooperative=cooperative,
            tahun_buku=data["tahun_buku"],
            values={k: v for k, v in data.items() if k != "tahun_buku"},
        ),
        cooperative=cooperative,
        title=_("Data keragaan tahunan"),
        done=_("Data keragaan disimpan."),
        extra={"figure_years": years, "figure_year": year},
    )


@login_required
def officer_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cooperative = get_cooperative_for_user(request, pk, write=True)
    form = OfficerForm(request.POST or None)
    return _form_view(
        request,
        form,
        lambda data: services.officer_add(
            acting_user=request.user, cooperative=cooperative, fields=data
        ),
        cooperative=cooperative,
        title=_("Tambah pengurus"),
        done=_("Pengurus ditambahkan."),
    )


@login_required
def officer_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    officer = get_officer_for_user(request, pk, write=True)
    form = OfficerForm(request.POST or None, instance=officer, submit=str(_("Simpan")))
    return _form_view(
        request,
        form,
        _officer_update(request, officer),
        cooperative=officer.cooperative,
        title=_("Ubah pengurus %(name)s") % {"name": officer.name},
        done=_("Data pengurus disimpan."),
    )


@login_required
def officer_notifications(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An officer chooses how the Dinas reaches them (e-mail or WhatsApp)."""
    officer = get_own_officer_for_user(request, pk)
    form = OfficerChannelForm(
        request.POST or None, instance=officer, submit=str(_("Simpan"))
    )
    return _form_view(
        request,
        form,
        _officer_update(request, officer),
        cooperative=officer.cooperative,
        title=_("Pemberitahuan untuk %(name)s") % {"name": officer.name},
        done=_notices_saved,
        then="home",
    )


def _notices_saved(officer: Officer) -> str:
    """Saved, and where the Dinas's notices now go: with both fields cleared,
    the login's e-mail ("disimpan" alone read as if none would)."""
    done = _("Cara pemberitahuan disimpan.")
    contact = officer_contact(officer)
    if contact is None:
        return done
    return _("%(done)s Pemberitahuan Dinas dikirim lewat %(channel)s ke %(to)s.") % {
        "done": done,
        "channel": Channel(contact.channel).label,
        "to": phone_shown(contact.address),
    }


def _officer_update(
    request: AuthenticatedHttpRequest, officer: Officer
) -> Callable[[dict[str, Any]], Officer]:
    return lambda data: services.officer_update(
        acting_user=request.user, officer=officer, fields=data
    )


def _form_view(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    cooperative: Cooperative,
    title: str,
    done: str | Callable[[Any], str],
    then: str | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A cooperative's form page (``cooperatives/form.html``): ``save`` runs for a
    valid POST (``save_form``), then ``done`` is said (made from what was saved,
    when it is a function) and the browser goes to ``then`` (the cooperative's
    page unless named); otherwise the form is shown, with what was refused."""
    saved = save_form(request, form, save)
    if saved:
        messages.success(request, done(saved.value) if callable(done) else done)
        return redirect(then or cooperative)
    context = {
        "form": form,
        "cooperative": cooperative,
        "title": title,
        **(extra or {}),
    }
    return render(request, "cooperatives/form.html", context)


@login_required
@require_POST
def officer_deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    officer = get_officer_for_user(request, pk, write=True)
    form = OfficerDeactivateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tanggal selesai menjabat tidak valid."))
        return redirect(officer.cooperative)
    try:
        services.officer_deactivate(
            acting_user=request.user,
            officer=officer,
            end_date=form.cleaned_data["end_date"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Pengurus %(name)s dinonaktifkan.") % {"name": officer.name}
        )
    return redirect(officer.cooperative)


@login_required
@require_POST
def officer_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    officer = get_officer_for_user(request, pk, write=True)
    try:
        invitation = services.officer_invite(acting_user=request.user, officer=officer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(officer.cooperative)
    names = {"to": invitation.sent_to, "until": moment_shown(invitation.expires_at)}
    _say_link_sent(
        request,
        invitation.message,
        invitation.manual_link,
        failed=_(
            "Undangan ke %(to)s gagal dikirim (%(error)s). Periksa alamatnya, "
            "lalu kirim undangan baru."
        ),
        by_hand=_(
            "WhatsApp belum dihubungkan ke aplikasi ini: kirim undangan ke %(to)s "
            "dari WhatsApp Anda sendiri (tautannya berlaku sampai %(until)s; "
            "tombol ini hanya muncul sekali)."
        ),
        sent=_("Undangan dikirim ke %(to)s; tautannya berlaku sampai %(until)s."),
        names=names,
    )
    return redirect(officer.cooperative)


@login_required
@require_POST
def officer_password_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff send an officer who forgot the password a link to set a new one."""
    officer = get_officer_for_user(request, pk, write=True)
    try:
        link = services.officer_send_password_link(
            acting_user=request.user, officer=officer
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(officer.cooperative)
    names = {"to": link.sent_to, "until": moment_shown(link.expires_at)}
    _say_link_sent(
        request,
        link.message,
        link.manual_link,
        failed=_(
            "Tautan kata sandi ke %(to)s gagal dikirim (%(error)s). Periksa "
            "alamatnya, lalu kirim lagi."
        ),
        by_hand=_(
            "WhatsApp belum dihubungkan ke aplikasi ini: kirim tautan kata sandi "
            "ke %(to)s dari WhatsApp Anda sendiri (tautannya berlaku sampai "
            "%(until)s; tombol ini hanya muncul sekali)."
        ),
        sent=_("Tautan kata sandi baru dikirim ke %(to)s; berlaku sampai %(until)s."),
        names=names,
    )
    return redirect(officer.cooperative)


def _say_link_sent(
    request: HttpRequest,
    message: Notification | None,
    manual_link: str,
    *,
    failed: str,
    by_hand: str,
    sent: str,
    names: dict[str, str],
) -> None:
    """What became of a one-time link (an invitation, a password link): failed,
    handed to the staff member to send from their own WhatsApp (the one place
    the link is shown: a button that opens WhatsApp with the message filled in),
    or sent."""
    if message is not None and message.status == NotificationStatus.FAILED:
        messages.error(request, failed % {**names, "error": message.error})
    elif manual_link:
        button = format_html(
            '{} <a class="btn btn-sm btn-success ms-1" href="{}" target="_blank" '
            'rel="noopener">{}</a>',
            by_hand % names,
            manual_link,
            _("Kirim lewat WhatsApp"),
        )
        messages.warning(request, button)
    else:
        messages.success(request, sent % names)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Anonymous: the link from the invitation e-mail. A used, replaced or expired
    link gets a page that says so (410), never a form."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return _invitation_used(request, token) or render(
            request, "cooperatives/invitation_invalid.html", status=410
        )
    if request.user.is_authenticated:
        # Someone else's session: the page asks them to log out first.
        return render(
            request, "cooperatives/invitation_accept.html", {"invitation": invitation}
        )
    form = InvitationAcceptForm(request.POST or None)
    saved = save_form(
        request,
        form,
        lambda data: services.invitation_accept(
            token=token, username=data["username"], password=data["password1"]
        ),
    )
    if saved:
        login(request, saved.value, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Akun Anda siap. Selamat datang."))
        return redirect("home")
    if request.method == "POST":
        # Sent twice at once: the other sending made the account meanwhile.
        used = _invitation_used(request, token)
        if used is not None:
            return used
    context = {"form": form, "invitation": invitation}
    return render(request, "cooperatives/invitation_accept.html", context)


def _invitation_used(request: HttpRequest, token: str) -> HttpResponse | None:
    """The page for a link whose account was made within the day (the form sent
    twice): the account is there, said so, never "tidak berlaku"; None for any
    other link."""
    invitation = services.invitation_accepted_recently(token)
    if invitation is None:
        return None
    if request.user.is_authenticated and request.user.pk == invitation.officer.user_id:
        messages.info(request, _("Akun Anda sudah siap."))
        return redirect("home")
    context = {"invitation": invitation}
    return render(request, "cooperatives/invitation_used.html", context)
