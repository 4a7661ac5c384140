"""Which quiz fields are stored once per language (see courses/translation.py). Kinds, order, correct flags, the
pass mark and the draw are not: a question is the same question in every language, only its words differ."""

from modeltranslation.translator import TranslationOptions, register

from .models import Choice, Question, Quiz


@register(Quiz)
class QuizTranslation(TranslationOptions):
    fields = ("title", "intro", "source_checksum")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("scenario", "prompt")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("text", "explanation")
