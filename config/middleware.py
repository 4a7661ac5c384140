"""Small response-header middleware that Django and django-csp don't cover."""

from django.conf import settings


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
