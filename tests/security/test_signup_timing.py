"""Finding 3: signing up with an address that already has an account answered in 14 ms, with a new one in 266 ms
(the password hash), so the timing told who has an account."""

import statistics
import time

from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

PASSWORD = "a long and happy password 42"
REPEATS = 7


def timed_sign_up(email: str) -> float:
    client = Client()
    client.get(reverse("account_signup"))
    sent = len(mail.outbox)
    started = time.perf_counter()
    response = client.post(
        reverse("account_signup"),
        {"display_name": "Noor", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    elapsed = time.perf_counter() - started
    # Both paths answer alike and send one email (a confirmation, or "you already have an account").
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == sent + 1
    return elapsed


# The real hasher: the test settings' MD5 hasher would hide the very cost that differed.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"])
def test_sign_up_takes_as_long_for_a_known_address_as_for_a_new_one(make_caregiver):
    known, new = [], []
    for n in range(REPEATS):  # interleaved, so a busy moment on the machine slows both alike
        known.append(timed_sign_up(make_caregiver(f"known{n}@example.com", verified=True).email))
        new.append(timed_sign_up(f"new{n}@example.com"))
    known_ms, new_ms = statistics.median(known) * 1000, statistics.median(new) * 1000
    print(f"sign-up medians over {REPEATS}: known address {known_ms:.0f} ms, new address {new_ms:.0f} ms")
    # Before the fix: ~5 ms against ~270 ms. The same work on both paths keeps the medians within a factor of 2.
    assert max(known_ms, new_ms) / min(known_ms, new_ms) < 2, f"known {known_ms:.0f} ms, new {new_ms:.0f} ms"
