"""Which language a person sees, and where their choice is kept.

The URL decides the page's language: English has no prefix, Spanish lives under /es/. Three things say which one
a person wants, strongest first: the language switch (a cookie, and the profile when signed in), a signed-in
person's profile (a new browser), and the browser's Accept-Language on a first visit.
"""

from contextlib import contextmanager

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def supported_or_none(code: str | None) -> str | None:
    try:
        return translation.get_supported_language_variant(code) if code else None
    except LookupError:
        return None


def translate_path(url: str, language: str) -> str:
    """The same page in another language ("/es/courses/?page=2" → "/courses/?page=2"), or the url unchanged.

    Django's translate_url resolves the path in the *current* language, so with an unprefixed default language it
    cannot translate a Spanish path from an English request; this resolves it in the path's own language.
    """
    path, mark, query = url.partition("?")
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        try:
            match = resolve(path)
        except Resolver404:
            return url
    if not match.url_name:
        return url
    with translation.override(language):
        try:
            return reverse(match.view_name, args=match.args, kwargs=match.kwargs) + mark + query
        except NoReverseMatch:
            return url


def wanted_language(request) -> str:
    """The language this visitor asked for: switch (cookie) > profile > browser > the site's default."""
    chosen = supported_or_none(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.language
    for code, _quality in translation.trans_real.parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        found = supported_or_none(code)
        if found:
            return found
    return settings.LANGUAGE_CODE


def landing_language(request) -> str:
    """Where a person lands after signing in: the switch's cookie; else the language of the page they signed in on,
    when that page was a Spanish (prefixed) one; else their profile's."""
    chosen = supported_or_none(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    return chosen or translation.get_language_from_path(request.path_info) or wanted_language(request)


def remember_language(response, language: str) -> None:
    """The switch's cookie (as Django's set_language sets it): in this browser it outranks the profile."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


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
                there = translate_path(here, wanted)
                if there != here:
                    response = HttpResponseRedirect(there)
                    patch_vary_headers(response, ("Accept-Language", "Cookie"))
                    return response
        return self.get_response(request)


def language_alternates(request):
    """Context: this page's address in every language (the switch, and <link rel="alternate" hreflang> for search)."""
    here = request.get_full_path()
    current = translation.get_language()
    alternates = []
    for code, name in settings.LANGUAGES:
        url = here if code == current else translate_path(here, code)
        alternates.append(
            # SITE_URL, not the request's host: the canonical address, and no host check on error pages.
            {"code": code, "name": name, "url": settings.SITE_URL + url, "current": code == current}
        )
    return {"language_alternates": alternates}


@require_POST
def set_language(request):
    """The language switch: remember the choice (cookie; the profile when signed in) and show the same page in it."""
    language = request.POST.get("language", "")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    if language not in SUPPORTED:
        return HttpResponseRedirect(back)
    response = HttpResponseRedirect(translate_path(back, language))
    remember_language(response, language)
    save_language(user=request.user, language=language)
    return response
