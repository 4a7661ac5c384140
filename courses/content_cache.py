"""Course content forgets the cached course structure (config/caches.py) whenever it changes."""

from __future__ import annotations

from django.db import models
from django.db.models.signals import post_delete, post_migrate, post_save

from config.caches import forget_course_content


class ContentQuerySet(models.QuerySet):
    """The queryset of every course-content model. Bulk writes send no save signals, so update() and
    bulk_create() forget the cached structure themselves (the admin's publish actions, scripts)."""

    def update(self, **kwargs):
        count = super().update(**kwargs)
        forget_course_content()
        return count

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        forget_course_content()
        return created


def connect_content_signals(*content_models) -> None:
    """Saves and deletes of these models forget the structure; so does `migrate` (data migrations use historical
    models, whose plain managers and signals would not)."""
    for model in content_models:
        label = model._meta.label
        post_save.connect(forget_course_content, sender=model, dispatch_uid=f"forget_content_save_{label}")
        post_delete.connect(forget_course_content, sender=model, dispatch_uid=f"forget_content_delete_{label}")
    post_migrate.connect(forget_course_content, dispatch_uid="forget_content_after_migrate")
