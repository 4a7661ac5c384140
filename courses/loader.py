"""Load course files into the database without trampling admins' edits.

Each object remembers the checksum of what the loader last wrote (`source_checksum`). When its current
content no longer matches that checksum, an admin has edited it, and the loader keeps the edit unless
forced. Publication is set only when an object is created: after that it is the admins' switch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from .content_files import CourseSpec
from .models import Course, Lesson, Module


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.kept)} kept because an admin edited them"
        )


def sync_object(
    model: type[models.Model],
    lookup: dict,
    fields: dict,
    *,
    published: bool,
    force: bool,
    report: LoadReport,
    label: str,
) -> models.Model:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **fields, published=published)
        obj.source_checksum = obj.content_checksum()
        obj.save()
        report.created.append(label)
        return obj
    current = obj.content_checksum()
    if obj.source_checksum and current != obj.source_checksum and not force:
        report.kept.append(label)
        return obj
    for name, value in fields.items():
        setattr(obj, name, value)
    new_checksum = obj.content_checksum()
    if new_checksum == current == obj.source_checksum:
        report.unchanged.append(label)
        return obj
    obj.source_checksum = new_checksum
    obj.save()
    report.updated.append(label)
    return obj


def sync_course(spec: CourseSpec, *, force: bool, report: LoadReport) -> tuple[Course, dict[str, Lesson]]:
    """Create or update a course, its modules and lessons. Returns the course and its lessons by slug."""
    course = sync_object(
        Course,
        {"slug": spec.slug},
        {"title": spec.title, "summary": spec.summary, "description": spec.description, "order": spec.order},
        published=spec.published,
        force=force,
        report=report,
        label=f"course {spec.slug}",
    )
    lessons = {}
    for module_spec in spec.modules:
        module = sync_object(
            Module,
            {"course": course, "slug": module_spec.slug},
            {"title": module_spec.title, "summary": module_spec.summary, "order": module_spec.order},
            published=module_spec.published,
            force=force,
            report=report,
            label=f"module {module_spec.slug}",
        )
        for lesson_spec in module_spec.lessons:
            lessons[lesson_spec.slug] = sync_object(
                Lesson,
                {"module": module, "slug": lesson_spec.slug},
                {
                    "title": lesson_spec.title,
                    "summary": lesson_spec.summary,
                    "body": lesson_spec.body,
                    "minutes": lesson_spec.minutes,
                    "sources": "\n".join(lesson_spec.sources),
                    "order": lesson_spec.order,
                },
                published=lesson_spec.published,
                force=force,
                report=report,
                label=f"lesson {lesson_spec.slug}",
            )
    return course, lessons
