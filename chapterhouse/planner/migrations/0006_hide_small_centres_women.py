"""A split's reason `planner.split.centre_short` said the women within a centre's reach even for
fewer people than the rule's minimum (or when all or none were women), which names genders
(domain/disclosure.py). The engine now says `planner.split.centre_short_hidden` then, without
the figure; this rewrites the reasons and the parts' `reach_women` stored before, in the run's
result and in its page, with the run's own minimum size. Nothing to undo: going back keeps the
hidden figures hidden (the old code reads the new reason's code as any other)."""

from typing import Any

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SHORT = "planner.split.centre_short"
HIDDEN = "planner.split.centre_short_hidden"


def _said(members: int, women: int, minimum: int) -> bool:
    """disclosure.women_figure's count is shown (frozen here, as a migration must be)."""
    return members >= max(1, minimum) and 0 < women < members


def _hide(split: dict[str, Any], minimum: int) -> bool:
    changed = False
    reasons = split.get("reasons")
    for i, r in enumerate(reasons if isinstance(reasons, list) else []):
        if not isinstance(r, dict) or r.get("code") != SHORT or \
                not isinstance(r.get("params"), dict):
            continue
        params = r["params"]
        if "women" in params and not _said(int(params["members"]), int(params["women"]),
                                           minimum):
            reasons[i] = {"code": HIDDEN, "params": {k: v for k, v in params.items()
                                                     if k != "women"}}
            changed = True
    for part in split.get("parts", []) or []:
        if isinstance(part, dict) and part.get("reach_women") is not None and not _said(
                int(part.get("reach", 0)), int(part["reach_women"]), minimum):
            part["reach_women"] = None
            changed = True
    return changed


def hide_small_centres_women(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    PlanRun = apps.get_model("planner", "PlanRun")
    runs = PlanRun.objects.only("pk", "min_size", "result", "page")
    for run in runs.iterator(chunk_size=20):
        fields = []
        for name in ("result", "page"):
            data = getattr(run, name)
            splits = data.get("splits") if isinstance(data, dict) else None
            if isinstance(splits, list) and any(
                    [_hide(s, run.min_size) for s in splits if isinstance(s, dict)]):
                fields.append(name)
        if fields:
            run.save(update_fields=fields)


class Migration(migrations.Migration):

    dependencies = [
        ("planner", "0005_planrun_page_and_candidates"),
    ]

    operations = [
        migrations.RunPython(hide_small_centres_women, migrations.RunPython.noop),
    ]
