import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import check_originality  # noqa: E402


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_system_checks_pass():
    call_command("check")


def test_originality_checker_catches_a_copied_run(tmp_path):
    seeds, content = tmp_path / "seeds", tmp_path / "content"
    seeds.mkdir(), content.mkdir()
    (seeds / "a.txt").write_text("the quick brown fox jumps over the lazy dog every single morning")
    (content / "ok.md").write_text("a fox jumped over a dog this morning, quickly and lazily")
    (content / "copy.md").write_text("Note: the quick brown fox jumps over the lazy dog every day.")
    assert list(check_originality.shared_runs(seeds, content)) == [str(content / "copy.md")]


def test_course_content_is_written_in_our_own_words():
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("the seed articles (../shared/seeds) are not beside this checkout")
    assert check_originality.shared_runs(seeds, settings.CONTENT_DIR) == {}


def test_the_default_cache_keeps_enough_entries_not_to_cull_rate_limits():
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches["default"]
    assert isinstance(cache, LocMemCache)  # the default set-up (no CACHE_URL)
    assert cache._max_entries >= 10_000  # Django's 300 would cull a busy worker's rate limits every few seconds
