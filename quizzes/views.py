import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from config.caches import cached_content
from courses.selectors import learner_status

from .forms import QuizForm
from .models import Attempt, Quiz
from .selectors import learning_dashboard
from .services import AttemptRejected, draw_questions, submit_attempt


def _token_from(request) -> uuid.UUID:
    try:
        return uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        return uuid.uuid4()


def _quiz_with_questions(pk, only_ids: list[int] | None = None) -> tuple[Quiz, list]:
    """The quiz and its questions with their choices; `only_ids`: just those questions (the ones an attempt asks:
    a final assessment's bank holds far more than it draws, and reading each costs time on exam day)."""
    quiz = get_object_or_404(Quiz.objects.visible().select_related("lesson__module__course", "course"), pk=pk)
    questions = quiz.questions.prefetch_related("choices")
    if only_ids is not None:
        questions = questions.filter(pk__in=only_ids)
    return quiz, list(questions)


def _drawn_key(quiz_pk: int) -> str:
    return f"quizzes.drawn.{quiz_pk}"


def _attempt_questions(request, quiz: Quiz, questions: list, posted: uuid.UUID | None):
    """The token and questions of the learner's current attempt, or (token, None) when a posted page no longer
    matches it. A bank's draw is kept in the session until submitted, so a reload or a page shown again with an
    error asks the same questions."""
    if not quiz.draw:
        return posted or uuid.uuid4(), questions
    saved = request.session.get(_drawn_key(quiz.pk))
    by_id = {q.pk: q for q in questions}
    if saved and all(pk in by_id for pk in saved["ids"]) and (posted is None or saved["token"] == str(posted)):
        return uuid.UUID(saved["token"]), [by_id[pk] for pk in saved["ids"]]
    if posted is not None:
        return posted, None
    drawn, token = draw_questions(quiz=quiz, questions=questions), uuid.uuid4()
    request.session[_drawn_key(quiz.pk)] = {"token": str(token), "ids": [q.pk for q in drawn]}
    return token, drawn


@login_required
def take_quiz(request, pk):
    posting = request.method == "POST"
    if posting:
        # Graded against the database, never a cached copy that an admin's edit may have outdated. A drawn
        # attempt's questions are named in the session (_attempt_questions checks they all still exist).
        drawn = request.session.get(_drawn_key(pk))
        quiz, questions = _quiz_with_questions(pk, drawn["ids"] if drawn else None)
    else:
        quiz, questions = cached_content(f"quiz-page:{pk}", lambda: _quiz_with_questions(pk))
    token, questions = _attempt_questions(request, quiz, questions, _token_from(request) if posting else None)
    if questions is None:
        earlier = Attempt.objects.for_user(request.user).filter(token=token).first()
        if earlier:  # the same page submitted twice
            return redirect("quizzes:attempt", pk=earlier.pk)
        messages.error(request, _("This quiz page has expired. Here is the quiz again."))
        return redirect("quizzes:take", pk=quiz.pk)
    form = QuizForm(request.POST if posting else None, questions=questions, token=token)
    if posting:
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
            request.session.pop(_drawn_key(quiz.pk), None)
            return redirect("quizzes:attempt", pk=attempt.pk)
        messages.error(request, _("Some questions need an answer. Your other answers are kept below."))
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
    learner = learner_status(request.user, course, details=False)
    return render(
        request,
        "quizzes/attempt_detail.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "course": course,
            "learner": learner,
            # Passing the final assessment is a moment: the page opens with a celebration and the certificate.
            "celebrate": attempt.passed and attempt.quiz.is_final_assessment,
            "continue_url": learner.next_step.url,
            # The snapshot keeps the language the quiz was taken in: say so to screen readers on the other page.
            "snapshot_lang": format_html('lang="{}"', attempt.language)
            if attempt.language != translation.get_language()
            else "",
        },
    )


@login_required
def dashboard(request):
    return render(request, "quizzes/dashboard.html", {"entries": learning_dashboard(request.user)})
