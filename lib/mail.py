"""E-mails written as two templates: ``<name>_subject.txt`` and ``<name>.txt``."""

from typing import Any

from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_templated_mail(
    template: str, context: dict[str, Any], recipients: list[str]
) -> None:
    """Render ``template`` (a path without ``.txt``) and send it. Raises what the
    mail backend raises (``OSError`` and its ``SMTPException`` subclasses): callers
    decide whether a failure undoes their work or is only logged."""
    subject = render_to_string(f"{template}_subject.txt", context)
    body = render_to_string(f"{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, recipients)
