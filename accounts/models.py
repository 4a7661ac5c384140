from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    """Users sign in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: a caregiver, clinic staff or an admin.

    We hold no patient health information: no patient names, diagnoses or treatment dates.
    """

    class Relationship(models.TextChoices):
        PARTNER = "partner", _("Partner or spouse")
        PARENT = "parent", _("Parent")
        ADULT_CHILD = "adult_child", _("Adult child")
        SIBLING = "sibling", _("Sibling")
        FRIEND = "friend", _("Friend")
        OTHER = "other", _("Other")
        PREFER_NOT = "prefer_not", _("Prefer not to say")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("name"), max_length=100, blank=True, help_text=_("How we greet you and the name on your certificate.")
    )
    # Their emails, reminders and certificate use it; the language switch saves it (accounts.views.set_language).
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the site, your emails, reminders and certificate."),
    )
    relationship = models.CharField(
        _("your relationship to the person in treatment"),
        max_length=20,
        choices=Relationship.choices,
        default=Relationship.PREFER_NOT,
    )

    class ReminderRhythm(models.TextChoices):
        OFF = "off", _("No reminders")
        WEEKLY = "weekly", _("Once a week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        TREATMENT_WEEKLY = (
            "treatment_weekly",
            _("Treatment rhythm: twice a week for 4 weeks, weekly for 4, then weekly"),
        )
        TREATMENT_FORTNIGHTLY = (
            "treatment_fortnightly",
            _("Treatment rhythm: twice a week for 4 weeks, weekly for 4, then every two weeks"),
        )

    # Reminders are opt-in. The rhythm starts the day the learner chose it: we never ask for treatment dates.
    reminder_rhythm = models.CharField(
        _("course reminders"),
        max_length=24,
        choices=ReminderRhythm.choices,
        default=ReminderRhythm.OFF,
        help_text=_(
            "A short nudge while you have a lesson to finish. The treatment rhythm follows a typical course of "
            "ketamine or esketamine sessions, counted from the day you choose it; we never ask for dates."
        ),
    )
    reminder_weekdays = models.CharField(
        _("on these days"),
        max_length=7,
        blank=True,
        help_text=_(
            "Twice-a-week reminders use the first two days ticked, others the first; none ticked: the day "
            "you turned reminders on."
        ),
    )  # digits, Monday = 0
    reminders_started_on = models.DateField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email.split("@")[0]

    @property
    def wants_reminders(self) -> bool:
        return self.reminder_rhythm != self.ReminderRhythm.OFF


class Reminder(models.Model):
    """One reminder per learner per period of their rhythm: the unique row is what makes it at most one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reminders")
    period = models.CharField(max_length=40)  # accounts.reminders.reminder_period
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["user", "period"], name="one_reminder_per_period")]

    def __str__(self):
        return f"{self.user_id} {self.period}"
