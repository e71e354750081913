"""The demo's organizing workspace (issue 13's acceptance): a few candidates at every stage,
computed from the data and counted by the dashboard's own selector (planner.workspace's
`stage_counts`), as `seed_demo` builds it (DemoSpec.organizing_stages, off in the tests' shared
demo for speed: the same seeding step is run here on top of it, and rolled back)."""

from __future__ import annotations

import pytest

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.selectors import chapters_covering
from chapterhouse.context import context_for
from chapterhouse.demo.seeding import ADMIN_EMAIL
from chapterhouse.demo.workspace import seed_workspace
from chapterhouse.domain.stages import STAGES, Stage
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.planner.models import PlanRun
from chapterhouse.planner.workspace import organization_rows, stage_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_ctx(demo):
    seed_workspace(Organization.objects.current().today, ADMIN_EMAIL)
    return context_for(Member.objects.get(email=ADMIN_EMAIL))


def test_the_demo_shows_a_few_candidates_at_every_stage(staff_ctx):
    counts = {stage: n for stage, _label, n in stage_counts(staff_ctx)}
    assert set(counts) == set(STAGES)
    for stage in STAGES:
        assert counts[stage] >= 2, (stage, counts)
    for stage in (Stage.INVITED, Stage.FIRST_MEETING, Stage.MONTHLY, Stage.LAPSED):
        assert counts[stage] <= 4, (stage, counts)


def test_the_demo_stages_come_from_the_chapters_history(staff_ctx):
    """Each started candidate is a forming chapter carried by an organizer, with nobody made
    its coordinator; its stage follows from its meetings (none when invited, several when
    qualifying); some are late, as the workspace flags them."""
    _run, rows, _unmatched = organization_rows(staff_ctx)
    started = [r for r in rows if r.chapter_slug and r.run_id is not None]
    assert len(started) == 10
    for row in started:
        chapter = Chapter.objects.get(slug=row.chapter_slug)
        assert chapter.organizer is not None
        assert not chapter.coordinators.exists()
        held = chapter.meetings.filter(attendances__isnull=False).distinct().count()
        if row.stage is Stage.INVITED:
            assert held == 0
        elif row.stage in (Stage.QUALIFYING, Stage.LAPSED):
            assert held >= 3
    assert any(r.progress.is_late for r in started if r.stage is Stage.INVITED)
    assert any(not r.progress.is_late for r in started if r.stage is Stage.INVITED)


def test_the_demo_leaves_candidates_for_staff_to_start(staff_ctx):
    """Candidates outside every chapter's area, matched to no organizer, are left for "Start
    it" (staff choose who carries them: the browser journey starts one)."""
    run = PlanRun.objects.latest_done()
    free = [c for c in run.candidates.filter(accepted="", organizer__isnull=True)
            if not chapters_covering(c.lat, c.lon)]
    assert len(free) >= 1
