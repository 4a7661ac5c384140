import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from courses.content_cache import cached_content
from courses.selectors import next_step_url

from .forms import QuizForm
from .models import Attempt, Quiz
from .selectors import learning_dashboard
from .services import AttemptRejected, submit_attempt


def _token_from(request) -> uuid.UUID:
    try:
        return uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        return uuid.uuid4()


def _quiz_with_questions(pk) -> tuple[Quiz, list]:
    quiz = get_object_or_404(Quiz.objects.visible().select_related("lesson__module__course", "course"), pk=pk)
    return quiz, list(quiz.questions.prefetch_related("choices"))


@login_required
def take_quiz(request, pk):
    if request.method == "POST":
        # Graded against the database, never a cached copy that an admin's edit may have outdated.
        quiz, questions = _quiz_with_questions(pk)
    else:
        quiz, questions = cached_content(f"quiz-page:{pk}", lambda: _quiz_with_questions(pk))
    token = _token_from(request) if request.method == "POST" else uuid.uuid4()
    form = QuizForm(request.POST if request.method == "POST" else None, questions=questions, token=token)
    if request.method == "POST":
        if form.is_valid():
            try:
                attempt = submit_attempt(
                    user=request.user,
                    quiz=quiz,
                    questions=questions,
                    token=form.cleaned_data["token"],
                    answers=form.selected_choice_ids(),
                )
            except AttemptRejected as rejected:
                messages.error(request, str(rejected))
                return redirect("quizzes:take", pk=quiz.pk)
            return redirect("quizzes:attempt", pk=attempt.pk)
        messages.error(request, "Some questions need an answer. Your other answers are kept below.")
    previous = (
        Attempt.objects.for_user(request.user)
        .filter(quiz=quiz)
        .only("pk", "score_percent", "passed", "submitted_at")[:5]
    )
    return render(
        request,
        "quizzes/quiz_take.html",
        {"quiz": quiz, "form": form, "course": quiz.owning_course(), "previous_attempts": previous},
    )


@login_required
def attempt_detail(request, pk):
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz__lesson__module__course", "quiz__course"), pk=pk, user=request.user
    )
    course = attempt.quiz.owning_course()
    return render(
        request,
        "quizzes/attempt_detail.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "course": course,
            "continue_url": next_step_url(request.user, course),
        },
    )


@login_required
def dashboard(request):
    return render(request, "quizzes/dashboard.html", {"entries": learning_dashboard(request.user)})
