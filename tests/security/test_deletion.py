"""Finding 5: deleting an account left the clinic's invitation (address, name, "accepted"), and staff still saw
it. After deletion no row of any model names the person: every text column of every model is searched."""

import json
import re

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models.functions import Cast
from django.test import Client
from django.urls import reverse

from clinics.models import AuditEvent, FamilyMember, Invitation
from courses.models import Certificate, Lesson

EMAIL = "quentin.zephyrine@example.com"
NAME = "Quentin Zephyrine"
PASSWORD = "a long and happy password 42"


def rows_naming(text: str) -> list[str]:
    """Every row, in every model, with `text` in any text or JSON column (sessions decoded)."""
    found = []
    for model in apps.get_models():
        if model is Session:
            for session in Session.objects.all():
                if text.lower() in json.dumps(session.get_decoded()).lower():
                    found.append(f"session {session.session_key}")
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                matches = model._default_manager.filter(**{f"{field.name}__icontains": text})
            elif isinstance(field, models.JSONField):
                matches = model._default_manager.annotate(_text=Cast(field.name, models.TextField())).filter(
                    _text__icontains=text
                )
            else:
                continue
            found += [f"{model._meta.label}.{field.name} #{pk}" for pk in matches.values_list("pk", flat=True)]
    return found


def test_deleting_an_account_leaves_no_row_naming_the_person(
    client, clinic, other_clinic, clinic_staff, make_staff, quiz_course, take_quiz, admin_user_with_2fa, staff_login
):
    # Invited by CSV with their name; signs up from the link with the invited address and joins.
    staff = Client()
    staff_login(staff, clinic_staff)
    upload = SimpleUploadedFile("families.csv", f"email,name\n{EMAIL},{NAME}\n".encode(), content_type="text/csv")
    staff.post(reverse("clinics:invite", args=[clinic.slug]), {"emails": "", "csv_file": upload})
    link = re.search(r"https?://[^/\s]+(/clinics/join/invite/[^\s]+/)", mail.outbox[-1].body).group(1)
    client.post(link, {"agree": "on"})
    client.post(
        reverse("account_signup"),
        {"display_name": NAME, "email": EMAIL, "password1": PASSWORD, "password2": PASSWORD},
    )
    client.get(reverse("clinics:join_continue"))
    member = FamilyMember.objects.select_related("user").get(clinic=clinic, user__email=EMAIL)
    person = member.user
    assert Invitation.objects.get(email=EMAIL).status == "accepted"

    # Progress, a certificate, a second signed-in browser, staff work at another clinic, an admin edit.
    lesson = Lesson.objects.in_course(quiz_course).in_reading_order().first()
    take_quiz(person, lesson.quiz)
    Certificate.objects.create(user=person, course=quiz_course, holder_name=NAME, course_title=quiz_course.title)
    Client().post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    from clinics.models import StaffMembership
    from clinics.services import invite_families, rows_from_text

    StaffMembership.objects.create(clinic=other_clinic, user=person, role="manager")
    invite_families(clinic=other_clinic, actor=person, rows=rows_from_text("someone@example.com"))
    assert AuditEvent.objects.filter(actor_email=EMAIL).exists()
    admin = Client()
    staff_login(admin, admin_user_with_2fa)
    assert admin.get(reverse("admin:accounts_user_change", args=[person.pk])).status_code == 200
    from django.contrib.admin.models import CHANGE, LogEntry

    # What admin writes when someone edits the person (its history keeps the object's name).
    LogEntry.objects.log_actions(user_id=admin_user_with_2fa.pk, queryset=[person], action_flag=CHANGE)
    assert rows_naming(EMAIL) and rows_naming(NAME)

    response = client.post(reverse("accounts:data"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    assert rows_naming(EMAIL) == []
    assert rows_naming(NAME) == []
    # Staff see no trace of them: not on the invitations page, not in the family list.
    for url in (reverse("clinics:invitations", args=[clinic.slug]), reverse("clinics:dashboard", args=[clinic.slug])):
        html = staff.get(url).content.decode()
        assert EMAIL not in html and NAME not in html
    # What the clinics keep is what they did, without the person: the audit entry of the invitation remains.
    assert AuditEvent.objects.filter(clinic=other_clinic, action="invite", actor_email="(deleted account)").exists()


def test_the_invitation_goes_even_when_the_person_joined_under_another_address(client, clinic, clinic_staff, caregiver):
    """An invitation accepted by someone signed in with a different address still names the invitee."""
    from clinics.services import invite_families, join_clinic, rows_from_text

    invite_families(clinic=clinic, actor=clinic_staff, rows=rows_from_text("first.address@example.com"))
    join_clinic(user=caregiver, clinic=clinic, invitation=Invitation.objects.get())
    from accounts.personal_data import delete_user

    delete_user(caregiver)
    assert not Invitation.objects.exists()
