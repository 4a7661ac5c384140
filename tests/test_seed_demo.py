"""seed_demo at a tiny size: the demo data keeps the same invariants the site's own services keep."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from clinics.management.commands.seed_demo import DEMO_CLINIC_PREFIX, DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET
from clinics.models import Clinic, FamilyMember, Invitation, StaffMembership
from courses.models import Certificate, Course, Enrollment, Lesson, LessonProgress
from quizzes.models import Attempt, AttemptAnswer

CLINICS, FAMILIES = 2, 20


def seed(**options) -> str:
    out = StringIO()
    # The tests run with DEBUG off, as production does: seed_demo needs to be told this database is a test's.
    call_command("seed_demo", clinics=CLINICS, families=FAMILIES, seed=7, allow_production=True, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed()


def test_counts_and_accounts(seeded):
    assert "total" in seeded and DEMO_PASSWORD in seeded  # timings printed, password documented
    clinics = Clinic.objects.filter(slug__startswith=DEMO_CLINIC_PREFIX)
    assert clinics.count() == CLINICS
    course = Course.objects.get()  # loaded from content/ because the database had none
    for clinic in clinics:
        assert list(clinic.courses.all()) == [course]
        assert clinic.families.count() == FAMILIES
        roles = sorted(clinic.staff.values_list("role", flat=True))
        assert roles == [StaffMembership.Role.MANAGER, StaffMembership.Role.STAFF]
    users = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
    assert users.count() == CLINICS * (FAMILIES + 2)
    assert EmailAddress.objects.filter(user__in=users, verified=True, primary=True).count() == users.count()
    assert all(u.check_password(DEMO_PASSWORD) for u in users[:3])
    assert all(is_mfa_enabled(m.user) for m in StaffMembership.objects.select_related("user"))


def test_every_family_member_is_enrolled_and_consented(seeded):
    course = Course.objects.get()
    members = FamilyMember.objects.all()
    assert members.count() == CLINICS * FAMILIES
    assert not members.filter(consented_at__isnull=True).exists()
    enrolled = set(
        Enrollment.objects.filter(course=course, source=Enrollment.Source.CLINIC).values_list("user_id", flat=True)
    )
    assert set(members.values_list("user_id", flat=True)) <= enrolled


def test_completers_have_certificates_and_every_lesson(seeded):
    course = Course.objects.get()
    lesson_count = Lesson.objects.published().in_course(course).count()
    completed = Enrollment.objects.filter(completed_at__isnull=False)
    assert completed.exists()
    assert set(completed.values_list("user_id", flat=True)) == set(
        Certificate.objects.values_list("user_id", flat=True)
    )
    assert not completed.filter(final_passed_at__isnull=True).exists()
    done = LessonProgress.objects.filter(user__in=completed.values("user"), completed_at__isnull=False)
    per_user = done.values("user").annotate(n=Count("pk")).values_list("n", flat=True)
    assert set(per_user) == {lesson_count}


def test_attempts_have_answers_matching_their_score(seeded):
    attempts = Attempt.objects.annotate(
        answers_n=Count("answers"), right_n=Count("answers", filter=Q(answers__is_correct=True))
    )
    assert attempts.exists()
    for attempt in attempts:
        assert attempt.answers_n == attempt.question_count == len(attempt.snapshot["questions"])
        assert attempt.right_n == attempt.correct_count
        assert attempt.passed == (attempt.score_percent >= attempt.pass_mark)
    assert AttemptAnswer.objects.filter(is_correct=False).exists()  # some wrong answers, for "most missed"
    assert Attempt.objects.filter(passed=False).exists()
    assert not Attempt.objects.filter(submitted_at__gt=timezone.now()).exists()
    # A completed lesson's quiz was passed by that person.
    assert LessonProgress.objects.filter(completed_at__isnull=False).exists()
    for progress in LessonProgress.objects.filter(completed_at__isnull=False).select_related("lesson__quiz")[:50]:
        assert progress.quiz_passed_at is not None
        assert Attempt.objects.filter(user=progress.user_id, quiz=progress.lesson.quiz, passed=True).exists()


def test_a_realistic_spread(seeded):
    members = FamilyMember.objects.values("user_id")
    started = set(LessonProgress.objects.values_list("user_id", flat=True))
    assert 0 < len(started) < members.count()  # some have not started
    cutoff = timezone.now() - timedelta(days=14)
    inactive = Enrollment.objects.filter(completed_at__isnull=True, last_activity_at__lt=cutoff)
    assert inactive.exists()
    assert Invitation.objects.pending().exists()
    pending_emails = Invitation.objects.pending().values("email")
    assert not User.objects.filter(email__in=pending_emails).exists()  # pending means not joined yet


def test_refuses_to_run_twice_and_reset_replaces(seeded):
    names = list(User.objects.order_by("email").values_list("email", "display_name"))
    with pytest.raises(CommandError, match="--reset"):
        seed()
    seed(reset=True)
    assert list(User.objects.order_by("email").values_list("email", "display_name")) == names  # same seed, same people
    assert FamilyMember.objects.count() == CLINICS * FAMILIES
    assert Clinic.objects.count() == CLINICS


def test_clinic_dashboard_opens_for_a_demo_manager(seeded, client, staff_login):
    manager = StaffMembership.objects.filter(role=StaffMembership.Role.MANAGER).select_related("user", "clinic").first()
    staff_login(client, manager.user)
    response = client.get(f"/clinics/{manager.clinic.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert manager.clinic.name in html
    # the summary counts this clinic's demo families, and the table lists them
    assert f'<span class="d-block">Joined</span><strong class="h3 mb-0 d-block">{FAMILIES}</strong>' in html
    ours = FamilyMember.objects.filter(clinic=manager.clinic).values_list("user__email", flat=True)
    theirs = FamilyMember.objects.exclude(clinic=manager.clinic).values_list("user__email", flat=True)
    assert len(ours) == FAMILIES and theirs  # one page holds them all at this size
    assert all(email in html for email in ours)
    assert not any(email in html for email in theirs)


def test_a_demo_manager_signs_in_with_the_documented_password_and_authenticator_secret(seeded, client, totp_code):
    manager = StaffMembership.objects.filter(role=StaffMembership.Role.MANAGER).select_related("user", "clinic").first()
    assert client.get(f"/clinics/{manager.clinic.slug}/").status_code == 302  # not signed in yet
    response = client.post("/accounts/login/", {"login": manager.user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"  # the password alone is not enough
    response = client.post(response["Location"], {"code": totp_code(DEMO_TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get(f"/clinics/{manager.clinic.slug}/").status_code == 200
    assert manager.clinic.name in client.get(f"/clinics/{manager.clinic.slug}/").content.decode()
