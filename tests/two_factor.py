"""Signing a test client in as staff. Clinic pages and admin ask whether the session passed two-factor, which
`force_login` alone never records; this adds what allauth records after the code step of a real sign-in."""

import time

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator


def force_login_with_two_factor(client, user) -> None:
    """`client.force_login(user)`, and, if the person has an authenticator app, its code entered too."""
    client.force_login(user)
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        return
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "id": totp.pk, "type": "totp"},
    ]
    session.save()
