"""The certificate as a one-page PDF (fpdf2: pure Python, installs from pip alone)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from .models import Certificate

# A Unicode font when the system has one (names like "Zoë Øvergaard" or "李雷"); otherwise the PDF core
# font, which covers Latin-1 only.
UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"Certificate {certificate.formatted_code}")
    pdf.set_author("Support Circle")
    pdf.add_page()
    if UNICODE_FONT.exists():
        pdf.add_font("body", "", str(UNICODE_FONT))
        font = "body"

        def text(value: str) -> str:
            return value
    else:
        font = "helvetica"

        def text(value: str) -> str:
            return value.encode("latin-1", "replace").decode("latin-1")

    pdf.set_draw_color(29, 79, 145)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)
    pdf.set_text_color(29, 79, 145)
    pdf.set_font(font, size=30)
    pdf.set_y(35)
    pdf.cell(0, 14, text("Certificate of completion"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(31, 41, 51)
    pdf.set_font(font, size=14)
    pdf.ln(8)
    pdf.cell(0, 10, text("This certifies that"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, size=26)
    pdf.cell(0, 16, text(certificate.holder_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, size=14)
    pdf.cell(0, 10, text("has completed the Support Circle course"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, size=18)
    pdf.multi_cell(0, 10, text(certificate.course_title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, size=12)
    pdf.ln(6)
    pdf.cell(0, 8, text(f"Completed on {certificate.issued_at:%d %B %Y}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, text(f"Verification code: {certificate.formatted_code}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, text(f"Check it at {verify_url}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(178)
    pdf.set_font(font, size=9)
    pdf.multi_cell(
        0,
        5,
        text(
            "Support Circle is education for caregivers, not medical advice. "
            "In the US, call or text 988 for the Suicide & Crisis Lifeline; in an emergency, call 911."
        ),
        align="C",
    )
    return bytes(pdf.output())
