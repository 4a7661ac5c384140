"""The certificate as a one-page PDF (fpdf2: pure Python, installs from pip alone).

The fonts ship with the project (courses/fonts/README.md says what each covers), so every name prints on every
machine: DejaVu Sans first, then Droid Sans Fallback (Chinese, Japanese, Korean) and Symbola (emoji) for any
character it lacks. Arabic and Hebrew are shaped and laid out right to left by HarfBuzz (uharfbuzz).

The PDF is in its holder's language (their profile's, not that of the page they asked from) and says which. It
is tagged: its text is marked content in a structure tree (H1 for the title, P for each line, Figure with
alternative text for the decoration, Artifact for the border), with its title shown in the reader's window.
fpdf2 does not check PDF/UA, so this aims at a readable tagged PDF, not a certified one.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf import FPDF
from fpdf.prefs import ViewerPreferences

from accounts.languages import language_of

from .models import Certificate

FONTS = Path(__file__).resolve().parent / "fonts"
FALLBACK_FONTS = {"cjk": "DroidSansFallbackFull.ttf", "symbols": "Symbola.ttf"}
ACCENT = (23, 96, 95)  # the site's teal
INK = (31, 41, 51)
SOFT = (75, 85, 99)
SUN = (229, 154, 47)


class TaggedPDF(FPDF):
    """FPDF that marks each piece of text with a structure element, so screen readers get headings and paragraphs
    in reading order (fpdf2 tags images, links and outlines itself; plain text it leaves untagged)."""

    @contextmanager
    def tagged(self, struct_type: str, alt_text: str | None = None):
        mcid = self.struct_builder.next_mcid_for_page(self.page)
        self._add_marked_content(struct_type=f"/{struct_type}", mcid=mcid, alt_text=alt_text)
        self._out(f"/{struct_type} <</MCID {mcid}>> BDC")
        yield
        self._out("EMC")

    @contextmanager
    def artifact(self):
        """Decoration a screen reader should skip."""
        self._out("/Artifact BMC")
        yield
        self._out("EMC")


def _fonts(pdf: FPDF) -> None:
    pdf.add_font("body", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("body", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    for name, file in FALLBACK_FONTS.items():
        pdf.add_font(name, "", str(FONTS / file))
    pdf.set_fallback_fonts(list(FALLBACK_FONTS), exact_match=False)
    pdf.set_text_shaping(True)  # joins Arabic letters, orders right-to-left text (uharfbuzz)


def completion_date(certificate: Certificate) -> str:
    """The day the certificate was issued, written as the active language writes dates ("5 de noviembre de 2026")."""
    day_month_year = pgettext("date format: day month year", "j F Y")
    return formats.date_format(timezone.localtime(certificate.issued_at), day_month_year)


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """The certificate in its holder's language, whichever language the page that asked for it was in."""
    with language_of(certificate.user):
        return _certificate_pdf(certificate, verify_url)


def _certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    # `course_title` is stored per language (courses/translation.py): this reads the holder's language's.
    course_title, completed_on = certificate.course_title, completion_date(certificate)
    pdf = TaggedPDF(orientation="landscape", format="A4")
    pdf.set_lang(translation.get_language())
    pdf.set_title(_("Certificate of completion: %(name)s") % {"name": certificate.holder_name})
    pdf.set_subject(_("%(course)s, completed %(date)s") % {"course": course_title, "date": completed_on})
    pdf.set_author("Support Circle")
    pdf.set_creator("Support Circle")
    pdf.set_keywords(_("certificate %(code)s") % {"code": certificate.formatted_code})
    pdf.set_display_mode("fullpage")
    pdf.viewer_preferences = _display_title()
    pdf.set_auto_page_break(False)
    _fonts(pdf)
    pdf.add_page()

    with pdf.artifact():
        pdf.set_fill_color(255, 253, 248)
        pdf.rect(0, 0, 297, 210, style="F")
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(1.2)
        pdf.rect(10, 10, 277, 190)
        pdf.set_draw_color(228, 221, 210)
        pdf.set_line_width(0.6)
        pdf.rect(14, 14, 269, 182)
    with pdf.tagged("Figure", alt_text=_("Support Circle logo")):
        _logo(pdf, 148.5, 36)

    def line(text: str, *, size: float, style: str = "", color=INK, h: float = 10, tag: str = "P") -> None:
        pdf.set_font("body", style, size)
        pdf.set_text_color(*color)
        with pdf.tagged(tag):
            pdf.multi_cell(0, h, text, align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.set_left_margin(25)
    pdf.set_right_margin(25)
    pdf.set_y(52)
    line(_("Certificate of completion"), size=30, style="B", color=ACCENT, h=14, tag="H1")
    pdf.ln(4)
    line(_("This certifies that"), size=14, color=SOFT)
    line(certificate.holder_name, size=28, style="B", h=15)
    y = pdf.get_y() + 1
    with pdf.artifact():
        pdf.set_draw_color(*SUN)
        pdf.set_line_width(0.8)
        pdf.line(98, y, 199, y)
    pdf.ln(5)
    line(_("has completed the Support Circle course"), size=14, color=SOFT)
    line(course_title, size=19, style="B", h=10)
    pdf.ln(5)
    line(_("Completed on %(date)s") % {"date": completed_on}, size=12, h=7)
    line(_("Verification code: %(code)s") % {"code": certificate.formatted_code}, size=12, h=7)
    line(_("Check it at %(url)s") % {"url": verify_url}, size=11, color=SOFT, h=7)
    pdf.set_y(180)
    line(
        _(
            "Support Circle is education for caregivers, not medical advice. "
            "In the US, call or text 988 for the Suicide & Crisis Lifeline; in an emergency, call 911."
        ),
        size=9,
        color=SOFT,
        h=5,
    )
    return bytes(pdf.output())


def _display_title() -> ViewerPreferences:
    return ViewerPreferences(display_doc_title=True)


def _logo(pdf: FPDF, cx: float, cy: float) -> None:
    """The site's logo: a person held by an open circle, and a warm sun."""
    pdf.set_fill_color(227, 240, 237)
    pdf.circle(x=cx, y=cy, radius=11, style="F")
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(2.4)
    pdf.arc(cx - 7.7, cy - 7.7, 15.4, 0, 300, style="D")
    pdf.set_fill_color(*ACCENT)
    pdf.circle(x=cx, y=cy, radius=3.1, style="F")
    pdf.set_fill_color(*SUN)
    pdf.circle(x=cx + 7.2, y=cy - 6.2, radius=2.4, style="F")
