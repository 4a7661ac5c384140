from django.shortcuts import get_object_or_404, render

from .models import Course, Lesson
from .selectors import lesson_position, published_course_outline, reading_order


def home(request):
    return render(request, "courses/home.html", {"courses": Course.objects.published()})


def about(request):
    return render(request, "courses/about.html")


def course_list(request):
    return render(request, "courses/course_list.html", {"courses": Course.objects.published()})


def course_detail(request, course_slug):
    course = get_object_or_404(Course.objects.published(), slug=course_slug)
    modules = published_course_outline(course)
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "modules": modules,
            "lesson_count": sum(len(m.published_lessons) for m in modules),
            "total_minutes": sum(lesson.minutes for m in modules for lesson in m.published_lessons),
        },
    )


def lesson_detail(request, course_slug, module_slug, lesson_slug):
    lesson = get_object_or_404(
        Lesson.objects.published().select_related("module__course"),
        module__course__slug=course_slug, module__slug=module_slug, slug=lesson_slug,
    )
    position = lesson_position(lesson, reading_order(lesson.module.course))
    return render(
        request,
        "courses/lesson_detail.html",
        {"lesson": lesson, "module": lesson.module, "course": lesson.module.course, "position": position},
    )
