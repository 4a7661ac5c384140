from .models import Certificate, Enrollment, LessonProgress


def export_course_data(user) -> dict[str, list[dict]]:
    return {
        "enrollments": [
            {
                "course": e.course.title,
                "source": e.get_source_display(),
                "enrolled_at": e.enrolled_at,
                "last_activity_at": e.last_activity_at,
                "final_assessment_passed_at": e.final_passed_at,
                "completed_at": e.completed_at,
            }
            for e in Enrollment.objects.filter(user=user).select_related("course")
        ],
        "lesson_progress": [
            {
                "lesson": p.lesson.title,
                "started_at": p.started_at,
                "reached_end_at": p.reached_end_at,
                "quiz_passed_at": p.quiz_passed_at,
                "completed_at": p.completed_at,
            }
            for p in LessonProgress.objects.filter(user=user).select_related("lesson")
        ],
        "certificates": [
            {"code": c.formatted_code, "name": c.holder_name, "course": c.course_title, "issued_at": c.issued_at}
            for c in Certificate.objects.filter(user=user)
        ],
    }
