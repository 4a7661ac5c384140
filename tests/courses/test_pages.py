import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from courses.models import Lesson, Module
from quizzes.content_files import read_content

CRISIS = ["tel:988", "tel:911"]


def assert_page_basics(response):
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1, "every page has exactly one h1"
    assert 'href="#main"' in html and 'id="main"' in html, "skip link and main landmark"
    for number in CRISIS:
        assert number in html, "crisis line on every page"
    assert "Education, not medical advice" in html
    assert "cdn." not in html and "//fonts.googleapis" not in html, "nothing loaded from other hosts"


def test_every_public_page_of_the_real_course_is_200(client, real_course):
    for url in [reverse("home"), reverse("about"), reverse("courses:course_list"), real_course.get_absolute_url()]:
        assert_page_basics(client.get(url))
    lessons = Lesson.objects.published().in_course(real_course).select_related("module__course")
    [course_files] = read_content(settings.CONTENT_DIR)
    assert lessons.count() == sum(len(module.lessons) for module in course_files.modules) >= 19
    syllabus = client.get(real_course.get_absolute_url()).content.decode()
    for lesson in lessons:
        assert_page_basics(client.get(lesson.get_absolute_url()))
        # each lesson's own page (its title in the h1, its text), listed in the course's syllabus
        html = client.get(lesson.get_absolute_url()).content.decode()
        h1 = html.split("<h1", 1)[1].split("</h1>", 1)[0]
        assert escape(lesson.title) in h1, lesson.slug
        assert lesson.body_html[:200] in html, lesson.slug
        assert escape(lesson.title) in syllabus, lesson.slug


def test_home_has_a_start_button(client, real_course):
    html = client.get(reverse("home")).content.decode()
    assert "Start the free course" in html and real_course.get_absolute_url() in html


def test_lesson_page_shows_position_breadcrumbs_and_neighbours(client, small_course):
    lessons = list(Lesson.objects.published().in_course(small_course).in_reading_order())
    second = lessons[1]
    html = client.get(second.get_absolute_url()).content.decode()
    assert "Lesson 2 of 6" in html
    assert 'aria-label="Breadcrumb"' in html and small_course.title in html
    assert lessons[0].get_absolute_url() in html and lessons[2].get_absolute_url() in html


def test_unpublished_content_is_404_for_the_public(client, small_course):
    lesson = Lesson.objects.filter(module__course=small_course).first()
    url = lesson.get_absolute_url()
    lesson.published = False
    lesson.save()
    assert client.get(url).status_code == 404
    assert lesson.title not in client.get(small_course.get_absolute_url()).content.decode()

    lesson.published = True
    lesson.save()
    Module.objects.filter(pk=lesson.module_id).update(published=False)
    assert client.get(url).status_code == 404

    Module.objects.filter(pk=lesson.module_id).update(published=True)
    small_course.published = False
    small_course.save()
    assert client.get(url).status_code == 404
    assert client.get(small_course.get_absolute_url()).status_code == 404
    assert small_course.title not in client.get(reverse("courses:course_list")).content.decode()


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_course_page_queries_do_not_grow_with_lessons(client, make_course):
    """Guards against an N+1 over modules or lessons in the syllabus."""
    small = make_course(modules=2, lessons_per_module=2)
    large = make_course(modules=8, lessons_per_module=12)
    small_count = queries_for(client, small.get_absolute_url())
    large_count = queries_for(client, large.get_absolute_url())
    assert small_count == large_count
    assert large_count <= 4


@pytest.mark.django_db
def test_lesson_page_queries_do_not_grow_with_lessons(client, make_course):
    """Guards against resolving previous/next or position one lesson at a time."""
    small = make_course(modules=1, lessons_per_module=3)
    large = make_course(modules=6, lessons_per_module=15)
    small_lesson = Lesson.objects.in_course(small).in_reading_order()[1]
    large_lesson = Lesson.objects.in_course(large).in_reading_order()[40]
    assert queries_for(client, small_lesson.get_absolute_url()) == queries_for(client, large_lesson.get_absolute_url())
