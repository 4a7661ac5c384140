"""End to end with a real worker process: an invitation queued by the site is sent by `manage.py db_worker`.

The rest of the suite runs tasks in-process; this test uses its own file SQLite database (pytest-django's
in-memory one cannot be shared with another process), with the production queue backend and a mail folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SETUP = """
import django; django.setup()
from accounts.models import User
from clinics import services
from clinics.models import Clinic, StaffMembership
staff = User.objects.create_user(email="staff@example.com", password="x" * 12)
clinic = Clinic.objects.create(name="Calm Waters", slug="calm-waters")
StaffMembership.objects.create(clinic=clinic, user=staff, role="manager")
report = services.invite_families(clinic=clinic, actor=staff, rows=services.rows_from_text("family@example.com"))
from django_tasks_db.models import DBTaskResult
print(len(report.invited), DBTaskResult.objects.ready().count())
"""

STATUS = """
import django; django.setup()
from clinics.models import Invitation
i = Invitation.objects.get()
print(i.delivery, i.send_count, i.sent_at is not None)
"""


def run(code: str, env: dict) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_real_worker_sends_a_queued_invitation(tmp_path):
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV_FILE": "/nonexistent",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_URL": f"filemail://{mail_dir}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SECRET_KEY", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    assert run(SETUP, env) == "1 1", "one invitation, one task waiting"
    assert run(STATUS, env) == "queued 0 False"

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (mail_dir.exists() and any(mail_dir.iterdir())):
            time.sleep(0.2)
        assert mail_dir.exists() and any(mail_dir.iterdir()), "no email within 30 s"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and run(STATUS, env) != "sent 1 True":
            time.sleep(0.2)
        assert run(STATUS, env) == "sent 1 True"
    finally:
        worker.terminate()
        output = worker.communicate(timeout=20)[0]
    (message,) = [p.read_text() for p in mail_dir.iterdir()]
    assert "To: family@example.com" in message and "Calm Waters invites you to Support Circle" in message
    assert "/clinics/join/invite/" in message
    assert "deliver_invitations state=SUCCESSFUL" in output
    assert worker.returncode == 0, output
