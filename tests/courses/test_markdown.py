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
]


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


def test_markdown_keeps_ordinary_formatting():
    html = render_markdown("## Heading\n\n- one\n- **two**\n\n[988](tel:988)")
    assert "<h2>Heading</h2>" in html
    assert "<strong>two</strong>" in html
    assert 'href="tel:988"' in html


def test_lesson_body_is_rendered_once_on_save(small_course, django_assert_num_queries):
    lesson = Lesson.objects.first()
    lesson.body = "Hello <script>alert(1)</script> **world**"
    lesson.save()
    stored = Lesson.objects.get(pk=lesson.pk).body_html
    assert "<strong>world</strong>" in stored and "<script" not in stored
