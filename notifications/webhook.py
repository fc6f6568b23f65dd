"""The WhatsApp Cloud API's webhook: Meta's subscription handshake (GET), its
delivery reports (POST), applied by ``notifications.delivery``, and the messages
people send to the office's number, kept by ``notifications.incoming``.

Off (404) until ``WHATSAPP_APP_SECRET`` is set. A report counts only when its
``X-Hub-Signature-256`` is the HMAC-SHA256 of the body with that secret: anyone
can reach the address, only Meta knows the secret. Meta sends a report again until
it gets a 2xx, so an authentic report is answered 200 even when it names a message
the registry did not send; what cannot be read is answered 400 and not retried
by a sender that cannot mend it.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
)
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from .delivery import whatsapp_statuses_record
from .incoming import whatsapp_messages_record

# A report is a few kilobytes; Meta batches at most a few dozen statuses.
REPORT_MAX_BYTES = 256 * 1024


def signature_of(body: bytes, secret: str) -> str:
    """The ``X-Hub-Signature-256`` header Meta sends with ``body``."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


@csrf_exempt
@never_cache
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if not settings.WHATSAPP_APP_SECRET:
        raise Http404
    if request.method == "GET":
        return _handshake(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        declared = int(request.headers.get("content-length") or 0)
    except ValueError:
        declared = 0
    if declared > REPORT_MAX_BYTES:
        return HttpResponse("Laporan terlalu besar.", status=413)
    body = request.body
    expected = signature_of(body, settings.WHATSAPP_APP_SECRET)
    given = request.headers.get("X-Hub-Signature-256", "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return HttpResponseForbidden("Tanda tangan laporan tidak cocok.")
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return HttpResponseBadRequest("Laporan bukan JSON.")
    whatsapp_statuses_record(payload)
    whatsapp_messages_record(payload)
    return HttpResponse("ok", content_type="text/plain")


def _handshake(request: HttpRequest) -> HttpResponse:
    """Meta's subscription check: the challenge echoed when the token matches."""
    token = request.GET.get("hub.verify_token", "")
    expected = settings.WHATSAPP_VERIFY_TOKEN
    if (
        request.GET.get("hub.mode") != "subscribe"
        or not expected
        or not hmac.compare_digest(token.encode(), expected.encode())
    ):
        return HttpResponseForbidden("Token verifikasi tidak cocok.")
    return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
