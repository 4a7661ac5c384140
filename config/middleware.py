"""Small middleware that Django and django-csp don't cover: a response header, and a guard on requests."""

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpResponseNotAllowed
from django.utils.cache import patch_cache_control

ALLOWED_METHODS = ("GET", "HEAD", "POST")  # no view takes another; TRACE would echo the request back
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
MAX_REQUEST_BYTES = 256 * 1024  # every form on the site fits; file uploads only where a view accepts them


def accepts_upload(max_bytes: int) -> Callable:
    """Mark a view that takes a file upload of up to `max_bytes` (RequestGuardMiddleware refuses larger bodies)."""

    def decorator(view):
        view.max_request_bytes = max_bytes
        return view

    return decorator


class RequestGuardMiddleware:
    """Hostile requests get a clear 4xx before any view or form sees them: a method no view takes (405), a NUL
    or other control character in the path (400: the database refuses NUL, which was a 500), a body larger than
    the view accepts (400, before the CSRF check would parse it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        if CONTROL_CHARACTERS.search(request.path):
            raise BadRequest("A control character in the path.")
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = getattr(view_func, "max_request_bytes", MAX_REQUEST_BYTES)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            raise RequestDataTooBig(f"Request body of {length} bytes; this page accepts at most {limit}.")
        return None


class PermissionsPolicyMiddleware:
    """Add a Permissions-Policy header (settings.PERMISSIONS_POLICY) turning off browser features we never use."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


def private_page(view):
    """Mark a view whose page is personal even for someone not signed in (an invitation naming its invitee)."""
    view.private_page = True
    return view


class PrivatePagesMiddleware:
    """Pages for a signed-in person (their learning, attempts, certificates, data export, clinic pages and CSV)
    and pages marked `private_page` are never kept by a browser or a shared cache: Cache-Control: private,
    no-store. Having an account already says that someone in the family is in treatment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or getattr(request, "private_page", False):
            patch_cache_control(response, private=True, no_store=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.private_page = getattr(view_func, "private_page", False)
