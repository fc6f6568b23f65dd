"""WhatsApp messages people send to the office's number, as the Cloud API posts
them to the webhook (``notifications.webhook``)::

    {"object": "whatsapp_business_account",
     "entry": [{"id": "<WABA id>", "changes": [{"field": "messages",
       "value": {"messaging_product": "whatsapp", "metadata": {...},
                 "contacts": [{"profile": {"name": "Sri"}, "wa_id": "6281234567890"}],
                 "messages": [{"from": "6281234567890", "id": "wamid.…",
                               "timestamp": "1733550000", "type": "text",
                               "text": {"body": "Sudah kami perbaiki."},
                               "context": {"from": "…", "id": "wamid.<ours>"}}]}}]}]}

The number belongs to the Cloud API, not to a phone: these messages reach no one
unless the registry keeps them. Each is kept once (Meta posts again until it gets
a 2xx), with what can be read of it: the text, a picture's or a document's
caption or file name, a place's name, a button's label, a reaction's emoji.
Pictures, documents and voice messages themselves are not fetched.
"""

from collections.abc import Iterator, Mapping
from math import isfinite
from typing import Any

from lib.text import storable, visible_line, without_invisible

from .models import INCOMING_MEDIA, Channel, IncomingMessage, Notification
from .payload import is_message_id, payload_values, when_reported

# WhatsApp's longest text message.
TEXT_MAX = 4096


def _messages(value: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    messages = value.get("messages")
    for message in messages if isinstance(messages, list) else []:
        if isinstance(message, dict):
            yield message


def _part(message: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    part = message.get(key)
    return part if isinstance(part, dict) else {}


def _words(*values: Any) -> str:
    """The texts among ``values`` (a number where one belongs: a place's
    latitude), joined; anything else passed over."""
    return " — ".join(
        str(v)
        for v in values
        if (isinstance(v, str) and v) or (isinstance(v, (int, float)) and isfinite(v))
    )


def _text(kind: str, message: Mapping[str, Any]) -> str:
    """What a person can read of the message."""
    part = _part(message, kind)
    if kind == "text":
        return _words(part.get("body"))
    if kind in INCOMING_MEDIA:
        return _words(part.get("caption"), part.get("filename"))
    if kind == "location":
        place = _words(part.get("latitude"), part.get("longitude"))
        return _words(part.get("name"), part.get("address"), place)
    if kind == "contacts":
        contacts = message.get("contacts")
        names = [
            _part(c, "name").get("formatted_name")
            for c in (contacts if isinstance(contacts, list) else [])
            if isinstance(c, dict)
        ]
        return _words(*names)
    if kind == "button":
        return _words(part.get("text"))
    if kind == "interactive":
        chosen = _part(part, "button_reply") or _part(part, "list_reply")
        return _words(chosen.get("title"))
    if kind == "reaction":
        return _words(part.get("emoji"))
    return ""


def _answered(kind: str, message: Mapping[str, Any]) -> Notification | None:
    """The office's message this one answers (quoted, or reacted to)."""
    if kind == "reaction":
        message_id = _part(message, "reaction").get("message_id")
    else:
        message_id = _part(message, "context").get("id")
    if not is_message_id(message_id):
        return None
    return Notification.objects.filter(
        channel=Channel.WHATSAPP, provider_id=message_id
    ).first()


def _names(value: Mapping[str, Any]) -> dict[str, str]:
    contacts = value.get("contacts")
    return {
        str(c.get("wa_id")): str(_part(c, "profile").get("name") or "")[:150]
        for c in (contacts if isinstance(contacts, list) else [])
        if isinstance(c, dict)
    }


def whatsapp_messages_record(payload: Any) -> int:
    """Keep the messages of a webhook payload that are not kept yet; returns how
    many were new. A removed reaction (no emoji) is passed over, as is anything
    without a message id or a sender's number. One to three queries a message."""
    new = 0
    for value in payload_values(payload):
        names = _names(value)
        for message in _messages(value):
            message_id, sender = message.get("id"), str(message.get("from") or "")
            kind = str(message.get("type") or "")
            kind = kind if kind.isascii() and kind.isidentifier() else "unsupported"
            # WhatsApp's numbers are ASCII digits ("⁶²⁸…" is a digit to Python).
            if not is_message_id(message_id) or not (
                sender.isascii() and sender.isdigit() and 6 < len(sender) < 20
            ):
                continue
            # Seen as written: without the direction marks that showed a number
            # and a bank account backwards.
            text = without_invisible(storable(_text(kind, message))).strip()
            text = text[:TEXT_MAX]
            if kind == "reaction" and not text:
                continue
            _row, created = IncomingMessage.objects.get_or_create(
                provider_id=message_id,
                defaults={
                    "sender": f"+{sender}",
                    "sender_name": visible_line(storable(names.get(sender, ""))),
                    "kind": kind[:32],
                    "text": text,
                    "received_at": when_reported(message),
                    "reply_to": _answered(kind, message),
                },
            )
            new += created
    return new
