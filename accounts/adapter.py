import ipaddress
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from . import mail
from .languages import landing_language, language_of, supported_or_none, translate_path

AFTER_LOGIN_SESSION_KEY = "after_login_url"
# The address an invitation was sent to (set by clinics when one is opened): signing up with that address needs
# no confirmation email, as the invitation reached it. Any other address is confirmed as usual.
INVITED_EMAIL_SESSION_KEY = "invited_email"


class AccountAdapter(DefaultAccountAdapter):
    """A higher app (clinics, joining from an invitation) may ask, through the session, to continue
    somewhere after sign-up or sign-in."""

    def _continue_url(self, request):
        url = request.session.get(AFTER_LOGIN_SESSION_KEY)
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return url
        return None

    def get_login_redirect_url(self, request):
        # The person lands in their language (accounts.languages.landing_language); a page asked for by the
        # session keeps the language it was asked in.
        return self._continue_url(request) or translate_path(
            super().get_login_redirect_url(request), landing_language(request)
        )

    def get_signup_redirect_url(self, request):
        return self._continue_url(request) or super().get_signup_redirect_url(request)

    def save_user(self, request, user, form, commit=True):
        """A new account keeps the language of the sign-up page: its emails and reminders follow it."""
        user.language = supported_or_none(getattr(request, "LANGUAGE_CODE", None)) or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def is_email_verified(self, request, email) -> bool:
        invited = request.session.get(INVITED_EMAIL_SESSION_KEY) if request is not None else None
        return bool(invited) and invited.lower() == email.lower()

    def login(self, request, user):
        # The invited address vouches for one sign-up only, never for an address added to an account later.
        request.session.pop(INVITED_EMAIL_SESSION_KEY, None)
        return super().login(request, user)

    def send_mail(self, template_prefix, email, context):
        """Rendered here, in the request (so it says what the person just did), and sent by a worker
        (accounts/mail.py). Every link in every email points at SITE_URL, whatever address the request came in on.

        It is written in the recipient's language, whatever the page's: an account's email in the account's
        language, links included; a message to an address with no account in the language it was asked in.
        """
        recipient = context.get("user") or next(iter(filter_users_by_email(email, prefer_verified=True)), None)
        language = getattr(recipient, "language", None) or translation.get_language()
        links = {  # made in the page's language: the same pages in the recipient's
            key: on_site(url, language) for key, url in context.items() if key.endswith("_url") and isinstance(url, str)
        }
        context = {
            "request": allauth_context.request,
            "email": email,
            **context,
            **links,
            "current_site": SimpleNamespace(name="Support Circle", domain=urlsplit(settings.SITE_URL).netloc),
        }
        with translation.override(language) if recipient is None else language_of(recipient):
            mail.queue(self.render_mail(template_prefix, email, context))

    def get_client_ip(self, request) -> str:
        """The address rate limits key on. Clients write X-Forwarded-For too, so only the hops our own proxies
        added count (ALLAUTH_TRUSTED_PROXY_COUNT, from the right); by default none, and the connection's
        address is used. ALLAUTH_TRUSTED_CLIENT_IP_HEADER names a header a proxy sets instead (CF-Connecting-IP)."""
        value = request.META.get("REMOTE_ADDR", "")
        header = settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER
        proxies = settings.ALLAUTH_TRUSTED_PROXY_COUNT
        if header:
            value = request.headers.get(header, "").strip()
        elif proxies:
            hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
            if len(hops) >= proxies:
                value = hops[-proxies]
        try:
            return str(ipaddress.ip_address(value))
        except ValueError as exc:
            raise PermissionDenied(f"Invalid client address: {value!r}") from exc


def on_site(url: str, language: str | None = None) -> str:
    """The same path on SITE_URL; in `language`, when given and the page has an address in it."""
    parts = urlsplit(url)
    if not parts.netloc:
        return url
    path = urlunsplit(("", "", parts.path, parts.query, ""))
    if language:
        path = translate_path(path, language)
    return settings.SITE_URL + path + (f"#{parts.fragment}" if parts.fragment else "")
