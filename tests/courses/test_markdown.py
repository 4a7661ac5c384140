import re
from html.parser import HTMLParser

import pytest

from courses.markdown import render_markdown
from courses.models import Lesson

NASTY = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<scr<script>ipt>alert(1)</script>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<details open ontoggle="alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    '<p onmouseover="alert(1)">x</p>',
]


# What a lesson may contain once rendered: text formatting, lists, tables, links. Written out here, not read
# from courses.markdown, so that widening the allow-list there makes this test fail.
SAFE_TAGS = {"p", "a", "abbr", "blockquote", "br", "code", "em", "strong", "h2", "h3", "h4", "hr", "li", "ol", "ul"}
SAFE_TAGS |= {"pre", "table", "thead", "tbody", "tr", "th", "td"}
SAFE_ATTRIBUTES = {"href", "title", "scope", "rel"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


class Elements(HTMLParser):
    """Every element and attribute as a browser would read them (entities decoded)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def link_scheme(href: str) -> str | None:
    # Browsers drop tabs, newlines and leading spaces/control characters before reading a scheme.
    cleaned = re.sub(r"[\x00-\x20]", "", href).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) if match else None


@pytest.mark.parametrize("payload", NASTY)
def test_hostile_markdown_cannot_inject_script(payload):
    html = render_markdown(f"Intro\n\n{payload}\n\nOutro").lower()
    for forbidden in (
        "<script",
        "onerror",
        "onload",
        "ontoggle",
        "javascript:",
        "<iframe",
        "<style",
        "style=",
        "data:text",
        "<form",
        "<svg",
    ):
        assert forbidden not in html
    # The text around the payload survives: the lesson is cleaned, not emptied.
    assert html.startswith("<p>intro</p>") and "outro" in html
    for tag, attrs in Elements(html).found:
        assert tag in SAFE_TAGS, f"<{tag}> let through"
        for name, value in attrs:
            assert name in SAFE_ATTRIBUTES, f"{name}= let through on <{tag}>"
            if name == "href":
                assert link_scheme(value or "") in SAFE_SCHEMES | {None}, f"href={value!r} let through"


def test_markdown_keeps_ordinary_formatting():
    html = render_markdown("## Heading\n\n- one\n- **two**\n\n[988](tel:988)")
    assert "<h2>Heading</h2>" in html
    assert "<strong>two</strong>" in html
    assert 'href="tel:988"' in html
    assert "<ul>\n<li>one</li>\n<li><strong>two</strong></li>\n</ul>" in html
    assert '<a href="tel:988" rel="noopener noreferrer">988</a>' in html


def test_lesson_body_is_rendered_once_on_save(small_course, django_assert_num_queries, client, monkeypatch):
    import courses.models

    calls = []

    def counting_render(text):
        calls.append(text)
        return render_markdown(text)

    monkeypatch.setattr(courses.models, "render_markdown", counting_render)
    lesson = Lesson.objects.first()
    lesson.body = "Hello <script>alert(1)</script> **world**"
    lesson.save()
    stored = Lesson.objects.get(pk=lesson.pk).body_html
    assert "<strong>world</strong>" in stored and "<script" not in stored
    assert calls == [lesson.body]  # rendered once, when saved

    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "Hello" in page and "<strong>world</strong>" in page  # the reader sees the stored HTML
    assert "<script>alert(1)</script>" not in page and "**world**" not in page
    assert len(calls) == 1, "showing the lesson must not render the Markdown again"
