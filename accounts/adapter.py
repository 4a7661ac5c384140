from allauth.account.adapter import DefaultAccountAdapter
from django.utils.http import url_has_allowed_host_and_scheme

AFTER_LOGIN_SESSION_KEY = "after_login_url"


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
        return self._continue_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return self._continue_url(request) or super().get_signup_redirect_url(request)
