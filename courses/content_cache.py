"""The published course structure, read from the cache on the hot pages.

Lessons, modules and quizzes change only when an admin edits them, yet every lesson page needs the lesson and
the course's reading order: two of its heaviest queries. Entries are keyed by a content version that every
save or delete of course content replaces (`content_changed`), so an edit shows at once wherever the cache
is shared (Redis in production). With the per-process local-memory cache, other worker processes keep their
copy for at most CONTENT_CACHE_SECONDS.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import models

CONTENT_CACHE_SECONDS = 60
VERSION_KEY = "courses:content-version"

T = TypeVar("T")


def content_changed(**_signal_kwargs) -> None:
    """Forget every cached piece of course structure (a signal receiver, also called after bulk updates)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def cached_content(name: str, build: Callable[[], T]) -> T:
    """`build()`'s result for the current content version, built once per version and worker."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, None):  # another process set it first
            version = cache.get(VERSION_KEY, version)
    key = f"courses:content:{version}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CONTENT_CACHE_SECONDS)
    return value


class ContentQuerySet(models.QuerySet):
    """The queryset of every course-content model: bulk writes send no save signals, so they forget the
    cached structure themselves (the admin's publish actions, scripts, data migrations)."""

    def update(self, **kwargs):
        count = super().update(**kwargs)
        content_changed()
        return count

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        content_changed()
        return created


def connect_content_signals(*content_models) -> None:
    from django.db.models.signals import post_delete, post_save

    for model in content_models:
        post_save.connect(content_changed, sender=model, dispatch_uid=f"content_changed_save_{model._meta.label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"content_changed_delete_{model._meta.label}")
