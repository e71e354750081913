"""The public progress figures ("8 of 20 chapters, 5 months left"): what the organization may
link or embed without a login. Only the goal set's figures as the dashboard shows them (the
history's last point, goals/history.py, equal to the dashboard's), and the women's share only
when the disclosure rule allows it (domain.disclosure): never a small group's figure."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from fractions import Fraction

from chapterhouse.goals.history import history_series
from chapterhouse.goals.progress import months_between
from chapterhouse.goals.selectors import goal_set_current
from chapterhouse.organizations.context import Context


@dataclass(frozen=True)
class PublicProgress:
    organization: str
    on: datetime.date  # the figures' date
    chapters: int
    members: int
    continents: int
    women_share: Fraction | None  # None: not shown (too few people)
    target_chapters: int | None  # None: no goal set adopted
    target_members: int | None
    target_continents: int | None
    target_women_share: float | None
    deadline: datetime.date | None
    months_left: int | None  # whole months to the deadline; 0 within its last month

    @property
    def chapters_fraction(self) -> float:
        """How far along the chapters goal is, 0-1 (for the bar)."""
        if not self.target_chapters:
            return 0.0
        return min(self.chapters / self.target_chapters, 1.0)


def public_progress(ctx: Context) -> PublicProgress:
    organization = ctx.organization
    last = history_series(ctx).last
    goal_set = goal_set_current(organization)
    on = organization.today
    months_left = None
    if goal_set is not None:
        months_left = max(math.floor(months_between(on, goal_set.deadline) + 1e-9), 0)
    return PublicProgress(
        organization=organization.name,
        on=on,
        chapters=last.chapters if last else 0,
        members=last.members if last else 0,
        continents=last.continents if last else 0,
        women_share=last.women_share if last else None,
        target_chapters=goal_set.target_chapters if goal_set else None,
        target_members=goal_set.target_members if goal_set else None,
        target_continents=goal_set.target_continents if goal_set else None,
        target_women_share=float(goal_set.target_women_share) if goal_set else None,
        deadline=goal_set.deadline if goal_set else None,
        months_left=months_left,
    )
