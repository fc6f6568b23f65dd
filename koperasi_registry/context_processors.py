from django.conf import settings
from django.http import HttpRequest


def office(request: HttpRequest) -> dict[str, str]:
    return {
        "office_name": settings.OFFICE_NAME,
        "office_short_name": settings.OFFICE_SHORT_NAME,
        "office_address": settings.OFFICE_ADDRESS,
        "office_phone": settings.OFFICE_PHONE,
        "office_email": settings.OFFICE_EMAIL,
    }
