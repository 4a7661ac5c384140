"""Every URL name × every role → the expected status. A new URL without a row here fails the suite.

GET: pages must never leak data to the wrong role. POST: every URL of our own apps (allauth's are allauth's),
posted empty as every role: actions refuse the wrong role before reading the form (302 to sign in, or 404 —
never 403, which would confirm another clinic's record exists), and nothing of the clinic changes unless the
role may change it. Staff whose session skipped the two-factor step reach no clinic page or action.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.reminders import unsubscribe_token
from clinics.models import AuditEvent, Clinic, FamilyMember, Invitation, StaffMembership
from clinics.services import invitation_token
from courses.models import Certificate, Lesson

ROLES = ["anonymous", "caregiver", "other_caregiver", "clinic_staff", "other_clinic_staff", "manager", "admin"]
A, C, OC, S, X, M, AD = ROLES  # short names for the table

# Columns follow ROLES: anonymous, caregiver, other caregiver, clinic staff, other clinic's staff, manager, admin.
PUBLIC = (200,) * 7
SIGNED_IN = (302, 200, 200, 200, 200, 200, 200)
OWNER_ONLY = (302, 200, 404, 404, 404, 404, 404)
CLINIC_STAFF = (302, 404, 404, 200, 404, 200, 200)
CLINIC_MANAGER = (302, 404, 404, 404, 404, 200, 200)
POST_ONLY_SIGNED_IN = (302, 405, 405, 405, 405, 405, 405)
ANONYMOUS_ONLY = (200, 302, 302, 302, 302, 302, 302)

EXPECTED = {
    "home": PUBLIC,
    "about": PUBLIC,
    "healthz": PUBLIC,
    "set_language": (405,) * 7,  # the language switch is a form (POST)
    "courses:course_list": PUBLIC,
    "courses:course_detail": PUBLIC,
    "courses:lesson_detail": PUBLIC,
    "certificate_verify_form": PUBLIC,
    "certificate_verify": PUBLIC,
    "courses:enroll": POST_ONLY_SIGNED_IN,
    "courses:complete_lesson": POST_ONLY_SIGNED_IN,
    "courses:continue": (302,) * 7,
    "courses:certificate": OWNER_ONLY,
    "courses:certificate_pdf": OWNER_ONLY,
    "quizzes:take": SIGNED_IN,
    "quizzes:attempt": OWNER_ONLY,
    "dashboard": SIGNED_IN,
    "accounts:profile": SIGNED_IN,
    "accounts:data": SIGNED_IN,
    "accounts:export": SIGNED_IN,
    # The signed link in every reminder: no sign-in, and the page never names whose reminders they are.
    "accounts:unsubscribe": PUBLIC,
    "clinics:list": (302, 200, 200, 302, 302, 302, 200),
    "clinics:mine": SIGNED_IN,
    "clinics:leave": POST_ONLY_SIGNED_IN,
    "clinics:join_code": PUBLIC,
    "clinics:join_link": PUBLIC,
    "clinics:join_invitation": PUBLIC,
    "clinics:join_continue": (302,) * 7,
    "clinics:dashboard": CLINIC_STAFF,
    "clinics:export": CLINIC_STAFF,
    "clinics:member": CLINIC_STAFF,
    "clinics:invite": CLINIC_STAFF,
    "clinics:invitations": CLINIC_STAFF,
    "clinics:flyer": CLINIC_STAFF,
    # POST-only actions refuse a GET before looking anything up, so the 405 reveals nothing.
    "clinics:invitation_action": (405,) * 7,
    "clinics:staff": CLINIC_MANAGER,
    "clinics:settings": CLINIC_MANAGER,
    "clinics:staff_action": (405,) * 7,
    # The caregiver toolkit. The plan's URLs name no person: each shows the signed-in person's own plan (staff
    # and admins get their own, empty one). Nobody in the matrix has a plan, so "delete" sends everyone back.
    "toolkit:safety_plan": SIGNED_IN,
    "toolkit:safety_plan_pdf": SIGNED_IN,
    "toolkit:safety_plan_delete": (302,) * 7,
    "toolkit:checklist": PUBLIC,
    "toolkit:checklist_pdf": PUBLIC,
    # django-allauth
    "account_login": ANONYMOUS_ONLY,
    "account_signup": ANONYMOUS_ONLY,
    "account_logout": (302, 200, 200, 200, 200, 200, 200),
    "account_change_password": SIGNED_IN,
    "account_set_password": (302,) * 7,
    "account_email": SIGNED_IN,
    "account_email_verification_sent": PUBLIC,
    "account_confirm_email": PUBLIC,
    "account_inactive": PUBLIC,
    "account_reauthenticate": SIGNED_IN,
    "account_request_login_code": ANONYMOUS_ONLY,
    "account_confirm_login_code": (302,) * 7,
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    "mfa_index": SIGNED_IN,
    "mfa_authenticate": (302,) * 7,
    "mfa_reauthenticate": (302, 302, 302, 200, 200, 200, 200),
    "mfa_activate_totp": (302, 302, 302, 302, 302, 302, 302),
    # Staff signed in with their code a moment ago, so allauth asks for no fresh re-authentication.
    "mfa_deactivate_totp": (302, 404, 404, 200, 200, 200, 200),
    # The fixtures' staff have an authenticator app but no recovery codes yet: allauth answers 404.
    "mfa_view_recovery_codes": (302, 404, 404, 404, 404, 404, 404),
    "mfa_generate_recovery_codes": (302, 302, 302, 200, 200, 200, 200),
    "mfa_download_recovery_codes": (302, 404, 404, 404, 404, 404, 404),
}


def url_names() -> list[str]:
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return sorted(set(walk(get_resolver().url_patterns)))


@pytest.fixture
def world(
    quiz_course,
    clinic,
    other_clinic,
    caregiver,
    other_caregiver,
    clinic_staff,
    other_staff,
    manager,
    admin_user_with_2fa,
    take_quiz,
):
    lesson = Lesson.objects.in_course(quiz_course).in_reading_order().first()
    attempt = take_quiz(caregiver, lesson.quiz)
    certificate = Certificate.objects.create(user=caregiver, course=quiz_course, holder_name="Casey", course_title="T")
    FamilyMember.objects.create(clinic=clinic, user=caregiver, consented_at=timezone.now())
    invitation = Invitation.objects.create(
        clinic=clinic, email="p@example.com", expires_at=timezone.now() + timezone.timedelta(days=3)
    )
    m = lesson.module
    args = {
        "courses:course_detail": [quiz_course.slug],
        "courses:lesson_detail": [quiz_course.slug, m.slug, lesson.slug],
        "courses:enroll": [quiz_course.slug],
        "courses:complete_lesson": [quiz_course.slug, m.slug, lesson.slug],
        "courses:continue": [quiz_course.slug],
        "courses:certificate": [certificate.code],
        "courses:certificate_pdf": [certificate.code],
        "certificate_verify": [certificate.code],
        "quizzes:take": [lesson.quiz.pk],
        "quizzes:attempt": [attempt.pk],
        "clinics:leave": [clinic.slug],
        "clinics:join_link": [clinic.join_code],
        "clinics:join_invitation": [invitation_token(invitation)],
        "clinics:member": [clinic.slug, caregiver.pk],
        "clinics:invitation_action": [clinic.slug, invitation.pk, "resend"],
        "clinics:staff_action": [clinic.slug, StaffMembership.objects.get(user=clinic_staff).pk],
        "accounts:unsubscribe": [unsubscribe_token(caregiver)],
        "account_confirm_email": ["not-a-key"],
        "account_reset_password_from_key": ["zz", "set-password"],
    }
    for name in ("dashboard", "export", "invite", "invitations", "flyer", "staff", "settings"):
        args[f"clinics:{name}"] = [clinic.slug]
    users = {C: caregiver, OC: other_caregiver, S: clinic_staff, X: other_staff, M: manager, AD: admin_user_with_2fa}
    return {"args": args, "users": users}


def test_every_url_has_expected_statuses():
    missing = [name for name in url_names() if name not in EXPECTED]
    assert not missing, f"add these URL names to the permission matrix: {missing}"
    stale = [name for name in EXPECTED if name not in url_names()]
    assert not stale, f"these matrix rows name no URL: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role, staff_login):
    if role != A:
        staff_login(client, world["users"][role])
    column = ROLES.index(role)
    failures = []
    for name in url_names():
        url = reverse(name, args=world["args"].get(name, []))
        status = client.get(url).status_code
        if status != EXPECTED[name][column]:
            failures.append(f"{name} ({url}): got {status}, expected {EXPECTED[name][column]}")
    assert not failures, f"{role}:\n" + "\n".join(failures)


# --- POST -----------------------------------------------------------------------------------------------------

POST_EXPECTED = {
    # Public pages answer a POST as a GET; the CSRF check (off in the test client) refuses forged ones.
    "home": PUBLIC,
    "about": PUBLIC,
    "healthz": (405,) * 7,
    "set_language": (302,) * 7,  # anyone may switch; back to the page (or home)
    "courses:course_list": PUBLIC,
    "courses:course_detail": PUBLIC,
    "courses:lesson_detail": PUBLIC,
    "certificate_verify_form": PUBLIC,
    "certificate_verify": PUBLIC,
    # Actions: signed in (any learner may enrol themselves or mark their own lesson read), then the redirect.
    "courses:enroll": (302,) * 7,
    "courses:complete_lesson": (302,) * 7,
    "courses:continue": (302,) * 7,
    "quizzes:take": SIGNED_IN,  # an empty answer sheet: the form's errors
    "courses:certificate": OWNER_ONLY,
    "courses:certificate_pdf": OWNER_ONLY,
    "quizzes:attempt": OWNER_ONLY,
    "dashboard": SIGNED_IN,
    "accounts:profile": SIGNED_IN,  # form errors: a name is required
    "accounts:data": SIGNED_IN,  # form errors: password and confirmation required, nothing deleted
    "accounts:export": SIGNED_IN,
    "accounts:unsubscribe": PUBLIC,  # one click (RFC 8058): the link's owner's reminders stop, whoever posts it
    "clinics:list": (302, 200, 200, 302, 302, 302, 200),
    "clinics:mine": SIGNED_IN,
    "clinics:leave": (302, 302, 404, 404, 404, 404, 404),  # only the caregiver is a member
    "clinics:join_code": PUBLIC,
    "clinics:join_link": PUBLIC,  # consent not given: the form asks again
    # 410 for the roles whose POST to invitation_action (earlier in the run) resent it: the old link stops working.
    "clinics:join_invitation": (200, 200, 200, 410, 200, 410, 410),
    "clinics:join_continue": (302,) * 7,
    "clinics:dashboard": CLINIC_STAFF,
    "clinics:export": CLINIC_STAFF,
    "clinics:member": CLINIC_STAFF,
    "clinics:invite": CLINIC_STAFF,  # form error: no addresses
    "clinics:invitations": CLINIC_STAFF,
    "clinics:flyer": CLINIC_STAFF,
    "clinics:invitation_action": (302, 404, 404, 302, 404, 302, 302),  # resent
    "clinics:staff": CLINIC_MANAGER,  # form error: no address
    "clinics:staff_action": (302, 404, 404, 404, 404, 302, 302),  # "choose a role", nothing changed
    "clinics:settings": CLINIC_MANAGER,  # form error: a name is required
    # The caregiver toolkit: each person's own plan (never another's: the URLs name no one).
    "toolkit:safety_plan": SIGNED_IN,  # an empty plan: the form asks for something
    "toolkit:safety_plan_pdf": SIGNED_IN,
    "toolkit:safety_plan_delete": (302,) * 7,
    "toolkit:checklist": PUBLIC,
    "toolkit:checklist_pdf": PUBLIC,
}
ALLAUTH = ("account_", "mfa_")
MAY_CHANGE_THE_CLINIC = {"clinic_staff", "manager", "admin", "caregiver"}  # the caregiver leaves it


def our_url_names() -> list[str]:
    return [name for name in url_names() if not name.startswith(ALLAUTH)]


def clinic_state(clinic) -> tuple:
    """Everything an action on Calm Waters could change."""
    return (
        Clinic.objects.filter(pk=clinic.pk).values_list("name", "contact_phone", "after_hours_phone").get(),
        sorted(Invitation.objects.filter(clinic=clinic).values_list("pk", "status", "send_count")),
        sorted(StaffMembership.objects.filter(clinic=clinic).values_list("user_id", "role")),
        sorted(FamilyMember.objects.filter(clinic=clinic).values_list("user_id", flat=True)),
        AuditEvent.objects.filter(clinic=clinic).count(),
    )


def test_every_url_of_ours_has_expected_post_statuses():
    missing = [name for name in our_url_names() if name not in POST_EXPECTED]
    assert not missing, f"add these URL names to POST_EXPECTED: {missing}"
    assert not [name for name in POST_EXPECTED if name not in url_names()]


@pytest.mark.parametrize("role", ROLES)
def test_post_matrix(client, world, role, clinic, staff_login):
    if role != A:
        staff_login(client, world["users"][role])
    column = ROLES.index(role)
    before = clinic_state(clinic)
    failures = []
    for name in our_url_names():
        url = reverse(name, args=world["args"].get(name, []))
        response = client.post(url)
        if response.status_code != POST_EXPECTED[name][column]:
            failures.append(f"{name} ({url}): got {response.status_code}, expected {POST_EXPECTED[name][column]}")
        elif (
            role == A
            and response.status_code == 302
            and name not in ("courses:continue", "clinics:join_continue", "set_language")
            and not response["Location"].startswith(reverse("account_login"))
        ):
            failures.append(f"{name}: anonymous sent to {response['Location']}, not to sign in")
    assert not failures, f"{role}:\n" + "\n".join(failures)
    if role not in MAY_CHANGE_THE_CLINIC:
        assert clinic_state(clinic) == before, f"{role} changed the clinic"
    if role == C:  # only their own membership went
        assert clinic_state(clinic)[:3] == before[:3] and clinic_state(clinic)[3] == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_who_skipped_the_code_reach_no_clinic_page_or_action(client, world, clinic, method):
    """A session with the password alone (what /admin/login/ used to open) of staff and an admin with
    two-factor set up: every clinic page and action sends them to enter their code, and nothing changes."""
    before = clinic_state(clinic)
    for role in (S, M, AD):
        client.force_login(world["users"][role])
        for name in our_url_names():
            if not name.startswith("clinics:") or POST_EXPECTED[name][ROLES.index(S)] == 404 and role == S:
                continue
            if name in ("clinics:list", "clinics:mine", "clinics:leave") or name.startswith("clinics:join"):
                continue  # a caregiver's pages
            url = reverse(name, args=world["args"].get(name, []))
            response = getattr(client, method)(url)
            if response.status_code == 405:  # a POST-only action asked with GET: refused before anything
                continue
            assert response.status_code == 302, f"{role} {method} {name}: {response.status_code}"
            assert response["Location"].startswith(reverse("mfa_reauthenticate")), f"{role} {name}"
        assert clinic_state(clinic) == before
