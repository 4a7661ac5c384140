"""One log line per request, with nothing personal in it.

Logged: method, path (never the query string), route name, status and duration. Never logged: emails,
user ids, query strings, bodies. Secrets that live in the path itself (password-reset and
email-confirmation keys, invitation tokens) are replaced by the name of the URL parameter.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import quote

logger = logging.getLogger("supportcircle.requests")
# The masked path, left in the WSGI environ (request.META) for gunicorn's access log (config/gunicorn_logging.py).
LOGGED_PATH_KEY = "supportcircle.logged_path"

# URL parameters whose values are secrets (allauth's uidb36/key; tokens and codes in our own URLs).
SECRET_URL_PARAMETERS = {"key", "token", "code", "uidb36", "uidb64"}
MAX_PATH_LENGTH = 200


def loggable_path(request) -> str:
    # request.path never includes the query string
    return mask_path(request.path, getattr(request, "resolver_match", None))


def mask_path(path: str, match) -> str:
    """`path` with the values of secret URL parameters replaced by their names, one line, at most 200 characters."""
    secrets = [(name, str(value)) for name, value in (match.kwargs if match else {}).items()]
    secrets = sorted(((n, v) for n, v in secrets if n in SECRET_URL_PARAMETERS and v), key=lambda nv: -len(nv[1]))
    # Plain text at even positions, markers at odd ones. Each value replaces its last occurrence in plain text
    # only, longest first: a short uidb36 ("2") must not also cut pieces out of the key beside it.
    pieces = [path]
    for name, value in secrets:
        for i in range(len(pieces) - 1, -1, -2):
            if value in pieces[i]:
                before, _, after = pieces[i].rpartition(value)
                pieces[i : i + 1] = [before, f"<{name}>", after]
                break
    # Percent-encode spaces and control characters so one request stays one log line.
    return quote("".join(pieces), safe="/:@!$&'()*+,;=-._~<>")[:MAX_PATH_LENGTH]


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        match = getattr(request, "resolver_match", None)
        path = request.META[LOGGED_PATH_KEY] = loggable_path(request)
        fields = {
            "method": request.method,
            "path": path,
            "route": (match.view_name if match else None) or "-",
            "status": response.status_code,
            "duration_ms": duration_ms,
        }
        logger.info(" ".join(f"{key}={value}" for key, value in fields.items()), extra={"request_fields": fields})
        return response
