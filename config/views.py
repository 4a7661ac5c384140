"""Project-level views: the health check and the error pages that need more than a template."""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
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


HEALTH_CHECKS = {"database": _database_ok, "cache": _cache_ok}


@never_cache
@require_safe
def healthz(request):
    """For load balancers and uptime monitors: 200 when the database and cache answer, else 503."""
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
