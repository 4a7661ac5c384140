"""Which language a person sees, and where their choice is kept.

The URL decides the page's language: English has no prefix, Spanish lives under /es/. Three things say which one
a person wants, strongest first: the language switch (a cookie, and the profile when signed in), a signed-in
person's profile (a new browser), and the browser's Accept-Language on a first visit.
"""

from contextlib import contextmanager

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def supported_or_none(code: str | None) -> str | None:
    try:
        return translation.get_supported_language_variant(code) if code else None
    except LookupError:
        return None


def wanted_language(request) -> str:
    """The language this visitor asked for: switch (cookie) > profile > browser > the site's default."""
    chosen = supported_or_none(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.language
    for code, _quality in translation.trans_real.parse_accept_lang_header(
        request.headers.get("Accept-Language", "")
    ):
        found = supported_or_none(code)
        if found:
            return found
    return settings.LANGUAGE_CODE


def save_language(*, user, language: str) -> None:
    """Keep a signed-in person's choice: their emails, reminders and certificate follow it."""
    if language in SUPPORTED and user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@contextmanager
def language_of(user):
    """Render something for this person (an email, a reminder, a certificate) in their language."""
    with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
        yield


class PreferredLanguageMiddleware:
    """Send a visitor who wants Spanish from an unprefixed (English) page to the same page under /es/.

    Only safe requests, and only when the page has a Spanish address; a prefixed URL is always honoured as it
    is, so a shared link opens in the language it was shared in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not translation.get_language_from_path(request.path_info):
            wanted = wanted_language(request)
            if wanted != settings.LANGUAGE_CODE:
                here = request.get_full_path()
                there = translate_url(here, wanted)
                if there != here:
                    response = HttpResponseRedirect(there)
                    patch_vary_headers(response, ("Accept-Language", "Cookie"))
                    return response
        return self.get_response(request)
