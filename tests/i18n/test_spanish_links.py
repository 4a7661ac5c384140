"""Spanish pages never send someone to an English-only resource without saying so: every link off the site is
either a Spanish service (988's Spanish pages) or sits inside a part marked lang="en" under a heading that says
"(en inglés)"."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from courses.models import Lesson

SPANISH_RESOURCES = ("https://988lifeline.org/es",)


def unmarked_english_links(page: str) -> list[str]:
    problems = []
    # The English parts a Spanish page admits to: <div lang="en">…</div> right after a heading saying so.
    admitted = re.findall(r'(?s)\(en inglés\)</h2>\s*<div lang="en">(.*?)</div>\s*</section>', page)
    allowed = set(re.findall(r'href="(https?://[^"]+)"', " ".join(admitted)))
    for href in re.findall(r'href="(https?://[^"]+)"', page):
        if href.startswith((*SPANISH_RESOURCES, settings.SITE_URL)) or href in allowed:
            continue
        problems.append(href)
    return problems


@pytest.mark.django_db
def test_spanish_lessons_say_their_sources_are_in_english(client, real_course):
    with translation.override("es"):
        addresses = [lesson.get_absolute_url() for lesson in Lesson.objects.published().in_course(real_course)]
    assert len(addresses) == 25
    problems = {}
    for address in addresses:
        page = client.get(address).content.decode()
        assert "Fuentes (en inglés)" in page, address
        if found := unmarked_english_links(page):
            problems[address] = found
    assert not problems, problems
    with translation.override("en"):
        english_address = Lesson.objects.published().in_course(real_course).first().get_absolute_url()
    english = client.get(english_address).content
    assert b"(in English)" not in english and b'<div lang="en">' not in english


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/es/", "/es/about/", "/es/courses/", "/es/toolkit/treatment-day-checklist/"])
def test_other_spanish_pages_link_only_to_spanish_services(client, real_course, address):
    page = client.get(address).content.decode()
    assert unmarked_english_links(page) == []
