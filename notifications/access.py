from django.http import Http404

from accounts.http import AuthenticatedHttpRequest

from .models import IncomingMessage, Notification


def get_notification_for_user(
    request: AuthenticatedHttpRequest, pk: int
) -> Notification:
    """The message records are the Dinas's: anyone else gets a 404, as for an
    object of another cooperative."""
    if not request.user.is_dinas:
        raise Http404
    try:
        return Notification.objects.get(pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None


def get_incoming_for_user(
    request: AuthenticatedHttpRequest, pk: int
) -> IncomingMessage:
    """Messages sent to the office's number are the Dinas's to read: anyone else
    gets a 404."""
    if not request.user.is_dinas:
        raise Http404
    try:
        return IncomingMessage.objects.get(pk=pk)
    except IncomingMessage.DoesNotExist:
        raise Http404 from None
