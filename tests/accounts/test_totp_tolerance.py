"""A code typed just as the authenticator app turns over (or from a phone whose clock drifts) still signs in."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse


def code_at(secret: str, steps_from_now: int) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + steps_from_now))


@pytest.mark.parametrize("steps, signed_in", [(-1, True), (1, True), (-3, False), (3, False)])
def test_the_neighbouring_code_is_accepted_and_older_ones_are_not(
    client, make_staff, clinic, turn_on_two_factor, steps, signed_in
):
    staff = make_staff("boss@calm.example", clinic, two_factor=False)
    secret = turn_on_two_factor(staff)
    response = client.post(reverse("account_login"), {"login": staff.email, "password": "staff password 123"})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": code_at(secret, steps)})
    assert (response.status_code == 302) == signed_in
    assert (client.get(reverse("clinics:dashboard", args=[clinic.slug])).status_code == 200) == signed_in
