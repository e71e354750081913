import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command

from chapterhouse.context import context_for
from chapterhouse.members.models import Member
from chapterhouse.planner import services
from chapterhouse.planner.db_inputs import members_from_db, split_requests_from_db
from chapterhouse.planner.models import PlanRun, RunStatus

pytestmark = pytest.mark.django_db
ON = datetime.date(2014, 2, 1)


def coordinator_context():
    return context_for(Member.objects.get(email="coordinator@demo.example.org"))


def test_members_are_read_with_their_city_chapter_and_willingness(demo, db):
    members = members_from_db(ON)
    assert len(members) == 3443
    assert sum(1 for c in members.chapter if c == "") == demo.unaffiliated
    assert members.chapter.count("new-york-city") == 300
    assert 0.28 < members.willing[[c == "" for c in members.chapter]].mean() < 0.38


def test_new_york_city_splits_around_its_boroughs(demo, db):
    requests = {r.chapter: r for r in split_requests_from_db(ON, 5)}
    assert set(requests["new-york-city"].names) == {
        "Brooklyn", "Queens", "Manhattan", "The Bronx", "Staten Island"}


def test_the_export_has_the_planners_columns_and_no_names_or_emails(demo, db, tmp_path):
    out = tmp_path / "members.csv"
    call_command("export_members", "--out", str(out), stderr=io.StringIO())
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["id", "lat", "lon", "chapter", "willing"]
    assert len(rows) == 3443
    text = out.read_text()
    assert "@" not in text
    assert "Jon D." not in text


def test_the_exported_file_plans_from_the_command_line(demo, db, tmp_path):
    members = tmp_path / "members.csv"
    call_command("export_members", "--out", str(members), "--with-gender", stderr=io.StringIO())
    out = io.StringIO()
    call_command("plan", "--members", str(members), "--format", "json", stdout=out,
                 stderr=io.StringIO())
    plan = json.loads(out.getvalue())
    assert plan["summary"]["new_chapters"] == len(plan["new_chapters"]) > 0


def test_a_large_organization_is_queued_and_the_worker_runs_it(demo, db, monkeypatch):
    monkeypatch.setattr(services, "INLINE_LIMIT", 100)
    requester = Member.objects.get(email="coordinator@demo.example.org")
    run = services.plan_run_request(context_for(requester), radius_km=25, min_size=5)
    assert run.status == RunStatus.QUEUED
    out = io.StringIO()
    call_command("run_jobs", stdout=out)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.result["summary"]["new_chapters"] > 0
    assert f"plan run {run.pk}: done" in out.getvalue()


def test_a_run_is_claimed_once(demo, db, monkeypatch):
    monkeypatch.setattr(services, "INLINE_LIMIT", 100)
    run = services.plan_run_request(coordinator_context(), radius_km=25, min_size=5)
    assert services.plan_run_claim(run=run) is True
    assert services.plan_run_claim(run=PlanRun.objects.get(pk=run.pk)) is False
    assert services.plan_run_claim_next() is None


def test_a_failing_run_says_why(demo, db, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("the travel radius must be positive")

    monkeypatch.setattr(services, "make_plan", broken)
    run = services.plan_run_request(coordinator_context(), radius_km=25, min_size=5)
    assert run.status == RunStatus.FAILED
    assert run.message == "the travel radius must be positive"
