import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from courses.content_cache import ContentQuerySet
from courses.models import Course, Lesson, checksum, visible_course, visible_lesson

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
        help_text="Set only for a course's final assessment.",
    )
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    pass_mark = models.PositiveSmallIntegerField("pass mark (%)", default=80)
    draw = models.PositiveSmallIntegerField(
        "questions per attempt",
        null=True,
        blank=True,
        help_text="Final assessment only: draw this many questions at random for each attempt. Empty: ask them all.",
    )
    source_checksum = models.CharField(max_length=64, blank=True, editable=False)

    objects = QuizQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(
                condition=(Q(lesson__isnull=False, course__isnull=True) | Q(lesson__isnull=True, course__isnull=False)),
                name="quiz_belongs_to_lesson_or_course",
                violation_error_message="A quiz belongs to either a lesson or a course (final assessment), not both.",
            ),
            models.CheckConstraint(condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="quiz_pass_mark_1_to_100"),
            models.CheckConstraint(
                condition=Q(draw__isnull=True) | Q(course__isnull=False, draw__gte=1),
                name="quiz_draw_only_for_final_assessment",
                violation_error_message="Only a final assessment draws questions at random.",
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

    def content_checksum(self) -> str:
        questions = [
            (
                q.kind,
                q.prompt,
                q.scenario,
                q.order,
                q.covers_lesson_id,
                [(c.text, c.is_correct, c.explanation, c.order) for c in q.choices.all()],
            )
            for q in self.questions.all()
        ]
        return checksum(self.title, self.intro, self.pass_mark, self.draw, questions)


class Question(models.Model):
    # The kinds and their rules live in quizzes.rules; this binds them to the database column.
    Kind = models.TextChoices(
        "Kind", [(value.upper(), (value, label)) for value, label in rules.QUESTION_KINDS.items()]
    )

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    scenario = models.TextField(blank=True, help_text="For scenario questions: the short story the question is about.")
    prompt = models.TextField()
    order = models.PositiveIntegerField(default=0)
    covers_lesson = models.ForeignKey(
        Lesson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bank_questions",
        help_text="Final assessment only: the lesson this question tests.",
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["quiz", "order", "pk"]

    def __str__(self):
        return self.prompt[:80]

    @property
    def allows_many(self) -> bool:
        return self.kind == self.Kind.MULTIPLE


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    explanation = models.TextField(help_text="Shown after the attempt: why this choice is right or wrong.")
    order = models.PositiveIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["question", "order", "pk"]

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
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    # One token per rendered quiz page: a replayed or double-clicked submission finds the same attempt.
    token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    submitted_at = models.DateTimeField(auto_now_add=True)
    correct_count = models.PositiveSmallIntegerField()
    question_count = models.PositiveSmallIntegerField()
    score_percent = models.PositiveSmallIntegerField()
    pass_mark = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    snapshot = models.JSONField()

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
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
    is_correct = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")]
        indexes = [models.Index(fields=["question", "is_correct"])]

    def __str__(self):
        return f"{self.attempt_id} · question {self.question_id} · {'right' if self.is_correct else 'wrong'}"
