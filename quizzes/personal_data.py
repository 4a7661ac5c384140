from .models import Attempt


def export_quiz_data(user) -> dict[str, list[dict]]:
    return {
        "quiz_attempts": [
            {
                "quiz": a.snapshot.get("title", a.quiz_id),
                "submitted_at": a.submitted_at,
                "score_percent": a.score_percent,
                "passed": a.passed,
                "answers": [
                    {
                        "question": q["prompt"],
                        "your_answer": [c["text"] for c in q["choices"] if c["selected"]],
                        "correct": q["correct"],
                    }
                    for q in a.snapshot.get("questions", [])
                ],
            }
            for a in Attempt.objects.for_user(user)
        ]
    }
