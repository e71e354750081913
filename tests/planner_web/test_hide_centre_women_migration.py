"""Migration 0006: split reasons and parts stored with a small group's women lose the figure."""

import importlib
import json

import pytest
from django.apps import apps

from chapterhouse.planner.models import PlanRun, RunStatus

pytestmark = pytest.mark.django_db
migration = importlib.import_module("chapterhouse.planner.migrations.0006_hide_small_centres_women")


def short(centre: str, members: int, women: int) -> dict:
    return {"code": "planner.split.centre_short",
            "params": {"centre": centre, "members": members, "km": 8.0, "women": women}}


def test_stored_runs_keep_only_the_women_figures_the_privacy_rule_allows():
    split = {"chapter": "nyc", "works": False,
             "parts": [{"name": "Brooklyn", "reach": 3, "reach_women": 1},
                       {"name": "Queens", "reach": 12, "reach_women": 5},
                       {"name": "Bronx", "reach": 6, "reach_women": 0}],
             "reasons": [{"code": "planner.split.unplaced", "params": {"n": 2}},
                         short("Brooklyn", 3, 1), short("Queens", 12, 5), short("Bronx", 6, 0),
                         "prose kept as it was"]}
    run = PlanRun.objects.create(status=RunStatus.DONE, min_size=5,
                                 result={"splits": [split]}, page={"splits": [split]})
    untouched = PlanRun.objects.create(status=RunStatus.FAILED, min_size=5)
    migration.hide_small_centres_women(apps, None)
    migration.hide_small_centres_women(apps, None)  # a second run changes nothing
    run.refresh_from_db()
    for stored in (run.result, run.page):
        got = stored["splits"][0]
        assert got["reasons"] == [
            {"code": "planner.split.unplaced", "params": {"n": 2}},
            {"code": "planner.split.centre_short_hidden",
             "params": {"centre": "Brooklyn", "members": 3, "km": 8.0}},
            short("Queens", 12, 5),
            {"code": "planner.split.centre_short_hidden",
             "params": {"centre": "Bronx", "members": 6, "km": 8.0}},
            "prose kept as it was"]
        assert [p["reach_women"] for p in got["parts"]] == [None, 5, None]
        assert '"women": 1' not in json.dumps(stored)
    untouched.refresh_from_db()
    assert untouched.result is None
