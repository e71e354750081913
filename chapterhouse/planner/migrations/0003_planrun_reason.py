"""A run's message and its result's prose become reason codes (issue 11): the page words them in
the reader's language. Prose stored before this reads back as the codes it came from; a sentence
this does not recognise (an error's own text) is kept as it was. The old column goes in 0004 (its
own transaction: PostgreSQL refuses to alter a table with row updates pending in the same one)."""

import re
from typing import Any

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

Patterns = list[tuple[re.Pattern[str], str, dict[str, type]]]

# The English the planner wrote before the codes, and the codes it meant.
RUN_MESSAGES: Patterns = [
    (re.compile(r"Reading members\Z"), "planner.run.reading", {}),
    (re.compile(r"Grouping members: (?P<places>[\d,]+) places looked at\Z"),
     "planner.run.grouping", {"places": int}),
    (re.compile(r"The worker running this plan stopped before it finished "
                r"\((?P<attempts>\d+) attempts\)\.\Z"),
     "planner.run.worker_stopped", {"attempts": int}),
    (re.compile(r"The worker stopped; trying again \(attempt (?P<next>\d+) of (?P<max>\d+)\)\.\Z"),
     "planner.run.retrying", {"next": int, "max": int}),
]
SPLIT_REASONS: Patterns = [
    (re.compile(r"only (?P<valid>\d+) of (?P<groups>\d+) groups reach (?P<size>\d+) members "
                r"with (?P<percent>\d+)% women\Z"),
     "planner.split.too_few_groups", {"valid": int, "groups": int, "size": int, "percent": int}),
    (re.compile(r"(?P<centre>.+): (?P<members>\d+) members within (?P<km>[\d.e+-]+) km, "
                r"(?P<women>\d+) of them women\Z"),
     "planner.split.centre_short", {"centre": str, "members": int, "km": float, "women": int}),
    (re.compile(r"(?P<n>\d+) members are in no sub-chapter \(beyond reach, or needed nowhere "
                r"without breaking the rule\)\Z"),
     "planner.split.unplaced", {"n": int}),
    (re.compile(r"no members of chapter '(?P<chapter>.*)' in the file\Z"),
     "planner.split.no_members", {"chapter": str}),
]
WHY = {"no organizer within reach": "planner.unreached.out_of_reach",
       "organizers within reach have no time left": "planner.unreached.no_time"}


def _code(text: str, patterns: Patterns, fallback: str, key: str) -> dict[str, Any]:
    for pattern, code, kinds in patterns:
        match = pattern.match(text)
        if match:
            params = {name: kind(match[name].replace(",", "")) if kind is int else kind(match[name])
                      for name, kind in kinds.items()}
            return {"code": code, "params": params}
    return {"code": fallback, "params": {key: text}}


def to_codes(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    PlanRun = apps.get_model("planner", "PlanRun")
    for run in PlanRun.objects.all().iterator():
        fields = []
        if run.message:
            run.reason = _code(run.message, RUN_MESSAGES, "planner.run.error", "error")
            fields.append("reason")
        result = run.result
        if isinstance(result, dict):
            for row in result.get("unreached", []):
                if isinstance(row.get("why"), str):
                    row["why"] = ({"code": WHY[row["why"]], "params": {}} if row["why"] in WHY
                                  else {"code": "planner.legacy", "params": {"text": row["why"]}})
            for split in result.get("splits", []):
                split["reasons"] = [
                    _code(r, SPLIT_REASONS, "planner.legacy", "text") if isinstance(r, str) else r
                    for r in split.get("reasons", [])]
            fields.append("result")
        if fields:
            run.save(update_fields=fields)


def to_prose(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Back to English, through the same words the pages use."""
    from django.utils import translation

    from chapterhouse.core.reasons import explain_english

    PlanRun = apps.get_model("planner", "PlanRun")
    with translation.override("en"):
        for run in PlanRun.objects.all().iterator():
            run.message = explain_english(run.reason)[:300] if run.reason else ""
            result = run.result
            if isinstance(result, dict):
                for row in result.get("unreached", []):
                    if isinstance(row.get("why"), dict):
                        row["why"] = explain_english(row["why"])
                for split in result.get("splits", []):
                    split["reasons"] = [explain_english(r) if isinstance(r, dict) else r
                                        for r in split.get("reasons", [])]
            run.save(update_fields=["message", "result"])


class Migration(migrations.Migration):

    dependencies = [
        ("planner", "0002_planrun_lease"),
    ]

    operations = [
        migrations.AddField(
            model_name="planrun",
            name="reason",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.RunPython(to_codes, to_prose),
    ]
