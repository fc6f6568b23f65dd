"""A message's words: rendered from its templates, in the office's language,
without storing or sending anything. Services store what this renders; a selector
may render the text of a message not stored yet (a wa.me link)."""

from typing import Any

from django.template.loader import render_to_string

from lib.office_text import office_language

from .models import Channel


def message_render(
    template: str, context: dict[str, Any], channel: str
) -> tuple[str, str]:
    """Subject and body in the office's language, whatever the acting user's: by
    e-mail ``<template>_subject.txt`` and ``<template>.txt``, by WhatsApp
    ``<template>_whatsapp.txt``; plain text, not escaped (the "text" engine)."""
    with office_language():
        subject = " ".join(
            render_to_string(f"{template}_subject.txt", context, using="text").split()
        )
        name = (
            f"{template}_whatsapp.txt"
            if channel == Channel.WHATSAPP
            else f"{template}.txt"
        )
        body = render_to_string(name, context, using="text").strip()
    return subject[:255], body


def notification_text(template: str, context: dict[str, Any]) -> str:
    """The WhatsApp text of ``template`` for ``context``, as a message would carry
    it, for a wa.me link staff send before any message was stored."""
    return message_render(template, context, Channel.WHATSAPP)[1]
