from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower


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
        PARTNER = "partner", "Partner or spouse"
        PARENT = "parent", "Parent"
        ADULT_CHILD = "adult_child", "Adult child"
        SIBLING = "sibling", "Sibling"
        FRIEND = "friend", "Friend"
        OTHER = "other", "Other"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        "name", max_length=100, blank=True, help_text="How we greet you and the name on your certificate."
    )
    relationship = models.CharField(
        "your relationship to the person in treatment",
        max_length=20,
        choices=Relationship.choices,
        default=Relationship.PREFER_NOT,
    )
    course_reminders = models.BooleanField(
        "send me course reminders by email",
        default=True,
        help_text="An occasional nudge when you have a lesson to finish.",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email.split("@")[0]
