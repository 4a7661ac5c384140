"""The certificate PDF prints every name its shipped fonts cover, says its language and title, and is tagged."""

import re

from django.urls import reverse

from courses.models import Certificate

NAME = "Zoë Ñandú Łukasz 王小明 محمد 🌻"


def pdf_for(client, user, course, name):
    certificate = Certificate.objects.create(user=user, course=course, holder_name=name, course_title=course.title)
    client.force_login(user)
    response = client.get(reverse("courses:certificate_pdf", args=[certificate.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_a_name_in_many_scripts_prints_with_the_shipped_fonts(client, caregiver, small_course):
    pdf = pdf_for(client, caregiver, small_course, NAME)
    # one embedded font per script family used: DejaVu (Latin, Arabic), Droid Sans Fallback (Chinese), Symbola (🌻)
    fonts = set(re.findall(rb"/BaseFont /[A-Z]{6}\+(\w+)", pdf))
    assert {b"DejaVuSansBold", b"DroidSansFallback", b"Symbola"} <= fonts, fonts


def test_the_pdf_is_tagged_with_its_language_and_title(client, caregiver, small_course):
    pdf = pdf_for(client, caregiver, small_course, "Casey")
    assert b"/Lang (en)" in pdf or b"/Lang <" in pdf
    assert b"/MarkInfo" in pdf and b"/StructTreeRoot" in pdf
    assert b"/S /H1" in pdf and pdf.count(b"/S /P") >= 6 and b"/S /Figure" in pdf
    assert b"/DisplayDocTitle true" in pdf


def test_the_certificate_page_looks_like_one(client, caregiver, small_course):
    certificate = Certificate.objects.create(
        user=caregiver, course=small_course, holder_name=NAME, course_title=small_course.title
    )
    client.force_login(caregiver)
    html = client.get(certificate.get_absolute_url()).content.decode()
    assert 'class="certificate my-4"' in html and NAME in html and "Download PDF" in html
