from django.http import HttpRequest

from lib.office import office_context


def office(request: HttpRequest) -> dict[str, str]:
    return office_context()
