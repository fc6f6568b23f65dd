"""The WhatsApp Business Cloud API's message endpoint, for template messages.

``POST {WHATSAPP_API_URL}/{WHATSAPP_PHONE_NUMBER_ID}/messages`` with a bearer token
and a body such as::

    {"messaging_product": "whatsapp", "recipient_type": "individual",
     "to": "628123456789", "type": "template",
     "template": {"name": "rat_receipt", "language": {"code": "id"},
                  "components": [{"type": "body", "parameters": [
                      {"type": "text", "text": "KSP Maju"}, ...]}]}}

answers ``{"messaging_product": "whatsapp", "contacts": [...], "messages":
[{"id": "wamid...."}]}``, or an error object ``{"error": {"message", "type",
"code", "error_data": {"details"}, "fbtrace_id"}}``. A business may open a
conversation only with a pre-approved template, so every message here is one.

Two kinds of failure: ``WhatsAppUnavailable`` (the network before the request got
through, Meta's servers, a rate limit: worth retrying later; an ``OSError`` like the
mail server's, so the sending task retries both alike) and ``WhatsAppRefused`` (the
template, the number or the token is wrong, or no answer came after the request
went out: retrying cannot help or could send twice, staff must act).
"""

from typing import Any

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from lib.phone import whatsapp_digits

# Error codes Meta documents as temporary: unknown/service errors, rate limits,
# "service unavailable", "server temporarily unavailable".
TEMPORARY_CODES = {
    1,
    2,
    4,
    17,
    341,
    80007,
    130429,
    131000,
    131016,
    131048,
    131056,
    133004,
}


class WhatsAppUnavailable(OSError):
    """The API could not take the message now; send it again later."""


class WhatsAppRefused(Exception):
    """The API refused the message for a reason a retry does not change."""


def whatsapp_configured() -> bool:
    return bool(settings.WHATSAPP_TOKEN and settings.WHATSAPP_PHONE_NUMBER_ID)


def whatsapp_receiving() -> bool:
    """Whether messages to the office's number reach the registry: the API sends
    (``whatsapp_configured``) and Meta's posts are read (``WHATSAPP_APP_SECRET``,
    ``notifications.webhook``)."""
    return whatsapp_configured() and bool(settings.WHATSAPP_APP_SECRET)


def whatsapp_template_name(message: str) -> str:
    """The approved template for ``message`` (``rat_receipt``): its own name
    unless WHATSAPP_TEMPLATES names another."""
    return settings.WHATSAPP_TEMPLATES.get(message, message)


def whatsapp_send_template(*, to: str, template: str, params: list[str]) -> str:
    """Send template ``template`` with body ``params`` to ``to`` (E.164) and return
    the message id WhatsApp gave it (``wamid.…``)."""
    url = f"{settings.WHATSAPP_API_URL}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
    payload: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": whatsapp_digits(to),
        "type": "template",
        "template": {
            "name": template,
            "language": {"code": settings.WHATSAPP_TEMPLATE_LANGUAGE},
            "components": [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": p} for p in params],
                }
            ],
        },
    }
    try:
        response = requests.post(
            url,
            json=payload,
            headers={"Authorization": f"Bearer {settings.WHATSAPP_TOKEN}"},
            timeout=settings.WHATSAPP_TIMEOUT,
        )
    except requests.ReadTimeout as exc:
        # The request went out; WhatsApp may have taken it. Sending it again could
        # send it twice: staff check and send it by hand if needed.
        raise WhatsAppRefused(
            _(
                "WhatsApp tidak menjawab dalam %(seconds)s detik; pesan mungkin "
                "sudah terkirim. Periksa dulu sebelum mengirim ulang."
            )
            % {"seconds": settings.WHATSAPP_TIMEOUT}
        ) from exc
    except requests.RequestException as exc:
        raise WhatsAppUnavailable(
            _("WhatsApp tidak dapat dihubungi: %(error)s")
            % {"error": type(exc).__name__}
        ) from exc
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if response.status_code == 200:
        # Taken: an answer without the message id is still a sent message (sending
        # it again would send it twice); the id is then left empty.
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            return ""
    error = answer.get("error") if isinstance(answer, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("code")
    details = (error.get("error_data") or {}).get("details") or error.get("message")
    text = _("WhatsApp menolak pesan (HTTP %(status)s, kode %(code)s): %(details)s") % {
        "status": response.status_code,
        "code": code if code is not None else "-",
        "details": details or response.reason,
    }
    if response.status_code >= 500 or response.status_code == 429:
        raise WhatsAppUnavailable(text)
    if code in TEMPORARY_CODES:
        raise WhatsAppUnavailable(text)
    raise WhatsAppRefused(text)


def whatsapp_settings_problem() -> str:
    """What is wrong with the WhatsApp settings, or "": a token without the
    sending number's id (or the reverse) sends nothing and says nothing."""
    token, number = settings.WHATSAPP_TOKEN, settings.WHATSAPP_PHONE_NUMBER_ID
    if bool(token) != bool(number):
        missing = "WHATSAPP_PHONE_NUMBER_ID" if token else "WHATSAPP_TOKEN"
        return f"{missing} is empty: WhatsApp messages wait for staff to send them."
    return ""
