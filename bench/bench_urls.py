from django.http import HttpRequest, HttpResponse
from django.urls import path

from koperasi_registry.urls import urlpatterns as project_urls


def trivial(request: HttpRequest) -> HttpResponse:
    """The ceiling: the same middleware, gunicorn and network, no work."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *project_urls]
