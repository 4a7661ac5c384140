from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

# About 150 words a part: the lesson asks for a plan short enough to fit on one page.
SECTION_MAX_LENGTH = 1000
NO_HEALTH_DETAILS = "Please don't write diagnoses, medicines or treatment dates here."
SECTIONS = ("warning_signs", "coping", "distractions", "people_to_ask", "professionals", "safer_home", "what_matters")


class SafetyPlan(models.Model):
    """The safety plan of lesson 7.3, in the order the lesson gives. Private to its writer: no clinic, staff
    page or admin shows it. It holds no name of the person supported, no diagnosis and no treatment dates."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan")
    warning_signs = models.TextField(
        "My warning signs",
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text="Thoughts, feelings or situations that tend to come before a crisis, such as “I stop answering "
        "my phone”. " + NO_HEALTH_DETAILS,
    )
    coping = models.TextField(
        "Things I can do on my own",
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text="Small steps that help in a hard moment: a walk, a shower, music, prayer, slow breathing.",
    )
    distractions = models.TextField(
        "People and places that take my mind off things",
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text="A friend to text, a café, a park, a relative's kitchen.",
    )
    people_to_ask = models.TextField(
        "People I can ask for help",
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text="First names and phone numbers of people to talk to about how things really are.",
    )
    professionals = models.TextField(
        "Professionals and crisis lines",
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text="Names and numbers of a therapist, the prescriber and the clinic's after-hours line. 988 and 911 "
        "are always printed on the plan.",
    )
    safer_home = models.TextField(
        "Making my surroundings safer",
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text="Steps that put time and distance between a crisis and anything that could cause harm: guns "
        "locked and unloaded or kept away from home for a while, medicines locked up.",
    )
    what_matters = models.TextField(
        "What matters most to me",
        max_length=SECTION_MAX_LENGTH,
        blank=True,
        help_text="People, pets, plans or beliefs worth holding on to.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
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
