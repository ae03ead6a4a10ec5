"""The benchmark's URLs: the product's, and a minimal view as the floor every figure is compared with."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), path("", include("config.urls"))]
