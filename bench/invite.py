"""Invite 2,000 families by CSV: how long the request takes, and how long until every email is sent by 1 or 2
workers; then the same with one worker killed mid-batch, counting emails sent twice (target 0).

    .venv/bin/python bench/invite.py --db sqlite --workers 1
    .venv/bin/python bench/invite.py --db postgres --workers 2 --kill

The request runs in this process through Django's test client (every middleware and the view; no network
or gunicorn), against a throwaway database (a SQLite file, or PostgreSQL `sc_invite_<pid>` on --pg-admin-url)
with the production queue (django_tasks_db). `manage.py db_worker` processes deliver to a mail folder
(filemail://); the script counts the messages per address there. --kill: SIGKILL one worker once a quarter are
sent; its batch stays claimed (django-tasks-db never re-runs a task a dead worker held), and the periodic sweep
(`enqueue_periodic`, run here once the rest are sent, with the clock of its stall rule moved on) queues the
invitations it had not sent.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--kill", action="store_true", help="SIGKILL one worker a quarter of the way through")
    parser.add_argument("--timeout", type=int, default=600)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="sc-invite-"))
    mail_dir = folder / "mail"
    if args.db == "sqlite":
        database_url = f"sqlite:///{folder / 'db.sqlite3'}"
    else:
        name = f"sc_invite_{os.getpid()}"
        admin = args.pg_admin_url
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
        database_url = admin.rsplit("/", 1)[0] + f"/{name}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV_FILE": "/nonexistent",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"filemail://{mail_dir}",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_REQUEST_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    workers: list[subprocess.Popen] = []
    try:
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        result = run(args, env, mail_dir, workers)
        print(result)
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=20)
        if args.db == "postgres":
            from django.db import connections

            connections.close_all()
            subprocess.run(["psql", args.pg_admin_url, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])


def run(args, env, mail_dir: Path, workers: list) -> str:
    import time as clock

    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from clinics import services
    from clinics.models import Clinic, Invitation, StaffMembership

    staff = User.objects.create_user(email="manager@bench.example", password="bench-password-123")
    clinic = Clinic.objects.create(name="Bench Clinic", slug="bench-clinic")
    StaffMembership.objects.create(clinic=clinic, user=staff, role="manager")
    TOTP.activate(staff, generate_totp_secret())
    client = Client()
    client.force_login(staff)
    session = client.session
    totp = Authenticator.objects.get(user=staff)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": clock.time(), "email": staff.email},
        {"method": "mfa", "at": clock.time(), "id": totp.pk, "type": "totp"},
    ]
    session.save()

    csv = "email,name\n" + "".join(f"family{n:05d}@bench.example,Family {n}\n" for n in range(args.count))
    upload = SimpleUploadedFile("families.csv", csv.encode(), content_type="text/csv")
    started = time.perf_counter()
    response = client.post(reverse("clinics:invite", args=[clinic.slug]), {"emails": "", "csv_file": upload})
    request_s = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    queued = Invitation.objects.filter(delivery=Invitation.Delivery.QUEUED).count()
    assert queued == args.count, queued

    started = time.perf_counter()
    for _ in range(args.workers):
        command = [PYTHON, "manage.py", "db_worker", "--interval", "0.1", "--no-reload", "--no-startup-delay", "-v0"]
        workers.append(subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True))
    killed = False
    deadline = time.monotonic() + args.timeout
    swept = 0
    while time.monotonic() < deadline:
        sent = Invitation.objects.filter(delivery=Invitation.Delivery.SENT).count()
        if args.kill and not killed and sent >= args.count // 4:
            os.killpg(workers[0].pid, signal.SIGKILL)
            workers[0].wait()
            killed = True
            print(f"killed worker 1 at {sent} sent", file=sys.stderr)
        if sent == args.count:
            break
        if killed and not swept and _queue_idle():
            # What enqueue_periodic's sweep does once STALLED_AFTER has passed: queue the stalled invitations.
            from datetime import timedelta

            from django.utils import timezone

            swept = services.requeue_due_invitations(now=timezone.now() + services.STALLED_AFTER + timedelta(seconds=1))
            print(f"sweep queued {swept} stalled invitations", file=sys.stderr)
        time.sleep(0.2)
    all_sent_s = time.perf_counter() - started
    counts = _messages_per_address(mail_dir)
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    statuses = dict(Counter(Invitation.objects.values_list("delivery", flat=True)))
    return (
        f"db={args.db} workers={args.workers} kill={args.kill} invitations={args.count} "
        f"request_s={request_s:.2f} all_sent_s={all_sent_s:.1f} emails={sum(counts.values())} "
        f"addresses={len(counts)} duplicates={duplicates} swept={swept} statuses={statuses}"
    )


def _queue_idle() -> bool:
    from django_tasks_db.models import DBTaskResult

    return not DBTaskResult.objects.ready().exists() and DBTaskResult.objects.running().count() <= 1


def _messages_per_address(mail_dir: Path) -> Counter:
    counts: Counter = Counter()
    if mail_dir.exists():
        for path in mail_dir.iterdir():
            counts.update(re.findall(r"^To: (\S+)$", path.read_text(), flags=re.M))
    return counts


if __name__ == "__main__":
    main()
