from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

# About 150 words a part: the lesson asks for a plan short enough to fit on one page.
SECTION_MAX_LENGTH = 1000
SECTIONS = ("warning_signs", "coping", "distractions", "people_to_ask", "professionals", "safer_home", "what_matters")


class SafetyPlan(models.Model):
    """The safety plan of lesson 7.3, in the order the lesson gives. Private to its writer: no clinic, staff
    page or admin shows it. It holds no name of the person supported, no diagnosis and no treatment dates."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan")
    warning_signs = models.TextField(
        _("My warning signs"),
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text=_(
            "Thoughts, feelings or situations that tend to come before a crisis, such as “I stop answering "
            "my phone”. Please don't write diagnoses, medicines or treatment dates here."
        ),
    )
    coping = models.TextField(
        _("Things I can do on my own"),
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text=_("Small steps that help in a hard moment: a walk, a shower, music, prayer, slow breathing."),
    )
    distractions = models.TextField(
        _("People and places that take my mind off things"),
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text=_("A friend to text, a café, a park, a relative's kitchen."),
    )
    people_to_ask = models.TextField(
        _("People I can ask for help"),
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text=_("First names and phone numbers of people to talk to about how things really are."),
    )
    professionals = models.TextField(
        _("Professionals and crisis lines"),
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text=_(
            "Names and numbers of a therapist, the prescriber and the clinic's after-hours line. 988 and 911 "
            "are always printed on the plan."
        ),
    )
    safer_home = models.TextField(
        _("Making my surroundings safer"),
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text=_(
            "Steps that put time and distance between a crisis and anything that could cause harm: guns "
            "locked and unloaded or kept away from home for a while, medicines locked up."
        ),
    )
    what_matters = models.TextField(
        _("What matters most to me"),
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text=_("People, pets, plans or beliefs worth holding on to."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length(name), SECTION_MAX_LENGTH), name=f"safety_plan_{name}_length"
            )
            for name in SECTIONS
        ]

    def __str__(self):
        return f"Safety plan #{self.pk}"

    def sections(self) -> list[tuple[str, str]]:
        """(heading, text) in the lesson's order, for the page and the PDF."""
        return [(str(self._meta.get_field(name).verbose_name), getattr(self, name)) for name in SECTIONS]

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in SECTIONS)
