"""Page weight of learner pages, in bytes (deterministic, not timed).

First visit: the HTML plus every stylesheet, script and icon it links, as served in production (hashed names,
brotli from WhiteNoise). Repeat visit: assets are cached for a year under hashed names, so only the HTML moves.
HTML is counted as served: gzip-compressed by Django's GZipMiddleware (raw size printed too).
"""

import gzip
import re

import pytest
from django.test import Client
from django.utils.html import escape

from courses.models import Lesson

FIRST_VISIT_BUDGET = 100 * 1024
REPEAT_VISIT_BUDGET = 20 * 1024


@pytest.fixture
def production_static(tmp_path, settings):
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path


def weigh(client, url, shows: str):
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip", "HTML is served compressed"
    html_gz = len(response.content)
    html = gzip.decompress(response.content)
    # the page itself, not an error page or a redirect that would weigh next to nothing
    assert response.status_code == 200, url
    assert escape(shows).encode() in html, f"{url} does not show {shows!r}"
    assets = set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', html))
    asset_bytes = 0
    for asset in assets:
        response = client.get(asset.decode(), headers={"accept-encoding": "br, gzip"})
        assert response.status_code == 200, asset
        asset_bytes += len(b"".join(response.streaming_content))
    return {
        "html_raw": len(html),
        "html_gzip": html_gz,
        "assets": asset_bytes,
        "first": html_gz + asset_bytes,
        "repeat": html_gz,
    }


def test_learner_pages_are_light(production_static, real_course, caregiver):
    client = Client()
    client.force_login(caregiver)
    lesson = Lesson.objects.get(slug="recognising-warning-signs")  # one of the longest lessons
    pages = {
        "home": ("/", "Start the free course"),
        "course": (real_course.get_absolute_url(), real_course.title),
        "lesson": (lesson.get_absolute_url(), lesson.title),
        "quiz": (f"/quizzes/{lesson.quiz.pk}/", lesson.quiz.title),
        "final assessment": (f"/quizzes/{real_course.final_assessment.pk}/", real_course.final_assessment.title),
        "dashboard": ("/my-learning/", "My learning"),
    }
    weights = {name: weigh(client, url, shows) for name, (url, shows) in pages.items()}
    for name, w in weights.items():
        print(
            f"{name:17} first visit {w['first'] / 1024:6.1f} KB (HTML {w['html_gzip'] / 1024:.1f} KB gzip, "
            f"{w['html_raw'] / 1024:.1f} KB raw; assets {w['assets'] / 1024:.1f} KB)   repeat {w['repeat'] / 1024:.1f} KB"
        )
    assert all(w["first"] < FIRST_VISIT_BUDGET for w in weights.values()), weights
    assert all(w["repeat"] < REPEAT_VISIT_BUDGET for w in weights.values()), weights
    assert all(w["assets"] > 10 * 1024 for w in weights.values()), "Bootstrap must be counted"
