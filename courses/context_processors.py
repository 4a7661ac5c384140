from django.conf import settings


def site_facts(request):
    """Facts every page shows (the crisis line), without touching the database."""
    return {"crisis_line": settings.CRISIS_LINE}
