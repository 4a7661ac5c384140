import segno


def qr_svg(url: str) -> str:
    """An inline SVG QR code for the clinic's join link (segno: pure Python, from pip)."""
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code for the join link" ', 1)
