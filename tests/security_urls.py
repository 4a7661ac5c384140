"""Test-only URLconf: the whole site plus views that fail on purpose, to exercise the error pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler400  # noqa: F401 (handler400 is looked up here)
from config.urls import urlpatterns as site_urlpatterns


def server_error(request):
    raise RuntimeError("something broke in a view")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("a malformed request")


urlpatterns = [
    path("test-errors/500/", server_error),
    path("test-errors/403/", forbidden),
    path("test-errors/400/", suspicious),
    *site_urlpatterns,
]
