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

# URL parameters whose values are secrets (allauth's uidb36/key; tokens and codes in our own URLs).
SECRET_URL_PARAMETERS = {"key", "token", "code", "uidb36", "uidb64"}
MAX_PATH_LENGTH = 200


def loggable_path(request) -> str:
    path = request.path  # request.path never includes the query string
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if name in SECRET_URL_PARAMETERS and value:
                path = path.replace(str(value), f"<{name}>")
    # Percent-encode spaces and control characters so one request stays one log line.
    return quote(path, safe="/:@!$&'()*+,;=-._~<>")[:MAX_PATH_LENGTH]


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        match = getattr(request, "resolver_match", None)
        fields = {
            "method": request.method,
            "path": loggable_path(request),
            "route": (match.view_name if match else None) or "-",
            "status": response.status_code,
            "duration_ms": duration_ms,
        }
        logger.info(" ".join(f"{key}={value}" for key, value in fields.items()), extra={"request_fields": fields})
        return response
