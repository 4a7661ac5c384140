from .models import Certificate, Enrollment, LessonProgress
from .selectors import learner_statuses


def export_course_data(user) -> dict[str, list[dict]]:
    enrollments = list(Enrollment.objects.filter(user=user).select_related("course"))
    statuses = learner_statuses(user_ids=[user.pk], courses=[e.course for e in enrollments])
    return {
        "enrollments": [
            {
                "course": e.course.title,
                **_progress(statuses.get((user.pk, e.course_id))),
                "source": e.get_source_display(),
                "enrolled_at": e.enrolled_at,
                "last_activity_at": e.last_activity_at,
                "final_assessment_passed_at": e.final_passed_at,
                "completed_at": e.completed_at,
            }
            for e in enrollments
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


def _progress(status) -> dict:
    """The same figures the learner and their clinic see (none for a course that is no longer published)."""
    if status is None:
        return {}
    scores = status.quiz_scores
    return {
        "lessons_completed": status.progress.completed,
        "lessons_in_course": status.progress.total,
        "percent_complete": status.progress.percent,
        "quiz_attempts": scores.attempts,
        "quiz_average_percent": scores.percent,
        "course_completed": status.completed,
    }
