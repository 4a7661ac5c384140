from courses.models import Lesson

from .conftest import assert_fits_phone, check_page


def test_visitor_reads_home_course_and_a_lesson(page, real_course):
    page.goto("/")
    check_page(page, "home")
    page.get_by_role("link", name="Start the free course").click()
    page.wait_for_url(f"**{real_course.get_absolute_url()}")
    check_page(page, "course")
    assert page.get_by_role("heading", name="Syllabus").is_visible()

    lessons = list(Lesson.objects.published().in_course(real_course).in_reading_order())
    first, second = lessons[:2]
    page.get_by_role("link", name=first.title).click()
    check_page(page, "lesson")
    assert page.get_by_text(f"Lesson 1 of {len(lessons)}").is_visible()
    page.wait_for_url(f"**{first.get_absolute_url()}")
    assert page.locator("h1").inner_text() == first.title
    page.get_by_role("link", name="Next:").click()
    assert page.get_by_text(f"Lesson 2 of {len(lessons)}").is_visible()
    page.wait_for_url(f"**{second.get_absolute_url()}")
    assert page.locator("h1").inner_text() == second.title

    page.goto("/about/")
    check_page(page, "about")


def test_keyboard_user_can_skip_to_content(page, real_course):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")  # follows the link: the next Tab lands in the page's content, past the header
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main#main').contains(document.activeElement)")


def test_pages_fit_a_360px_phone(phone_page, real_course):
    lesson_url = real_course.modules.first().lessons.first().get_absolute_url()
    for name, url in [("home", "/"), ("course", real_course.get_absolute_url()), ("lesson", lesson_url)]:
        response = phone_page.goto(url)
        assert response.status == 200, url
        assert_fits_phone(phone_page, name)
        assert phone_page.locator("h1").is_visible(), name  # the page itself, not an error page
