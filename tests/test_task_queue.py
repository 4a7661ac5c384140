"""Every email goes through the queue (accounts/mail.py), and /healthz says whether workers drain it (issue 13)."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from accounts.tasks import RETRY_AFTER, send_email

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_allauth_mail_is_rendered_in_the_request_and_sent_by_a_worker(client, caregiver):
    with override_settings(TASKS=DUMMY_TASKS):
        client.post(reverse("account_reset_password"), {"email": caregiver.email})
        assert mail.outbox == [], "nothing is sent inside the request"
        (queued,) = default_task_backend.results
    assert queued.task.module_path == "accounts.tasks.send_email"
    message = queued.args[0]
    assert message["to"] == [caregiver.email] and "/accounts/password/reset/key/" in message["body"]
    send_email.call(*queued.args)  # the worker
    assert len(mail.outbox) == 1 and mail.outbox[0].body == message["body"]


@pytest.mark.django_db
def test_sign_up_mail_of_a_new_and_a_known_address_both_queue_one_message(client, caregiver):
    with override_settings(TASKS=DUMMY_TASKS):
        for email in ("someone-new@example.com", caregiver.email):
            client.post(
                reverse("account_signup"),
                {"display_name": "A", "email": email, "password1": "pw long 1234", "password2": "pw long 1234"},
            )
        results = default_task_backend.results
    assert [r.task.name for r in results] == ["send_email", "send_email"]
    assert [r.args[0]["to"] for r in results] == [["someone-new@example.com"], [caregiver.email]]


def test_a_failed_email_is_retried_with_backoff_then_given_up(monkeypatch, settings):
    settings.TASKS = DB_TASKS  # the database queue can hold a retry for later

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    queued = []
    monkeypatch.setattr("accounts.mail.later", lambda task, seconds, *args: queued.append((seconds, args)))
    message = {"subject": "S", "body": "B", "from_email": None, "to": ["a@example.com"], "headers": {}}
    assert send_email.call(message) == "retrying"
    assert queued == [(RETRY_AFTER[0], (message, 2))]
    assert send_email.call(message, len(RETRY_AFTER) + 1) == "given up"


@pytest.mark.django_db
def test_a_retry_waits_in_the_database_queue():
    from django_tasks_db.models import DBTaskResult

    from accounts import mail as outgoing

    with override_settings(TASKS=DB_TASKS):
        assert outgoing.later(send_email, 60, {"to": ["a@example.com"]}, 2)
    task = DBTaskResult.objects.get()
    assert 55 < (task.run_after - timezone.now()).total_seconds() <= 60
    assert not DBTaskResult.objects.ready().exists(), "not ready before its time"


@pytest.mark.django_db
def test_healthz_reports_the_queue(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    send_email.enqueue({"to": ["a@example.com"]})
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["queue"] == "ok" and response.json()["queue_oldest_waiting_seconds"] <= 1

    # Workers stopped: the oldest waiting task is older than the limit.
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=settings.TASKS_MAX_WAIT_SECONDS + 5))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"] == "error" and response.json()["status"] == "error"
    assert response.json()["queue_oldest_waiting_seconds"] > settings.TASKS_MAX_WAIT_SECONDS

    # A retry deferred to later is not "waiting" until its time comes.
    DBTaskResult.objects.update(run_after=timezone.now() + timedelta(hours=1))
    assert client.get("/healthz").status_code == 200
