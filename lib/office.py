"""The office whose registry this is, as pages, letters and files name it: one
dictionary for templates, from the settings (the context processor and every
document rendered without a request use it)."""

from django.conf import settings


def office_context() -> dict[str, str]:
    return {
        "office_government": settings.OFFICE_GOVERNMENT,
        "office_name": settings.OFFICE_NAME,
        "office_short_name": settings.OFFICE_SHORT_NAME,
        "office_address": settings.OFFICE_ADDRESS,
        "office_phone": settings.OFFICE_PHONE,
        "office_email": settings.OFFICE_EMAIL,
        "office_city": settings.OFFICE_CITY,
    }
