"""Project-level views: the health check and the error pages that need more than a template."""

from __future__ import annotations

import logging
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, Min, When
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("supportcircle.health")


def _database_ok() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def _cache_ok() -> bool:
    reachable = getattr(cache, "reachable", None)
    if reachable is not None:  # Redis: ask it directly, not the memory pages fall back to while it is down
        return reachable()
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


def oldest_waiting_task_seconds() -> float | None:
    """How long the oldest task ready to run has waited (None: nothing waiting, or no database queue)."""
    if not apps.is_installed("django_tasks_db"):
        return None
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    oldest = (
        DBTaskResult.objects.ready()
        .annotate(due=Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")))
        .aggregate(first=Min("due"))["first"]
    )
    return None if oldest is None else max(0.0, (now - oldest).total_seconds())


def _queue_ok() -> bool:
    """Workers are draining the queue: nothing ready to run has waited longer than TASKS_MAX_WAIT_SECONDS."""
    waited = oldest_waiting_task_seconds()
    return waited is None or waited <= settings.TASKS_MAX_WAIT_SECONDS


HEALTH_CHECKS = {"database": _database_ok, "cache": _cache_ok, "queue": _queue_ok}


@never_cache
@require_safe
def healthz(request):
    """For load balancers and uptime monitors: 200 when the database and cache answer and the task queue is being
    drained, else 503."""
    body = {"status": "ok"}
    for name, check in HEALTH_CHECKS.items():
        try:
            ok = check()
        except Exception:  # any failure is a failed check; the details go to the log, not the response
            logger.exception("Health check %s failed", name)
            ok = False
        body[name] = "ok" if ok else "error"
        if not ok:
            body["status"] = "error"
    try:
        waited = oldest_waiting_task_seconds()
    except Exception:
        waited = None  # already reported as the queue check failing
    if waited is not None:
        body["queue_oldest_waiting_seconds"] = round(waited)
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


def bad_request(request, exception=None):
    """Django's default 400 view renders without the request, so our layout would lose the crisis line."""
    # The layout's forms need a CSRF token. requires_csrf_token would run the CSRF check, which reads the body
    # again, and an unreadable body (a form declaring charset=utf-16) is often why we are here: that was a 500.
    get_token(request)
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    """The form's CSRF token was missing or stale (usually an expired session): explain, don't blame."""
    return render(request, "403_csrf.html", status=403)
