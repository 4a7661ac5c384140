"""System checks for settings that Django's own checks don't cover."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.http.request import validate_host


@register(Tags.security, deploy=True)
def site_url_is_served_here(app_configs, **kwargs):
    """Email links and certificates use SITE_URL: a host the site refuses (or a development address left over)
    sends every family to a page that does not open."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if validate_host(host, settings.ALLOWED_HOSTS):
        return []
    return [
        Error(
            f"SITE_URL ({settings.SITE_URL}) is not on a host in DJANGO_ALLOWED_HOSTS.",
            hint="Set SITE_URL to the address families use, e.g. https://support.example.org.",
            id="supportcircle.E001",
        )
    ]
