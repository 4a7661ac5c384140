"""Finding 2: allauth keyed rate limits on the first X-Forwarded-For value, which the client writes: a password
spray over 40 accounts with a new made-up address on every request was never limited."""

import pytest
from django.test import override_settings
from django.urls import reverse

ACCOUNTS = 40


@pytest.fixture
def sprayed_accounts(make_caregiver):
    return [make_caregiver(f"spray{n}@example.com", verified=True).email for n in range(ACCOUNTS)]


def spray(client, emails, forwarded_for) -> int:
    """One wrong password per account, each request claiming another address; returns how many were refused."""
    refused = 0
    for n, email in enumerate(emails):
        response = client.post(
            reverse("account_login"),
            {"login": email, "password": "Summer2025!"},
            headers={"x-forwarded-for": forwarded_for(n)},
        )
        refused += response.status_code == 429 or "Too many failed login attempts" in response.content.decode()
    return refused


def test_a_rotated_x_forwarded_for_does_not_dodge_the_limit(client, sprayed_accounts):
    refused = spray(client, sprayed_accounts, lambda n: f"203.0.113.{n + 1}")
    # allauth allows 10 failed sign-ins a minute per address: the other 30 are refused.
    assert refused == ACCOUNTS - 10


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_hop_it_added_is_the_client(client, sprayed_accounts):
    # The client's made-up value on the left, the address our proxy saw on the right.
    refused = spray(client, sprayed_accounts, lambda n: f"203.0.113.{n + 1}, 198.51.100.7")
    assert refused == ACCOUNTS - 10
    # Someone else behind the same proxy is not caught by that limit.
    response = client.post(
        reverse("account_login"),
        {"login": "someone@example.com", "password": "wrong"},
        headers={"x-forwarded-for": "198.51.100.8"},
    )
    assert response.status_code == 200 and "Too many failed login attempts" not in response.content.decode()


@pytest.mark.parametrize(
    "settings_, meta, expected",
    [
        ({}, {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "127.0.0.1"),
        ({"ALLAUTH_TRUSTED_PROXY_COUNT": 1}, {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 5.6.7.8"}, "5.6.7.8"),
        ({"ALLAUTH_TRUSTED_PROXY_COUNT": 2}, {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 5.6.7.8, 10.0.0.2"}, "5.6.7.8"),
        # Fewer hops than proxies: the request did not come through them all, so no hop is trusted.
        ({"ALLAUTH_TRUSTED_PROXY_COUNT": 2}, {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "127.0.0.1"),
        (
            {"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "CF-Connecting-IP"},
            {"HTTP_CF_CONNECTING_IP": "9.9.9.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4"},
            "9.9.9.9",
        ),
    ],
)
def test_client_address(rf, settings_, meta, expected):
    from allauth.account.adapter import get_adapter

    request = rf.get("/", **meta)
    with override_settings(**settings_):
        assert get_adapter(request).get_client_ip(request) == expected
