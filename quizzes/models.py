import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.content_cache import ContentQuerySet
from courses.models import DEFAULT_LANGUAGE, Course, Lesson, checksum, text_in, visible_course, visible_lesson

from . import rules


class QuizQuerySet(ContentQuerySet):
    def visible(self):
        """Quizzes learners may open: a visible lesson's quiz, or a visible course's final assessment."""
        return self.filter(visible_quiz())


def visible_quiz(prefix: str = "") -> Q:
    """The publication rule (courses.models) applied to quizzes, usable across a relation like the others."""
    return visible_lesson(f"{prefix}lesson__") | visible_course(f"{prefix}course__")


class Quiz(models.Model):
    """A lesson's quiz, or a course's final assessment (exactly one of the two)."""

    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, null=True, blank=True, related_name="quiz")
    course = models.OneToOneField(
        Course,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="final_assessment",
        verbose_name=_("course"),
        help_text=_("Set only for a course's final assessment."),
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("intro"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)
    draw = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        null=True,
        blank=True,
        help_text=_("Final assessment only: draw this many questions at random for each attempt. Empty: ask them all."),
    )
    # Per language (source_checksum_en, _es): what the loader last wrote in that language (quizzes/loader.py).
    source_checksum = models.CharField(max_length=64, blank=True, editable=False)

    objects = QuizQuerySet.as_manager()

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=(Q(lesson__isnull=False, course__isnull=True) | Q(lesson__isnull=True, course__isnull=False)),
                name="quiz_belongs_to_lesson_or_course",
                violation_error_message=_(
                    "A quiz belongs to either a lesson or a course (final assessment), not both."
                ),
            ),
            models.CheckConstraint(condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="quiz_pass_mark_1_to_100"),
            models.CheckConstraint(
                condition=Q(draw__isnull=True) | Q(course__isnull=False, draw__gte=1),
                name="quiz_draw_only_for_final_assessment",
                violation_error_message=_("Only a final assessment draws questions at random."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_final_assessment(self) -> bool:
        return self.course_id is not None

    @property
    def questions_per_attempt(self) -> int:
        """How many questions one attempt asks: the draw of a bank, else every question."""
        return self.draw or self.questions.count()

    def owning_course(self) -> Course:
        return self.course if self.course_id else self.lesson.module.course

    def content_checksum(self, language: str = DEFAULT_LANGUAGE) -> str:
        """What one language's file gives: the English file gives the text and the structure (kinds, order,
        correct choices, pass mark, draw); another language's file gives only its text (quizzes/loader.py)."""
        title, intro = text_in(self, "title", language), text_in(self, "intro", language)
        questions = self.questions.prefetch_related("choices")
        if language != DEFAULT_LANGUAGE:
            texts = [
                (
                    text_in(q, "scenario", language),
                    text_in(q, "prompt", language),
                    [(text_in(c, "text", language), text_in(c, "explanation", language)) for c in q.choices.all()],
                )
                for q in questions
            ]
            return checksum(title, intro, texts)
        questions = [
            (
                q.kind,
                text_in(q, "prompt", language),
                text_in(q, "scenario", language),
                q.order,
                q.covers_lesson_id,
                [
                    (text_in(c, "text", language), c.is_correct, text_in(c, "explanation", language), c.order)
                    for c in q.choices.all()
                ],
            )
            for q in questions
        ]
        return checksum(title, intro, self.pass_mark, self.draw, questions)


class Question(models.Model):
    # The kinds and their rules live in quizzes.rules; this binds them to the database column.
    Kind = models.TextChoices(
        "Kind", [(value.upper(), (value, _(label))) for value, label in rules.QUESTION_KINDS.items()]
    )

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions", verbose_name=_("quiz"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    scenario = models.TextField(
        _("scenario"), blank=True, help_text=_("For scenario questions: the short story the question is about.")
    )
    prompt = models.TextField(_("prompt"))
    order = models.PositiveIntegerField(_("order"), default=0)
    covers_lesson = models.ForeignKey(
        Lesson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bank_questions",
        verbose_name=_("covers lesson"),
        help_text=_("Final assessment only: the lesson this question tests."),
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["quiz", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.prompt[:80]

    @property
    def allows_many(self) -> bool:
        return self.kind == self.Kind.MULTIPLE


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("is correct"), default=False)
    explanation = models.TextField(
        _("explanation"), help_text=_("Shown after the attempt: why this choice is right or wrong.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Attempt(models.Model):
    """One submitted quiz. `snapshot` keeps what was asked and answered, so later edits never change it."""

    # SET_NULL: when a person deletes their account the attempt stays, without identity, in question statistics.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz"))
    # One token per rendered quiz page: a replayed or double-clicked submission finds the same attempt.
    token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    correct_count = models.PositiveSmallIntegerField(_("correct count"))
    question_count = models.PositiveSmallIntegerField(_("question count"))
    score_percent = models.PositiveSmallIntegerField(_("score percent"))
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"))
    passed = models.BooleanField(_("passed"))
    # The language the quiz was taken in: the snapshot is in it, and the review shows it as it was taken.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    snapshot = models.JSONField(_("snapshot"))

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [models.Index(fields=["user", "quiz", "-submitted_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(score_percent__lte=100), name="attempt_score_at_most_100"),
            models.CheckConstraint(
                condition=Q(correct_count__lte=models.F("question_count")), name="attempt_correct_le_total"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.quiz} · {self.score_percent}%"


class AttemptAnswer(models.Model):
    """Per-question outcome of an attempt, kept queryable for statistics (what families get wrong)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, related_name="answers")
    is_correct = models.BooleanField(_("is correct"))

    class Meta:
        verbose_name = _("attempt answer")
        verbose_name_plural = _("attempt answers")
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")]
        indexes = [models.Index(fields=["question", "is_correct"])]

    def __str__(self):
        return f"{self.attempt_id} · question {self.question_id} · {'right' if self.is_correct else 'wrong'}"
