"""Reads about the organization's data as a whole."""

from __future__ import annotations

from chapterhouse.organizations.demo_seal import guarded_models, has_growing_ids
from chapterhouse.organizations.models import DemoSeal


def rows_not_made_by_the_demo() -> dict[str, int]:
    """How many rows of each kind (by verbose plural name) `seed_demo` did not make; empty when
    the database is freshly migrated or holds only the demo."""
    seal = DemoSeal.objects.order_by("pk").last()
    made = seal.made if seal else {}
    foreign = {}
    for model in guarded_models():
        mark = made.get(model._meta.label_lower, {})
        if has_growing_ids(model):
            count = model._default_manager.filter(pk__gt=mark.get("max_pk", 0)).count()
        else:
            count = max(0, model._default_manager.count() - mark.get("count", 0))
        if count:
            foreign[str(model._meta.verbose_name_plural)] = count
    return foreign
