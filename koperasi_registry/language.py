"""The language switch of every page, staff and public."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch without a CSRF token: choosing a language changes
    nothing but a cookie, and a token in the public pages' header would make every
    one of them uncacheable."""
    return django_set_language(request)
