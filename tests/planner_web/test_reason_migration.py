"""Migrations 0003-0004: a run's message and its result's prose, stored in English before the
reason codes, read back as the codes they came from; text never ours is kept as it was."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from chapterhouse.core.reasons import explain_english

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("planner", "0002_planrun_lease")]
AFTER = [("planner", "0004_remove_planrun_message")]
SPLIT_PROSE = [
    "only 1 of 3 groups reach 5 members with 30% women",
    "Staten Island: 3 members within 8 km, 2 of them women",
    "12 members are in no sub-chapter (beyond reach, or needed nowhere without breaking the "
    "rule)",
    "no members of chapter 'NYC' in the file",
]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.fixture
def before_the_codes():
    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    yield old
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_stored_prose_becomes_codes_that_read_the_same(before_the_codes):
    PlanRun = before_the_codes.get_model("planner", "PlanRun")
    done = PlanRun.objects.create(status="done", result={
        "new_chapters": [], "assignments": [], "recruits": [], "summary": {},
        "unreached": [{"chapter": 0, "center": [0, 0], "why": "no organizer within reach"},
                      {"chapter": 1, "center": [0, 0],
                       "why": "organizers within reach have no time left"}],
        "splits": [{"chapter": "NYC", "works": False, "parts": [], "reasons": SPLIT_PROSE}],
    })
    grouping = PlanRun.objects.create(status="running",
                                      message="Grouping members: 1,234 places looked at")
    retrying = PlanRun.objects.create(
        status="queued", message="The worker stopped; trying again (attempt 2 of 3).")
    failed = PlanRun.objects.create(status="failed", message="division by zero")
    migrate(AFTER)

    from chapterhouse.planner.models import PlanRun as NewPlanRun

    runs = NewPlanRun.objects.only("result", "reason")  # the fields of migration 0004
    result = runs.get(pk=done.pk).result
    assert [u["why"]["code"] for u in result["unreached"]] == [
        "planner.unreached.out_of_reach", "planner.unreached.no_time"]
    reasons = result["splits"][0]["reasons"]
    assert [r["code"] for r in reasons] == [
        "planner.split.too_few_groups", "planner.split.centre_short",
        "planner.split.unplaced", "planner.split.no_members"]
    assert [explain_english(r) for r in reasons] == [
        *SPLIT_PROSE[:3], "no members of chapter “NYC” in the file"]
    assert runs.get(pk=grouping.pk).reason == {
        "code": "planner.run.grouping", "params": {"places": 1234}}
    assert runs.get(pk=retrying.pk).message == (
        "The worker stopped; trying again (attempt 2 of 3).")
    assert runs.get(pk=failed.pk).reason == {
        "code": "planner.run.error", "params": {"error": "division by zero"}}
    assert runs.get(pk=failed.pk).message == "division by zero"


def test_going_back_words_the_codes_in_english(before_the_codes):
    PlanRun = before_the_codes.get_model("planner", "PlanRun")
    run = PlanRun.objects.create(status="done", message="Grouping members: 1,234 places looked at",
                                 result={"unreached": [], "splits": [
                                     {"chapter": "NYC", "reasons": SPLIT_PROSE[:3]}]})
    migrate(AFTER)
    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    back = old.get_model("planner", "PlanRun").objects.get(pk=run.pk)
    assert back.message == "Grouping members: 1,234 places looked at"
    assert back.result["splits"][0]["reasons"] == SPLIT_PROSE[:3]
