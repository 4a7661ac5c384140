import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import Course

from .languages import language_name


def new_join_code() -> str:
    # Short enough to read out at a front desk; no 0/O or 1/I/L to confuse.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class ClinicQuerySet(models.QuerySet):
    def for_staff(self, user):
        """Clinics whose pages this user may open: their own clinics; admins see every clinic."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(staff__user=user)

    def managed_by(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(staff__user=user, staff__role=StaffMembership.Role.MANAGER)

    def with_manager_flag(self, user):
        """Each clinic with `user_manages`: whether `user` may manage it (managed_by), read in the same query."""
        return self.annotate(
            user_manages=models.Exists(Clinic.objects.managed_by(user).filter(pk=models.OuterRef("pk")))
        )


RESERVED_SLUGS = {"join", "mine"}  # clinics/join/… and clinics/mine/ are pages of their own


def validate_clinic_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(value)s” is used by the site itself. Choose another web address for the clinic.") % {"value": value}
        )


def validate_one_line(value: str) -> None:
    # A clinic's name goes into email subjects, where a line break is refused (and was a 500).
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValidationError(_("Use a single line, without line breaks or tabs."))


class Clinic(models.Model):
    name = models.CharField(max_length=200, validators=[validate_one_line])
    slug = models.SlugField(
        unique=True,
        validators=[validate_clinic_slug],
        help_text=gettext_lazy("The clinic's web address: /clinics/<slug>/"),
    )
    contact_phone = models.CharField(max_length=40, blank=True, help_text=gettext_lazy("Shown to families."))
    after_hours_phone = models.CharField(
        gettext_lazy("after-hours line"), max_length=40, blank=True, help_text=gettext_lazy("Shown to families.")
    )
    courses = models.ManyToManyField(
        Course,
        related_name="clinics",
        blank=True,
        help_text=gettext_lazy("Courses families are enrolled in when they join."),
    )
    join_code = models.CharField(
        max_length=8, unique=True, default=new_join_code, help_text=gettext_lazy("Families can type this to join.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClinicQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("clinic")
        verbose_name_plural = gettext_lazy("clinics")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clinics:dashboard", args=[self.slug])

    def join_path(self):
        return reverse("clinics:join_link", args=[self.join_code])


class StaffMembership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", gettext_lazy("Manager (staff and settings)")
        STAFF = "staff", gettext_lazy("Staff (invite families, see reports)")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_staff_roles")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("staff membership")
        verbose_name_plural = gettext_lazy("staff memberships")
        constraints = [models.UniqueConstraint(fields=["clinic", "user"], name="one_staff_role_per_clinic")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.clinic}"


class FamilyMemberQuerySet(models.QuerySet):
    def for_staff(self, user):
        """Family members of the clinics this user works at."""
        return self.filter(clinic__in=Clinic.objects.for_staff(user))


class FamilyMember(models.Model):
    """A caregiver who agreed to share their progress with a clinic. Leaving deletes the row."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="families")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_memberships")
    invitation = models.OneToOneField(
        "Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="member"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    consented_at = models.DateTimeField()

    objects = FamilyMemberQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("family member")
        verbose_name_plural = gettext_lazy("family members")
        constraints = [models.UniqueConstraint(fields=["clinic", "user"], name="one_membership_per_clinic")]
        indexes = [models.Index(fields=["clinic", "joined_at"])]

    def __str__(self):
        return f"{self.user} at {self.clinic}"

    @property
    def language_name(self) -> str:
        """The person's site language (their emails and certificate use it), named in the page's language."""
        return language_name(self.user.language)


class InvitationQuerySet(models.QuerySet):
    def for_staff(self, user):
        return self.filter(clinic__in=Clinic.objects.for_staff(user))

    def pending(self):
        return self.filter(status=Invitation.Status.PENDING)

    def delivery_counts(self) -> dict[str, int]:
        """How many pending invitations are at each delivery step (the invitations page's progress line)."""
        counts = dict(self.pending().values_list("delivery").annotate(n=models.Count("pk")).order_by())
        return {key: counts.get(key, 0) for key in Invitation.Delivery.values}

    def due_delivery(self, *, now, stalled_after):
        """Pending invitations a worker should try now: failed ones whose pause is over, and queued ones waiting
        longer than `stalled_after` (their task was lost with a killed worker, or never ran)."""
        return self.pending().filter(
            Q(delivery=Invitation.Delivery.FAILED, next_attempt_at__lte=now)
            | Q(delivery=Invitation.Delivery.QUEUED, next_attempt_at__lte=now - stalled_after)
        )


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Pending")
        ACCEPTED = "accepted", gettext_lazy("Accepted")
        REVOKED = "revoked", gettext_lazy("Revoked")

    class Delivery(models.TextChoices):
        """Where its email is: the worker moves it from queued to sent, or to failed (retried) and given up."""

        QUEUED = "queued", gettext_lazy("Queued")
        SENT = "sent", gettext_lazy("Sent")
        FAILED = "failed", gettext_lazy("Failed")
        GIVEN_UP = "given_up", gettext_lazy("Given up")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    name = models.CharField(max_length=100, blank=True)
    # The invitation email, the join page and the consent text are in this language.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    send_count = models.PositiveSmallIntegerField(default=0)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Sending attempts since it was last queued.")
    last_error = models.CharField(max_length=300, blank=True, help_text="What the mail server said, if it failed.")
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("invitation")
        verbose_name_plural = gettext_lazy("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["delivery", "next_attempt_at"], name="invitation_delivery_due")]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "clinic", condition=Q(status="pending"), name="one_pending_invitation_per_email"
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.clinic} ({self.status})"

    @property
    def language_name(self) -> str:
        return language_name(self.language)


class AuditEvent(models.Model):
    """Who did what to personal data, and when: exports, invitations, staff role changes."""

    class Action(models.TextChoices):
        EXPORT_CSV = "export_csv", gettext_lazy("Exported a CSV report")
        INVITE = "invite", gettext_lazy("Invited families")
        RESEND = "resend", gettext_lazy("Resent an invitation")
        REVOKE = "revoke", gettext_lazy("Revoked an invitation")
        STAFF_ADD = "staff_add", gettext_lazy("Added a staff member")
        STAFF_ROLE = "staff_role", gettext_lazy("Changed a staff role")
        STAFF_REMOVE = "staff_remove", gettext_lazy("Removed a staff member")
        SETTINGS = "settings", gettext_lazy("Changed clinic settings")
        VIEW_MEMBER = "view_member", gettext_lazy("Viewed a family member's progress")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_email = models.EmailField()
    clinic = models.ForeignKey(Clinic, on_delete=models.SET_NULL, null=True, related_name="audit_events")
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("audit event")
        verbose_name_plural = gettext_lazy("audit events")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["clinic", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.get_action_display()}"


class PendingJoin(models.Model):
    """Someone agreed to join a clinic, then signed up: they join once their address is confirmed, in whichever
    browser they open the confirmation link (clinics.views.finish_join_on_confirmation). Kept with the account, not
    in the sign-up browser's session, which the other browser does not have."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_join")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user} → {self.clinic} (agreed {self.agreed_at:%Y-%m-%d})"
