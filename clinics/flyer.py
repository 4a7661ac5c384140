import segno
from django.utils.html import escape
from django.utils.translation import gettext as _


def qr_svg(url: str) -> str:
    """An inline SVG QR code for the clinic's join link (segno: pure Python, from pip)."""
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff")
    label = escape(_("QR code for the join link"))  # in the flyer's language: call it under translation.override
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
