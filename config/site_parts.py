"""`{% site_part %}`: the parts of every page that are the same for everyone of a kind — the crisis bar, the header
and the footer — rendered once per process, language and kind of visitor, then kept (config/caches.cached_fragment).

Each request puts in only what is its own: its CSRF token and its address (the language switch's way back). They
were about a sixth of a signed-in page's time (docs/performance.md, "Issue 17, fourth session").
"""

import re

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from config.caches import cached_fragment

register = template.Library()

# Where a request's own values go in the kept HTML. They are filled in one pass over the kept part only (before
# the page's own content is around it), so an address that happens to contain a marker stays text.
_CSRF_INPUT = "site-part-csrf-input-8d1f"
_HERE = "site-part-here-8d1f"
_MARKERS = re.compile(f"{_CSRF_INPUT}|{_HERE}")


def _part_context(flags: dict) -> dict:
    current = translation.get_language()
    return {
        **flags,
        "csrf_input": mark_safe(_CSRF_INPUT),
        "here": _HERE,
        "crisis_line": settings.CRISIS_LINE,
        "other_languages": [(code, name) for code, name in settings.LANGUAGES if code != current],
    }


def _csrf_input(token) -> str:
    # As Django's {% csrf_token %}: nothing where no token exists (a page drawn without a request).
    if not token or token == "NOTPROVIDED":
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.simple_tag(takes_context=True)
def site_part(context, template_name: str, **flags):
    """`template_name` as kept for this language and these `flags` (a few yes/no values that change it, such as
    signed in), with this request's CSRF token and address put in. The template sees only the flags, `csrf_input`,
    `here`, `crisis_line` and `other_languages`: nothing about the person, so one copy serves everyone alike."""
    flags = {key: bool(value) for key, value in sorted(flags.items())}
    name = f"site-part:{template_name}:" + ",".join(f"{key}={value}" for key, value in flags.items())
    html = cached_fragment(name, lambda: render_to_string(template_name, _part_context(flags)).strip())
    request = context.get("request")
    own = {
        _CSRF_INPUT: _csrf_input(context.get("csrf_token")),
        _HERE: escape(request.get_full_path()) if request is not None else "",
    }
    return mark_safe(_MARKERS.sub(lambda found: own[found.group()], html))
