"""manage.py, runserver and gunicorn read the same settings for the same environment (no entry point turns
DEBUG on by itself), and a missing setting is one clear line naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRINT_DEBUG = "from django.conf import settings; print('DEBUG', settings.DEBUG)"


def bare_env(env_file: Path, **extra) -> dict[str, str]:
    """The process environment without any Django setting, reading `env_file` instead of the checkout's .env."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL"))}
    env.update(DJANGO_ENV_FILE=str(env_file), **extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def debug_seen_by_manage_py(env) -> str:
    result = run([sys.executable, "manage.py", "shell", "-c", PRINT_DEBUG], env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def debug_seen_by_wsgi(env) -> str:
    # What gunicorn imports: config.wsgi, with no DJANGO_SETTINGS_MODULE given.
    code = f"import config.wsgi; {PRINT_DEBUG}"
    result = run([sys.executable, "-c", code], env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_without_any_configuration_manage_py_names_the_missing_variable(tmp_path):
    result = run([sys.executable, "manage.py", "check"], bare_env(tmp_path / "missing.env"))
    assert result.returncode != 0
    assert "Configuration error: Set DJANGO_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_allowed_hosts_is_named(tmp_path):
    env = bare_env(tmp_path / "missing.env", DJANGO_SECRET_KEY="x" * 50)
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0 and "DJANGO_ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize("debug", ["1", "0"])
def test_manage_py_and_gunicorn_agree_on_debug(tmp_path, debug):
    env_file = tmp_path / ".env"
    env_file.write_text(f"DJANGO_DEBUG={debug}\nDJANGO_SECRET_KEY={'k' * 50}\nDJANGO_ALLOWED_HOSTS=example.org\n")
    env = bare_env(env_file)
    expected = f"DEBUG {debug == '1'}"
    assert debug_seen_by_manage_py(env) == expected
    assert debug_seen_by_wsgi(env) == expected
