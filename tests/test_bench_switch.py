"""The load test's switch that turns allauth's sign-in rate limits off (BENCH_NO_RATE_LIMITS, bench/run.py
--scenario moodle) is off unless that variable is set: in the test settings, in production settings, and with
the variable set to a false value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account import app_settings
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PRINT_LIMITS = (
    "import django; django.setup(); from django.conf import settings; from allauth.account import app_settings; "
    "print(repr(getattr(settings, 'ACCOUNT_RATE_LIMITS', 'unset')), app_settings.RATE_LIMITS.get('login'))"
)


def limits_in_production_settings(tmp_path, **extra) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "BENCH_", "DATABASE_URL", "CACHE_URL"))}
    env.update(
        DJANGO_ENV_FILE=str(tmp_path / "missing.env"),
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_ALLOWED_HOSTS="example.org",
        **extra,
    )
    result = subprocess.run(
        [sys.executable, "-c", PRINT_LIMITS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_rate_limits_are_on_in_the_test_settings():
    assert getattr(settings, "ACCOUNT_RATE_LIMITS", None) is not False
    assert app_settings.RATE_LIMITS.get("login")


@pytest.mark.parametrize("extra", [{}, {"BENCH_NO_RATE_LIMITS": "0"}, {"BENCH_NO_RATE_LIMITS": ""}])
def test_rate_limits_are_on_in_production_unless_the_bench_switch_is_set(tmp_path, extra):
    assert limits_in_production_settings(tmp_path, **extra) == "'unset' 30/m/ip"


def test_the_bench_switch_turns_them_off(tmp_path):
    assert limits_in_production_settings(tmp_path, BENCH_NO_RATE_LIMITS="1") == "False None"
