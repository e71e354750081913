"""Reads about the goals the members adopted: the goal set in force and the progress toward it
(the organization measured by goals/snapshot.py, the arithmetic in goals/progress.py)."""

from __future__ import annotations

from chapterhouse.goals.models import GoalSet
from chapterhouse.goals.progress import Progress, Snapshot, Targets, progress
from chapterhouse.organizations.models import Organization


def goal_set_current(organization: Organization) -> GoalSet | None:
    """The goal set in force: the most recently adopted."""
    return GoalSet.objects.filter(organization=organization).current()


def goal_set_progress(goal_set: GoalSet, snapshot: Snapshot) -> Progress:
    """Each goal of the set against the organization as measured in `snapshot`."""
    targets = Targets(
        members=goal_set.target_members,
        chapters=goal_set.target_chapters,
        continents=goal_set.target_continents,
        women_share=float(goal_set.target_women_share),
        deadline=goal_set.deadline,
    )
    return progress(snapshot, targets)
