"""Who a message goes to, and by which channel."""

from dataclasses import dataclass

from lib.phone import is_mobile, normalize_phone

from .models import Channel


@dataclass(frozen=True)
class Contact:
    channel: str  # a Channel value
    address: str  # an e-mail address, or a phone number as +62…
    name: str = ""


def contact_for(
    *, email: str = "", phone: str = "", prefer: str = Channel.EMAIL, name: str = ""
) -> Contact | None:
    """The channel a person prefers when they can be reached on it, else the other
    one they can be reached on; ``None`` when they have neither an e-mail address
    nor a mobile number (a landline cannot take WhatsApp). Phone numbers come out
    as +62…."""
    number = normalize_phone(phone)
    mobile = number if number and is_mobile(number) else None
    whatsapp = Contact(Channel.WHATSAPP, mobile, name) if mobile else None
    mail = Contact(Channel.EMAIL, email.strip(), name) if email.strip() else None
    if prefer == Channel.WHATSAPP:
        return whatsapp or mail
    return mail or whatsapp
