"""The lesson and quiz pages read course structure from the cache (config/caches.py); an admin's edit must show
at once, and a page read while the edit is being saved must not keep the old content."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.caches import cached_content, forget_course_content
from courses import services
from courses.models import Lesson
from quizzes.models import Attempt, Choice


def queries_for(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.django_db
def test_a_lesson_page_reads_the_course_structure_from_the_cache_after_the_first_visit(
    caregiver_client, caregiver, small_course, django_capture_on_commit_callbacks
):
    lesson = Lesson.objects.in_course(small_course).in_reading_order().first()
    services.enroll(user=caregiver, course=small_course)
    services.mark_lesson_read(user=caregiver, lesson=lesson)
    caregiver_client.get(lesson.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        forget_course_content()
    after_an_edit, _ = queries_for(caregiver_client, lesson.get_absolute_url())
    again, html = queries_for(caregiver_client, lesson.get_absolute_url())
    assert again == after_an_edit - 4  # the lesson, and the course structure: modules, lessons, the course
    assert lesson.title in html and "Lesson 1 of 6" in html


@pytest.mark.django_db
def test_an_edited_lesson_shows_at_once(caregiver_client, small_course, django_capture_on_commit_callbacks):
    lesson = Lesson.objects.in_course(small_course).in_reading_order().first()
    caregiver_client.get(lesson.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        lesson.title = "A clearer title"
        lesson.save()
    assert "A clearer title" in caregiver_client.get(lesson.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_lesson_unpublished_by_the_admin_action_disappears_at_once(
    admin_user_with_2fa, caregiver_client, small_course, django_capture_on_commit_callbacks, staff_login
):
    lessons = list(Lesson.objects.in_course(small_course).in_reading_order())
    assert caregiver_client.get(lessons[0].get_absolute_url()).status_code == 200
    admin = staff_login(Client(), admin_user_with_2fa)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("admin:courses_lesson_changelist"),
            {"action": "unpublish", "_selected_action": [lessons[0].pk]},
            follow=True,
        )
    assert "1 lesson(s) unpublished." in response.content.decode()
    assert caregiver_client.get(lessons[0].get_absolute_url()).status_code == 404
    # The neighbour's "previous" link no longer leads to it.
    assert lessons[0].get_absolute_url() not in caregiver_client.get(lessons[1].get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_quiz_is_graded_against_the_database_not_the_cached_page(
    caregiver_client, quiz_course, monkeypatch, answers_for
):
    quiz = Lesson.objects.in_course(quiz_course).in_reading_order().first().quiz
    url = reverse("quizzes:take", args=[quiz.pk])
    html = caregiver_client.get(url).content.decode()
    token = html.split('name="token" value="')[1].split('"')[0]
    answers = answers_for(quiz)
    # An edit this worker's cache never hears of (another worker's, with per-process caches) leaves the
    # cached page outdated...
    monkeypatch.setattr("config.caches._replace_version_after_commit", lambda key: None)
    right = Choice.objects.get(question__quiz=quiz, text="right")
    Choice.objects.filter(question=right.question).update(is_correct=False)
    Choice.objects.filter(question=right.question, text="wrong A").update(is_correct=True)
    # ...but the submission is marked with what the database says now.
    caregiver_client.post(url, {**answers, "token": token})
    attempt = Attempt.objects.get(token=token)
    assert attempt.score_percent == 75


@pytest.mark.django_db
def test_a_bulk_update_of_course_content_forgets_the_cached_structure(
    caregiver_client, small_course, django_capture_on_commit_callbacks
):
    lesson = Lesson.objects.in_course(small_course).in_reading_order().first()
    caregiver_client.get(lesson.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        Lesson.objects.filter(pk=lesson.pk).update(title="Renamed in bulk")  # no save signal
    assert "Renamed in bulk" in caregiver_client.get(lesson.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_page_read_during_an_admins_save_does_not_pin_the_old_content(small_course):
    """An admin saves a lesson; before the save commits, another request (another database connection, which
    still sees the old row) rebuilds the cached lesson. After the commit the page must show the new title."""
    lesson = Lesson.objects.in_course(small_course).in_reading_order().first()
    url = lesson.get_absolute_url()
    key = f"lesson-page:{small_course.slug}/{lesson.module.slug}/{lesson.slug}"
    old = Lesson.objects.select_related("module__course").get(pk=lesson.pk)
    with transaction.atomic():
        lesson.title = "Saved by the admin"
        lesson.save()
        # The concurrent reader: what another connection's request caches while the save is open.
        cached_content(key, lambda: old)
    assert "Saved by the admin" in Client().get(url).content.decode()


@pytest.mark.django_db
def test_every_entry_point_forgets_after_commit_not_before(small_course, django_capture_on_commit_callbacks):
    """Saves, deletes and bulk updates all wait for the commit (nothing is forgotten inside the transaction)."""
    cached_content("probe", lambda: "before")
    lesson = Lesson.objects.in_course(small_course).in_reading_order().first()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lesson.save()
        Lesson.objects.filter(pk=lesson.pk).update(minutes=7)
        assert cached_content("probe", lambda: "after") == "before"
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert cached_content("probe", lambda: "after") == "after"


@pytest.mark.django_db
def test_a_lesson_newer_than_this_workers_cached_structure_still_opens(client, small_course, monkeypatch):
    """With per-process caches another worker may hold the course structure from before a lesson was added: the
    new lesson's page rebuilds it instead of failing."""
    first = Lesson.objects.in_course(small_course).in_reading_order().first()
    client.get(first.get_absolute_url())  # caches the structure: 6 lessons
    monkeypatch.setattr("config.caches._replace_version_after_commit", lambda key: None)  # this worker never hears
    added = Lesson.objects.create(
        module=first.module, slug="added", title="Added elsewhere", summary="S", body="B", order=9
    )
    response = client.get(added.get_absolute_url())
    assert response.status_code == 200 and "Lesson 4 of 7" in response.content.decode()
    assert "Lesson 1 of 7" in client.get(first.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_each_process_keeps_its_own_copy_until_the_shared_version_changes(django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from config.caches import CONTENT_VERSION_KEY

    builds = []

    def build():
        builds.append(1)
        return {"built": len(builds)}

    first = cached_content("copy-test", build)
    assert cached_content("copy-test", build) is first  # not unpickled again from the shared cache
    cache.set(CONTENT_VERSION_KEY, "changed-by-another-process", None)  # e.g. an admin's save in another worker
    assert cached_content("copy-test", build) == {"built": 2}
    with django_capture_on_commit_callbacks(execute=True):
        forget_course_content()
    assert cached_content("copy-test", build) == {"built": 3}


@pytest.mark.django_db
def test_one_learners_lesson_states_never_reach_another_page(caregiver_client, caregiver, small_course):
    # The course structure's lessons are shared by every request a process serves: the course page must not
    # write a learner's states onto them.
    lesson = Lesson.objects.in_course(small_course).in_reading_order().first()
    services.enroll(user=caregiver, course=small_course)
    services.mark_lesson_read(user=caregiver, lesson=lesson)
    assert "state-badge" in caregiver_client.get(small_course.get_absolute_url()).content.decode()
    assert "state-badge" not in Client().get(small_course.get_absolute_url()).content.decode()


# --- The lesson page's kept parts (courses/views.py, _lesson_parts) ------------------------------------------------


@pytest.mark.django_db
def test_a_lesson_pages_shared_parts_are_rendered_once_and_the_learners_own_part_each_time(
    client, caregiver, other_caregiver, small_course, monkeypatch
):
    from courses import views

    builds = []
    build = views._lesson_parts
    monkeypatch.setattr(views, "_lesson_parts", lambda *args: builds.append(1) or build(*args))
    lesson = Lesson.objects.in_course(small_course).in_reading_order().first()
    services.enroll(user=caregiver, course=small_course)
    services.mark_lesson_read(user=caregiver, lesson=lesson)

    client.force_login(caregiver)
    done = client.get(lesson.get_absolute_url()).content.decode()
    client.force_login(other_caregiver)
    not_yet = client.get(lesson.get_absolute_url()).content.decode()
    anonymous = Client().get(lesson.get_absolute_url()).content.decode()

    assert len(builds) == 1
    assert "state-complete" in done and "state-complete" not in not_yet and "Create a free account" in anonymous
    for html in (done, not_yet, anonymous):
        assert "Lesson 1 of 6" in html and lesson.title in html and "Next: " in html


@pytest.mark.django_db
def test_a_renamed_next_lesson_shows_in_the_link_at_once(client, small_course, django_capture_on_commit_callbacks):
    first, second = list(Lesson.objects.in_course(small_course).in_reading_order())[:2]
    client.get(first.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        second.title = "Sleep after a session"
        second.save()
    assert "Next: Sleep after a session →" in client.get(first.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_lesson_parts_are_kept_per_language(client, small_course):
    english = Lesson.objects.in_course(small_course).in_reading_order().first().get_absolute_url()
    assert "Lesson 1 of 6" in client.get(english).content.decode()
    spanish = client.get(f"/es{english}").content.decode()
    assert "Lección 1 de 6" in spanish and "Lesson 1 of 6" not in spanish
    assert "Lesson 1 of 6" in client.get(english).content.decode()
