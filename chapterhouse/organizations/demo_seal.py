"""Which rows `seed_demo` made (issue 10: demo data never touches real data).

A seeding ends by recording, for every model holding an organization's data, the highest id it
left (ids only grow: AUTOINCREMENT on SQLite, sequences on PostgreSQL), or the row count for
models with random ids. Any row above that mark, or any row at all in a database never seeded,
was made by someone else.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import Max

# Not an organization's data: the gazetteer's cache of places, the organization's settings row
# (created with defaults by the first page view of any install), the seal itself, and the
# chapters' stored month results (derived from attendance, which is guarded; rewritten whole
# whenever a chapter's attendance changes).
UNGUARDED = {"places.place", "organizations.organization", "organizations.demoseal",
             "meetings.chaptermonth"}


def guarded_models() -> list[type[models.Model]]:
    """Every model of Chapterhouse's own apps (members, chapters, meetings, polls, ...)."""
    return [model for model in apps.get_models()
            if model._meta.app_config.name.startswith("chapterhouse.")
            and model._meta.label_lower not in UNGUARDED]


def has_growing_ids(model: type[models.Model]) -> bool:
    return isinstance(model._meta.pk, models.AutoField | models.BigAutoField)


def current_marks() -> dict[str, dict[str, int]]:
    """The marks a seal records: per model, its highest id (or its row count)."""
    marks = {}
    for model in guarded_models():
        if has_growing_ids(model):
            highest = model._default_manager.aggregate(highest=Max("pk"))["highest"] or 0
            marks[model._meta.label_lower] = {"max_pk": highest}
        else:
            marks[model._meta.label_lower] = {"count": model._default_manager.count()}
    return marks
