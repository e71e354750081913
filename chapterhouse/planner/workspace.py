"""The organizing workspace's reads (issue 13): each candidate of the latest finished plan that
an organizer took on, and each chapter an organizer carries (Chapter.organizer), with its STAGE
computed from the data by the pure rule (domain/stages.py) and what is late.

Why here, in the planner: the workspace joins the plan's candidates (planner.PlanCandidate)
with chapters, invitations, meetings and the verdict read from them (verdicts/). `organizing`
sits below chapters and may read none of that; a new app on the features line could not read
the planner's candidates. The planner sits above verdicts, meetings and chapters and owns the
candidates, so the workspace is its module; the dashboard (above it) counts its stages.

Queries stay bounded whatever the plan's size (50,000 candidates): only the latest run's
candidates matched to an organizer or started matter, plus the chapters organizers carry; the
facts for all of them come in a constant number of grouped queries. The run's other candidates
(no organizer, not started) are counted, never listed.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import numpy as np
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chapterhouse.chapters.models import Chapter, ChapterMembership, Invitation
from chapterhouse.domain.stages import STAGES, Facts, Progress, Stage, StageRule, progress
from chapterhouse.meetings.models import Attendance, Meeting
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.organizing.models import Organizer
from chapterhouse.planner.models import PlanCandidate, PlanRun
from chapterhouse.planner.selectors import chapter_areas
from chapterhouse.planning.geo import km_between, unit_vectors
from chapterhouse.verdicts.selectors import chapter_summaries

RULE = StageRule()
RECENT_DAYS = 400  # meetings read month by month over this long; before it, first and last only

STAGE_LABELS: dict[Stage, Promise] = {
    Stage.CANDIDATE: _("candidate"),
    Stage.INVITED: _("invited"),
    Stage.FIRST_MEETING: _("first meeting held"),
    Stage.MONTHLY: _("meeting monthly"),
    Stage.QUALIFYING: _("qualifying"),
    Stage.LAPSED: _("lapsed"),
}


def stage_rules(rule: StageRule = RULE) -> list[tuple[Stage, str]]:
    """Each stage with the rule that puts a candidate there, in the reader's language."""
    return [
        (Stage.CANDIDATE, str(_("Proposed by the plan and not started yet."))),
        (Stage.INVITED, str(_("A forming chapter exists and its invitations are out; no meeting "
                              "with attendance recorded yet."))),
        (Stage.FIRST_MEETING, str(_("At least one meeting held with attendance recorded."))),
        (Stage.MONTHLY, str(_("Meetings held in each of the last %(n)d calendar months, the "
                              "latest this month or last month.") % {"n": rule.monthly_run})),
        (Stage.QUALIFYING, str(_("The qualification rule says the chapter qualifies (its "
                                 "verdict, as on its page)."))),
        (Stage.LAPSED, str(_("The qualification rule says it qualified once and no longer "
                             "does."))),
    ]


def late_rules(rule: StageRule = RULE) -> list[str]:
    return [
        str(_("Not started after its start-by date.")),
        str(_("No first meeting %(weeks)d weeks after it started.") % {
            "weeks": rule.first_meeting_weeks}),
        str(_("Met, but not this month nor last month.")),
        str(_("Lapsed.")),
    ]


@dataclass(frozen=True)
class WorkRow:
    """One candidate or carried chapter, as the workspace lists it."""

    place: str
    progress: Progress
    organizer: str | None  # who carries it (their display name)
    organizer_id: int | None
    organizer_member_id: int | None
    start_by: datetime.date | None
    size: int | None  # the candidate's members in the plan
    chapter_name: str | None = None
    chapter_slug: str | None = None
    invited: int = 0
    members: int = 0
    first_meeting: datetime.date | None = None
    last_meeting: datetime.date | None = None
    run_id: int | None = None  # for "Start it"
    index: int | None = None
    growth_of: tuple[str, str] | None = None  # (name, slug): inside that chapter's area

    @property
    def stage(self) -> Stage:
        return self.progress.stage

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS[self.progress.stage])

    @property
    def startable(self) -> bool:
        return self.chapter_slug is None and self.run_id is not None and self.growth_of is None


@dataclass(frozen=True)
class _ChapterFacts:
    invited: int = 0
    members: int = 0
    months: tuple[datetime.date, ...] = ()
    first: datetime.date | None = None
    last: datetime.date | None = None
    status: str | None = None


def latest_run() -> PlanRun | None:
    return PlanRun.objects.latest_done()


def _chapter_facts(ctx: Context, chapters: list[Chapter]) -> dict[int, _ChapterFacts]:
    """Invitations, members, months with a meeting held (attendance recorded) and the verdict's
    status of these chapters: five grouped queries whatever their number."""
    if not chapters:
        return {}
    ids = [c.pk for c in chapters]
    zones = {c.pk: ZoneInfo(c.place.timezone) for c in chapters}
    on, now = ctx.today(), ctx.now()
    invited = dict(Invitation.objects.filter(chapter_id__in=ids).order_by()
                   .values("chapter_id").annotate(n=Count("pk")).values_list("chapter_id", "n"))
    members = dict(ChapterMembership.objects.current(on).filter(chapter_id__in=ids).order_by()
                   .values("chapter_id").annotate(n=Count("pk"))
                   .values_list("chapter_id", "n"))
    held = (Meeting.objects.held().filter(chapter_id__in=ids, starts_at__lt=now)
            .filter(Exists(Attendance.objects.filter(meeting=OuterRef("pk")))))
    months: dict[int, set[datetime.date]] = defaultdict(set)
    ends: dict[int, tuple[datetime.date, datetime.date]] = {}
    for pk, first, last in (held.order_by().values("chapter_id")
                            .annotate(first=Min("starts_at"), last=Max("starts_at"))
                            .values_list("chapter_id", "first", "last")):
        f, la = first.astimezone(zones[pk]).date(), last.astimezone(zones[pk]).date()
        ends[pk] = (f, la)
        months[pk].update({f.replace(day=1), la.replace(day=1)})
    recent = held.filter(starts_at__gte=now - datetime.timedelta(days=RECENT_DAYS))
    for pk, starts in recent.values_list("chapter_id", "starts_at"):
        months[pk].add(starts.astimezone(zones[pk]).date().replace(day=1))
    summaries = chapter_summaries(ids, rule=ctx.organization.rule, on=on)
    return {pk: _ChapterFacts(
        invited=invited.get(pk, 0), members=members.get(pk, 0),
        months=tuple(sorted(months.get(pk, ()))),
        first=ends.get(pk, (None, None))[0], last=ends.get(pk, (None, None))[1],
        status=str(summaries[pk].status) if pk in summaries and summaries[pk].status else None)
        for pk in ids}


def _growth(candidates: list[PlanCandidate]) -> dict[int, tuple[str, str]]:
    """Of these candidates not started, those inside an existing chapter's area (by pk)."""
    open_ = [c for c in candidates if not c.accepted]
    if not open_:
        return {}
    names, homes, radii = chapter_areas()
    if not names:
        return {}
    centres = unit_vectors([c.lat for c in open_], [c.lon for c in open_])
    km = km_between(centres[:, None, :], homes[None, :, :])
    inside = np.where(km <= radii[None, :], km, np.inf)
    nearest = inside.argmin(axis=1)
    return {c.pk: names[int(j)] for c, j, row in zip(open_, nearest, inside, strict=True)
            if np.isfinite(row[j])}


def _rows(ctx: Context, candidates: list[PlanCandidate], chapters: list[Chapter]
          ) -> list[WorkRow]:
    """Candidates (with the chapters started from them) and the other carried chapters."""
    by_slug = {c.slug: c for c in chapters}
    started = [c.accepted for c in candidates if c.accepted and c.accepted not in by_slug]
    for chapter in Chapter.objects.filter(slug__in=started).select_related(
            "place", "organizer__member"):
        by_slug[chapter.slug] = chapter
    facts = _chapter_facts(ctx, list(by_slug.values()))
    growth = _growth(candidates)
    on = ctx.today()
    rows: list[WorkRow] = []
    linked: set[int] = set()

    def chapter_row(chapter: Chapter, candidate: PlanCandidate | None) -> WorkRow:
        f = facts[chapter.pk]
        carrier = chapter.organizer
        return WorkRow(
            place=candidate.place if candidate else chapter.place.city_label,
            progress=progress(Facts(started_on=chapter.founded_on,
                                    start_by=candidate.start_by if candidate else None,
                                    meeting_months=f.months, status=f.status), on, RULE),
            organizer=carrier.member.display_name if carrier else None,
            organizer_id=carrier.pk if carrier else None,
            organizer_member_id=carrier.member_id if carrier else None,
            start_by=candidate.start_by if candidate else None,
            size=candidate.size if candidate else None,
            chapter_name=chapter.name, chapter_slug=chapter.slug, invited=f.invited,
            members=f.members, first_meeting=f.first, last_meeting=f.last,
            run_id=candidate.run_id if candidate else None,
            index=candidate.index if candidate else None)

    for c in candidates:
        found = by_slug.get(c.accepted) if c.accepted else None
        if found is not None:
            linked.add(found.pk)
            rows.append(chapter_row(found, c))
            continue
        carrier = c.organizer
        rows.append(WorkRow(
            place=c.place, progress=progress(Facts(start_by=c.start_by), on, RULE),
            organizer=carrier.member.display_name if carrier else None,
            organizer_id=carrier.pk if carrier else None,
            organizer_member_id=carrier.member_id if carrier else None,
            start_by=c.start_by, size=c.size, run_id=c.run_id, index=c.index,
            growth_of=growth.get(c.pk)))
    rows.extend(chapter_row(chapter, None) for chapter in chapters if chapter.pk not in linked)
    order = {stage: n for n, stage in enumerate(STAGES)}
    rows.sort(key=lambda r: (not r.progress.is_late, order[r.stage],
                             r.start_by or datetime.date.max, r.place))
    return rows


def _candidates(run: PlanRun | None, where: Q) -> list[PlanCandidate]:
    if run is None:
        return []
    return list(PlanCandidate.objects.filter(where, run=run).defer("members")
                .select_related("organizer__member"))


def _carried(where: Q) -> list[Chapter]:
    return list(Chapter.objects.filter(where).select_related("place", "organizer__member"))


@dataclass(frozen=True)
class Workspace:
    """An organizer's own candidates and chapters."""

    organizer: Organizer | None
    run: PlanRun | None
    rows: list[WorkRow]
    counts: list[tuple[Stage, str, int]] = field(default_factory=list)


def workspace_of(ctx: Context, member: Member) -> Workspace:
    """The candidates the latest finished plan matched to this member (as an organizer) and
    the chapters they carry."""
    organizer = Organizer.objects.filter(member=member).select_related("member").first()
    run = latest_run()
    if organizer is None:
        return Workspace(None, run, [])
    rows = _rows(ctx, _candidates(run, Q(organizer=organizer)),
                 _carried(Q(organizer=organizer)))
    return Workspace(organizer, run, rows, _counted(rows))


def _counted(rows: list[WorkRow], extra_candidates: int = 0) -> list[tuple[Stage, str, int]]:
    counts = Counter(r.stage for r in rows)
    counts[Stage.CANDIDATE] += extra_candidates
    return [(stage, str(STAGE_LABELS[stage]), counts.get(stage, 0)) for stage in STAGES]


@dataclass(frozen=True)
class WorkFilter:
    stage: str = ""  # a Stage value, or "" for every stage
    organizer: int | None = None  # an Organizer's id
    late: bool = False


@dataclass(frozen=True)
class Organization:
    """Every candidate that matters, organization-wide: its stage, who carries it, what is
    late."""

    run: PlanRun | None
    rows: list[WorkRow]  # after the filter
    counts: list[tuple[Stage, str, int]]  # per stage, before the filter (candidates: all)
    unmatched: int  # the run's candidates with no organizer, not started: counted only
    organizers: list[tuple[int, str]] = field(default_factory=list)


def organization_rows(ctx: Context) -> tuple[PlanRun | None, list[WorkRow], int]:
    run = latest_run()
    rows = _rows(ctx, _candidates(run, Q(organizer__isnull=False) | ~Q(accepted="")),
                 _carried(Q(organizer__isnull=False)))
    unmatched = (PlanCandidate.objects.filter(run=run, organizer__isnull=True, accepted="")
                 .count() if run else 0)
    return run, rows, unmatched


def workspace_organization(ctx: Context, chosen: WorkFilter) -> Organization:
    run, rows, unmatched = organization_rows(ctx)
    organizers = sorted({(r.organizer_id, r.organizer) for r in rows
                         if r.organizer_id is not None and r.organizer},
                        key=lambda o: o[1])
    shown = [r for r in rows
             if (not chosen.stage or r.stage == chosen.stage)
             and (chosen.organizer is None or r.organizer_id == chosen.organizer)
             and (not chosen.late or r.progress.is_late)]
    return Organization(run, shown, _counted(rows, unmatched), unmatched,
                        [(pk, name) for pk, name in organizers if pk is not None and name])


def stage_counts(ctx: Context) -> list[tuple[Stage, str, int]]:
    """Candidates per stage, organization-wide (the dashboard's): every candidate of the latest
    plan not started counts as a candidate."""
    _run, rows, unmatched = organization_rows(ctx)
    return _counted(rows, unmatched)
