from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from lib.phone import phone_shown
from lib.redirects import back_or

from .access import get_incoming_for_user, get_notification_for_user
from .services import incoming_mark_handled, notification_mark_sent


@login_required
@require_POST
def mark_sent(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff sent a WhatsApp message from their own phone: record it as sent."""
    notification = get_notification_for_user(request, pk)
    try:
        notification_mark_sent(acting_user=request.user, notification=notification)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Pesan ke %(recipient)s dicatat sudah dikirim.")
            % {"recipient": notification.recipient},
        )
    return redirect(back_or(request, "home"))


@login_required
@require_POST
def incoming_handle(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff dealt with a WhatsApp message sent to the office, and say how."""
    message = get_incoming_for_user(request, pk)
    try:
        incoming_mark_handled(
            acting_user=request.user,
            message=message,
            note=request.POST.get("note", "")[:2000],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Pesan dari %(sender)s ditandai sudah ditangani.")
            % {"sender": phone_shown(message.sender)},
        )
    return redirect(back_or(request, "whatsapp_inbox"))
