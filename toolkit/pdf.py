"""The safety plan and the treatment-day checklist as PDFs (fpdf2, as the certificate), in the active language:
the views choose it (translation.override)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf import FPDF

from .checklist import CHECKLIST, WHO_TO_CALL
from .models import SafetyPlan

# A Unicode font when the system has one (DejaVu, as for certificates); otherwise the PDF core font, which covers
# Latin-1 only, so other characters are replaced rather than crashing.
UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
UNICODE_FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
COMPRESS = True  # tests turn this off to read the text in the file

_PLAIN = str.maketrans({"—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "•": "-"})
INK = (31, 41, 51)
BRAND = (29, 79, 145)


class _Document:
    """An A4 page with our fonts, and text made printable in whichever font is used."""

    def __init__(self, title: str):
        self.pdf = FPDF(format="A4")
        self.pdf.set_compression(COMPRESS)
        self.pdf.set_title(title)
        self.pdf.set_author("Support Circle")
        self.pdf.set_margins(18, 16, 18)
        self.pdf.set_auto_page_break(True, margin=18)
        if UNICODE_FONT.exists():
            self.pdf.add_font("body", "", str(UNICODE_FONT))
            bold = UNICODE_FONT_BOLD if UNICODE_FONT_BOLD.exists() else UNICODE_FONT
            self.pdf.add_font("body", "B", str(bold))
            self.font, self.unicode = "body", True
        else:
            self.font, self.unicode = "helvetica", False
        self.pdf.add_page()

    def text(self, value: str) -> str:
        value = str(value)  # a lazily translated string, translated now
        if self.unicode:
            # Characters missing from the font (emoji) are left out by fpdf2 rather than failing.
            return value
        return value.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")

    def write(self, value: str, *, size: float = 11, bold: bool = False, height: float = 5.5, color=INK) -> None:
        self.pdf.set_font(self.font, "B" if bold else "", size)
        self.pdf.set_text_color(*color)
        self.pdf.multi_cell(0, height, self.text(value), align="L", new_x="LMARGIN", new_y="NEXT")

    def heading(self, value: str, *, size: float = 13) -> None:
        self.pdf.ln(2)
        self.write(value, size=size, bold=True, height=7, color=BRAND)

    def blank_lines(self, count: int) -> None:
        self.pdf.set_draw_color(160, 160, 160)
        self.pdf.set_line_width(0.2)
        for _line in range(count):
            self.pdf.ln(7)
            y = self.pdf.get_y()
            self.pdf.line(self.pdf.l_margin, y, self.pdf.w - self.pdf.r_margin, y)
        self.pdf.ln(2)

    def crisis_box(self) -> None:
        line = settings.CRISIS_LINE
        self.pdf.ln(3)
        self.pdf.set_draw_color(*BRAND)
        self.pdf.set_line_width(0.6)
        self.pdf.set_font(self.font, "B", 11)
        self.pdf.set_text_color(*INK)
        self.pdf.multi_cell(
            0,
            6,
            self.text(
                _(
                    "In crisis or worried about someone? Call or text %(call)s (Suicide & Crisis Lifeline, 24/7). "
                    "In an emergency or immediate danger, call %(emergency)s."
                )
                % {"call": line["call_text"], "emergency": line["emergency"]}
            ),
            border=1,
            padding=3,
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )

    def footer_note(self) -> None:
        self.pdf.ln(4)
        self.write(
            _("Support Circle is education for caregivers, not medical advice. It does not replace the care team."),
            size=8.5,
            height=4.5,
        )

    def checkbox_item(self, title: str, detail: str) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.3)
        y = pdf.get_y() + 1
        pdf.rect(pdf.l_margin, y, 4, 4)
        left = pdf.l_margin
        pdf.set_left_margin(left + 7)
        pdf.set_x(left + 7)
        self.write(title, bold=True)
        if detail:
            self.write(detail, size=10, height=5)
        pdf.set_left_margin(left)
        pdf.ln(1.5)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def safety_plan_pdf(plan: SafetyPlan | None) -> bytes:
    """The plan as the person wrote it; a part left empty gets lines to write on by hand."""
    title = _("My safety plan")
    doc = _Document(title)
    doc.write(title, size=22, bold=True, height=11, color=BRAND)
    doc.write(
        _(
            "Made at a calm time, in my own words. Keep it where you can reach it fast, and look at it again "
            "after any crisis or change."
        ),
        size=10,
    )
    doc.crisis_box()
    for heading, text in plan.sections() if plan else _empty_sections():
        doc.heading(heading)
        if text.strip():
            doc.write(text)
        else:
            doc.blank_lines(3)
    if plan is not None:
        doc.pdf.ln(3)
        saved = date_format(plan.updated_at, pgettext("the day a safety plan was saved; Django date format", "d F Y"))
        doc.write(_("Last saved %(date)s.") % {"date": saved}, size=9)
    doc.footer_note()
    return doc.output()


def _empty_sections() -> Iterable[tuple[str, str]]:
    return SafetyPlan().sections()


def checklist_pdf(clinics: Iterable) -> bytes:
    title = _("Treatment-day checklist")
    doc = _Document(title)
    doc.write(title, size=22, bold=True, height=11, color=BRAND)
    doc.write(_("Tick each line off on every treatment day."), size=10)
    for section in CHECKLIST:
        doc.heading(section.heading)
        for item in section.items:
            doc.checkbox_item(item.title, item.detail)
    doc.heading(_("Who to call"))
    for item in WHO_TO_CALL:
        doc.write(item.title, bold=True)
        doc.write(item.detail, size=10, height=5)
        doc.pdf.ln(1)
    clinics = list(clinics)
    if clinics:
        doc.write(_("Your clinic") if len(clinics) == 1 else _("Your clinics"), size=11.5, bold=True, color=BRAND)
        ask = _("ask the clinic")
        for clinic in clinics:
            doc.write(clinic.name, bold=True)
            doc.write(_("Phone: %(phone)s") % {"phone": clinic.contact_phone or ask}, size=10, height=5)
            doc.write(_("After-hours line: %(phone)s") % {"phone": clinic.after_hours_phone or ask}, size=10, height=5)
            doc.pdf.ln(1)
    else:
        doc.write(_("Your clinic's phone and after-hours line:"), bold=True)
        doc.blank_lines(2)
    doc.crisis_box()
    doc.footer_note()
    return doc.output()
