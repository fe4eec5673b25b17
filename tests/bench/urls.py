"""The site's URLs plus a bare view, the baseline the benchmark compares pages with."""

from django.http import HttpResponse
from django.urls import path

from peerprogram.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
