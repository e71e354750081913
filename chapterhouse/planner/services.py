"""The planner's writes: plan runs (requested from the page, executed inline when small, otherwise
as a task, `plan_run_work`, run by the worker, `chapterhouse db_worker`) and starting a chapter
from a candidate ("Start it").

A running run holds a lease (`claimed_until`), renewed by its progress ticks. A worker killed
mid-run stops renewing it; the leases sweep then queues the run again, up to
PLANNER_MAX_ATTEMPTS in all, and fails it after the last one, saying the worker stopped. The
attempt number fences writes, so a run is finished by one attempt only. See docs/tasks.md.
Lease times are the machine's (`timezone.now()`); the plan's "today" is the organization's
(`ctx.today()`: the demo's fixed date, or the real one).

A run's progress and failure are stored as reason codes (planner/reasons.py), never prose.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from chapterhouse.audit.services import Action, audit_record
from chapterhouse.chapters.growth import GrowthInvited, chapter_growth_invite
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.selectors import chapters_covering
from chapterhouse.chapters.services import chapter_found
from chapterhouse.domain.qualification import Rule
from chapterhouse.domain.reasons import reason
from chapterhouse.domain.roles import Capability
from chapterhouse.goals.models import GoalSet
from chapterhouse.goals.snapshot import measure
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Actor, Context
from chapterhouse.organizations.models import Organization
from chapterhouse.organizing.models import Organizer
from chapterhouse.planner.db_inputs import (
    members_from_db,
    organizers_from_db,
    plannable_members,
    split_requests_from_db,
)
from chapterhouse.planner.models import PlanCandidate, PlanRun, RunStatus
from chapterhouse.planner.selectors import (
    RATE_CACHE_SECONDS,
    attendance_rate,
    attendance_rate_key,
    attendance_rate_known,
    candidates_name,
    packed,
    split_shown,
    unaffiliated_by_city,
)
from chapterhouse.planning.plan import Settings, make_plan
from chapterhouse.planning.rule import Rule as PlanningRule

logger = logging.getLogger(__name__)

# Up to this many members a run takes well under a second (see docs/planner.md): run it in the
# request. Larger organizations queue it for the worker and the page shows its progress.
INLINE_LIMIT = 20_000
PROGRESS_EVERY_SECONDS = 1.0

Tick = Callable[[int], None]


class LeaseLost(Exception):
    """A newer attempt took this run over (this worker was presumed stopped): stop, write
    nothing."""


def _lease_end(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.PLANNER_LEASE_SECONDS)


def _patience_end(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.PLANNER_QUEUE_PATIENCE_SECONDS)


def plan_run_request(ctx: Context, *, radius_km: float, min_size: int) -> PlanRun:
    """A run over the organization's members as of its today: done before returning when the
    organization is small, otherwise queued for the worker."""
    if not ctx.actor.may(Capability.PLANNER_RUN):
        raise PermissionDenied
    members = plannable_members(ctx.today()).count()
    run = PlanRun.objects.create(requested_by=ctx.actor.member, radius_km=radius_km,
                                 min_size=min_size, members=members,
                                 claimed_until=_patience_end(timezone.now()))
    inline = members <= INLINE_LIMIT
    logger.info("plan run %s requested: %d members, radius %g km, min size %d, %s",
                run.pk, members, radius_km, min_size, "inline" if inline else "queued")
    if inline and plan_run_claim(run=run):
        plan_run_execute(ctx, run=run)
    else:
        plan_run_enqueue(run=run)
    return run


def plan_run_enqueue(*, run: PlanRun) -> None:
    """Hand the run to the worker once the run's row is committed (so the worker can see it)."""
    run_id = run.pk
    transaction.on_commit(lambda: plan_run_work.enqueue(run_id))


@task()
def plan_run_work(run_id: int) -> str:
    """The task: claim the run and execute it. A run already taken, finished or deleted is left
    alone, so enqueueing a run twice is harmless."""
    run = PlanRun.objects.filter(pk=run_id).first()
    if run is None or not plan_run_claim(run=run):
        return "not claimed"
    return plan_run_execute(system_context(), run=run).status


def system_context() -> Context:
    """The worker's context: the organization and its clock, no member acting."""
    return Context(organization=Organization.objects.current(), actor=Actor())


def plan_run_claim(*, run: PlanRun) -> bool:
    """Take a queued run; False if another worker already did (an atomic conditional update)."""
    now = timezone.now()
    claimed = PlanRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, claimed_until=_lease_end(now),
        attempts=F("attempts") + 1, reason=reason("planner.run.reading").as_json())
    if claimed:
        run.refresh_from_db()
    return bool(claimed)


def plan_run_claim_next() -> PlanRun | None:
    """The oldest queued run, claimed; None when there is none left to take."""
    for run in PlanRun.objects.filter(status=RunStatus.QUEUED).order_by("created_at"):
        if plan_run_claim(run=run):
            return run
    return None


def plan_run_execute(ctx: Context, *, run: PlanRun) -> PlanRun:
    """Plan over the organization's members on its today; store the result or the failure."""
    organization = ctx.organization
    goal_set = GoalSet.objects.filter(organization=organization).current()
    on = ctx.today()
    tick = _progress(run)
    started = time.monotonic()
    logger.info("plan run %s started: attempt %d, %d members, as of %s",
                run.pk, run.attempts, run.members, on)
    try:
        _slow_on_purpose(tick)
        members = members_from_db(on)
        rule = organization.rule  # the qualification rule, with its defaults
        settings_ = Settings(
            rule=PlanningRule(min_size=run.min_size, min_women_share=float(rule.min_women_share),
                      radius_km=run.radius_km),
            counted_genders=rule.counted_genders,
            today=on,
            deadline=goal_set.deadline if goal_set else None,
            target_chapters=goal_set.target_chapters if goal_set else None,
            qualifying_now=measure(organization, on).snapshot.chapters,
            months_to_qualify=rule.months,
        )
        plan = make_plan(members, settings_, organizers_from_db(),
                         split_requests_from_db(on, run.min_size), tick=tick)
    except LeaseLost:
        logger.warning("plan run %s: attempt %s was taken over; stopping", run.pk, run.attempts)
        run.refresh_from_db()
        return run
    except Exception as error:  # a failed run says why on the page instead of vanishing
        logger.exception("plan run %s failed after %.1f s", run.pk, time.monotonic() - started)
        _finish(run, status=RunStatus.FAILED,
                reason=reason("planner.run.error", error=str(error)[:300]).as_json())
        return run
    plan_run_store(run, result=plan.to_json(), unaffiliated=unaffiliated_by_city(on))
    logger.info("plan run %s finished in %.1f s: %d members, %d candidate chapters, "
                "%d members placed, %d splits", run.pk, time.monotonic() - started,
                len(members), len(plan.new_chapters), plan.summary["members_placed"],
                len(plan.splits))
    return run


RECRUITS_SHOWN = 50  # the page lists the first ones; the downloads have them all
STORE_BATCH = 2000


class _Dropped(Exception):
    """The run's outcome was not stored (a newer attempt holds it): undo its candidates."""


def plan_run_store(run: PlanRun, *, result: dict[str, Any],
                   unaffiliated: list[tuple[float, float, int]] | None = None) -> None:
    """Finish a run with its result, and store what the page shows of it in the form the page
    reads: one row per candidate (sorted, filtered and paged in the database), the summary,
    splits, first recruits and countries' totals (`page`), and the candidates' centres and the
    unaffiliated members by city (`unaffiliated`, as the run saw them) packed for the map. All
    in one transaction, fenced by the attempt like every write of a run: a run is finished
    whole or not at all."""
    candidates = result["new_chapters"]
    if any("place" not in c or "country" not in c for c in candidates):
        candidates_name(candidates)
    page = plan_page(result, Organization.objects.current().rule)
    try:
        with transaction.atomic():
            if not _finish(run, status=RunStatus.DONE, result=result, progress=1.0, reason=None,
                           page=page, centres=packed(
                               [(*c["center"], c["size"]) for c in candidates], 3),
                           unaffiliated=packed(unaffiliated or [], 3)):
                raise _Dropped
            plan_candidates_write(run, result)
    except _Dropped:
        return
    if connection.vendor == "postgresql":
        # Tens of thousands of new rows: let the planner know now, not at autovacuum's next
        # pass, or the first views scan them (the seed never ran ANALYZE either).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {PlanCandidate._meta.db_table}")


def plan_page(result: dict[str, Any], rule: Rule) -> dict[str, Any]:
    """The small part of a result the page shows whole: summary, splits (as `split_shown`: no
    member ids, women only as the privacy rule allows), the first recruits (named by their
    candidates' places), the countries with their candidates, the bounds."""
    candidates = result["new_chapters"]
    countries: dict[tuple[str, str], list[int]] = {}  # candidates and their members
    for c in candidates:
        key = (c.get("country", ""), c.get("country_name", ""))
        totals = countries.setdefault(key, [0, 0])
        totals[0] += 1
        totals[1] += c["size"]
    recruits = result.get("recruits", [])
    lats = [c["center"][0] for c in candidates]
    lons = [c["center"][1] for c in candidates]
    return {
        "summary": result["summary"],
        "splits": [split_shown(split, rule) for split in result.get("splits", [])],
        "recruits": [{"places": [candidates[i]["place"] for i in r["candidates"]],
                      "chapters": r["chapters"]} for r in recruits[:RECRUITS_SHOWN]],
        "recruits_more": max(0, len(recruits) - RECRUITS_SHOWN),
        "countries": sorted(([code, name, n, members] for (code, name), (n, members)
                             in countries.items() if code), key=lambda c: (-c[2], c[1])),
        "bounds": [min(lats), min(lons), max(lats), max(lons)] if candidates else None,
    }


def plan_candidates_write(run: PlanRun, result: dict[str, Any]) -> int:
    """One PlanCandidate row per candidate of the result (replacing any)."""
    distance = {(a["organizer"], a["chapter"]): a["km"] for a in result["assignments"]}
    why = {u["chapter"]: u["why"] for u in result["unreached"]}
    organizers = set(Organizer.objects.values_list("pk", flat=True))
    PlanCandidate.objects.filter(run=run).delete()
    rows = (PlanCandidate(
        run=run, index=index, place=c["place"][:200], country=c.get("country", "")[:2],
        country_name=c.get("country_name", "")[:200],
        lat=c["center"][0], lon=c["center"][1], size=c["size"], women=c["women"],
        max_travel_km=c["max_travel_km"],
        organizer_id=int(c["organizer"]) if c["organizer"] and int(c["organizer"]) in organizers
        else None,
        organizer_km=distance.get((c["organizer"], index)),
        starts=_date(c.get("starts")), start_by=_date(c.get("start_by")),
        counts_by_deadline=c.get("counts_by_deadline"), accepted=c.get("accepted") or "",
        unassigned=why.get(index), members=c["members"],
    ) for index, c in enumerate(result["new_chapters"]))
    written = 0
    while batch := list(itertools.islice(rows, STORE_BATCH)):
        PlanCandidate.objects.bulk_create(batch)
        written += len(batch)
    return written


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def plan_run_index(*, run_id: int) -> None:
    """A run finished before the page read rows (its result only): store its page form once,
    from its result, and its unaffiliated members as of now. Harmless if already done."""
    with transaction.atomic():
        run = PlanRun.objects.select_for_update().filter(
            pk=run_id, status=RunStatus.DONE, page__isnull=True).first()
        if run is None or not run.result:
            return
        result = run.result
        if any("place" not in c or "country" not in c for c in result["new_chapters"]):
            candidates_name(result["new_chapters"])
        run.page = plan_page(result, Organization.objects.current().rule)
        run.centres = packed([(*c["center"], c["size"]) for c in result["new_chapters"]], 3)
        run.unaffiliated = packed(unaffiliated_by_city(
            Organization.objects.current().today), 3)
        run.save(update_fields=["page", "centres", "unaffiliated"])
        plan_candidates_write(run, result)
    logger.info("plan run %s: stored for the page from its result", run_id)


def _finish(run: PlanRun, **fields: Any) -> bool:
    """Store the outcome, unless a newer attempt holds the run (then this one's is dropped)."""
    stored = PlanRun.objects.filter(
        pk=run.pk, status=RunStatus.RUNNING, attempts=run.attempts,
    ).update(finished_at=timezone.now(), claimed_until=None, **fields)
    if not stored:
        logger.warning("plan run %s: attempt %s lost its lease; outcome dropped",
                       run.pk, run.attempts)
    # Not the result, megabytes at scale, read back for nothing.
    run.refresh_from_db(fields=["status", "finished_at", "claimed_until", "progress", "reason",
                                "attempts"])
    return bool(stored)


def _progress(run: PlanRun) -> Tick:
    """A tick callback (one tick per place looked at) that writes progress, and renews the
    lease, once a second; it raises LeaseLost when a newer attempt holds the run."""
    done = 0
    last = time.monotonic()

    def tick(count: int) -> None:
        nonlocal done, last
        done += count
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY_SECONDS:
            last = now
            renewed = PlanRun.objects.filter(
                pk=run.pk, status=RunStatus.RUNNING, attempts=run.attempts,
            ).update(reason=reason("planner.run.grouping", places=done).as_json(),
                     claimed_until=_lease_end(timezone.now()))
            if not renewed:
                raise LeaseLost(run.pk)

    return tick


def _slow_on_purpose(tick: Tick) -> None:
    """Tests only (PLANNER_SLOW_SECONDS): wait before planning, ticking as a run would."""
    end = time.monotonic() + settings.PLANNER_SLOW_SECONDS
    while time.monotonic() < end:
        time.sleep(0.1)
        tick(0)


@dataclass(frozen=True)
class Recovered:
    requeued: int
    failed: int


def plan_runs_recover(*, now: datetime) -> Recovered:
    """Runs past their lease: queue them again (their worker stopped, or their task was lost),
    or, when a run has had its last attempt, fail it saying the worker stopped. Each change is
    conditional on the run being unchanged, so two sweeps at once act once."""
    requeued = failed = 0
    stalled = PlanRun.objects.filter(  # no lease at all: left from before leases existed
        Q(claimed_until__lt=now) | Q(claimed_until__isnull=True),
        status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
    for run in stalled:
        unchanged = PlanRun.objects.filter(pk=run.pk, status=run.status, attempts=run.attempts,
                                           claimed_until=run.claimed_until)
        if run.status == RunStatus.RUNNING and run.attempts >= settings.PLANNER_MAX_ATTEMPTS:
            if unchanged.update(
                    status=RunStatus.FAILED, finished_at=now, claimed_until=None,
                    reason=reason("planner.run.worker_stopped",
                                  attempts=run.attempts).as_json()):
                failed += 1
                logger.error("plan run %s failed: its worker stopped %d times",
                             run.pk, run.attempts)
            continue
        why = (reason("planner.run.retrying", next=run.attempts + 1,
                      max=settings.PLANNER_MAX_ATTEMPTS).as_json()
               if run.status == RunStatus.RUNNING else run.reason)
        if unchanged.update(status=RunStatus.QUEUED, claimed_until=_patience_end(now),
                            reason=why):
            plan_run_enqueue(run=run)
            requeued += 1
            logger.warning("plan run %s recovered: %s past its lease, queued again "
                           "(attempt %d of %d next)", run.pk, run.status, run.attempts + 1,
                           settings.PLANNER_MAX_ATTEMPTS)
    return Recovered(requeued=requeued, failed=failed)


@dataclass(frozen=True)
class CandidateStarted:
    chapter: Chapter
    invited: int  # members invited to it


def plan_candidate_start(ctx: Context, *, run: PlanRun, index: int,
                         organizer_id: int | None = None) -> CandidateStarted:
    """Start a forming chapter from candidate `index` of a finished run and invite its members
    (chapters' founding service says who can still be invited); the run remembers the chapter,
    so a candidate is started once.

    The chapter is carried by the organizer the plan matched to the candidate (or, when it
    matched none, the active organizer staff choose: `organizer_id`), who runs it until it has
    coordinators; whoever clicks gains no role. An organizer starts only the candidates matched
    to them; staff any. A candidate whose centre lies inside an existing chapter's area is that
    chapter's growth, not a new chapter: it is refused, saying so."""
    actor = ctx.actor
    if not actor.may(Capability.PLANNER_START):
        raise PermissionDenied
    with transaction.atomic():
        # Two presses start one chapter: the candidate's row is locked, not the run (whose
        # result is megabytes at scale).
        candidate = (PlanCandidate.objects.select_for_update(of=("self",))
                     .select_related("organizer").get(run=run, index=index))
        if candidate.accepted:
            raise ValidationError(_("This candidate is already a chapter."))
        covering = chapters_covering(candidate.lat, candidate.lon)
        if covering:
            raise ValidationError(
                _("This candidate lies inside the area of %(chapter)s: it is that chapter's "
                  "growth, not a new chapter. Invite these members to %(chapter)s instead.")
                % {"chapter": covering[0].chapter.name}, code="growth")
        organizer = _carrier(actor, candidate, organizer_id)
        members = list(Member.objects.filter(pk__in=[int(i) for i in candidate.members]))
        chapter = chapter_found(ctx, members=members, min_size=run.min_size,
                                organizer=organizer, radius_km=run.radius_km)
        candidate.accepted = chapter.slug
        candidate.save(update_fields=["accepted"])
        invited = chapter.invitations.count()
        audit_record(actor=actor.member, action="planner_start", target=chapter,
                     kind=Action.CREATE,
                     changes={"plan_run": run.pk, "candidate": index + 1, "invited": invited,
                              "organizer": organizer.pk})
    logger.info("plan run %s: candidate %d started as chapter %s carried by organizer %s, "
                "%d members invited", run.pk, index + 1, chapter.pk, organizer.pk, invited)
    return CandidateStarted(chapter=chapter, invited=invited)


@dataclass(frozen=True)
class CandidateGrown:
    chapter: Chapter  # the existing chapter whose area holds the candidate
    invited: GrowthInvited


def plan_candidate_grow(ctx: Context, *, run: PlanRun, index: int) -> CandidateGrown:
    """A candidate inside an existing chapter's area is that chapter's growth: invite its
    members (those still without a chapter) to join THAT chapter, whose coordinators and
    organizer are told (chapters/growth.py). Nobody joins without accepting. As "Start it":
    an organizer acts on the candidates matched to them, staff on any."""
    actor = ctx.actor
    if not actor.may(Capability.PLANNER_START):
        raise PermissionDenied
    candidate = PlanCandidate.objects.select_related("organizer").get(run=run, index=index)
    if candidate.accepted:
        raise ValidationError(_("This candidate is already a chapter."))
    matched = candidate.organizer
    if not actor.is_staff and (matched is None or actor.member is None
                               or matched.member_id != actor.member.pk):
        raise ValidationError(_("This candidate was matched to another organizer; only they or "
                                "staff can invite its members."))
    covering = chapters_covering(candidate.lat, candidate.lon)
    if not covering:
        raise ValidationError(_("This candidate lies inside no chapter's area: start it as a "
                                "chapter of its own instead."))
    chapter = covering[0].chapter
    members = list(Member.objects.filter(pk__in=[int(i) for i in candidate.members]))
    invited = chapter_growth_invite(ctx, chapter=chapter, members=members)
    logger.info("plan run %s: candidate %d invited to chapter %s as its growth: %d invited",
                run.pk, index + 1, chapter.pk, invited.invited)
    return CandidateGrown(chapter=chapter, invited=invited)


def _carrier(actor: Actor, candidate: PlanCandidate, organizer_id: int | None) -> Organizer:
    """Who carries the chapter started from `candidate`: its matched organizer, or the one
    staff choose when the plan matched none."""
    matched = candidate.organizer if candidate.organizer and candidate.organizer.active else None
    if not actor.is_staff:
        if matched is None:
            raise ValidationError(_("The plan matched no organizer to this candidate; staff "
                                    "choose who carries it."))
        if matched.member_id != actor.member.pk:
            raise ValidationError(_("This candidate was matched to another organizer; only "
                                    "they or staff can start it."))
        return matched
    if matched is not None:
        return matched
    chosen = Organizer.objects.filter(pk=organizer_id, active=True).first() if organizer_id \
        else None
    if chosen is None:
        raise ValidationError(_("The plan matched no organizer to this candidate: choose the "
                                "active organizer who will carry it."), code="choose_organizer")
    return chosen


RATE_LOCK_SECONDS = 600  # one computation queued at a time; a lost task is queued again after


def attendance_rate_ensure(ctx: Context) -> None:
    """Queue the attendance rate's computation when there is none for today: many views at
    once queue one task (cache.add is atomic)."""
    organization = ctx.organization
    on, months, attendees = ctx.today(), organization.qualifying_months, organization.min_attendees
    if attendance_rate_known(on, months, attendees) is not None:
        return
    if cache.add(attendance_rate_key(on, months, attendees) + ":queued", 1, RATE_LOCK_SECONDS):
        transaction.on_commit(
            lambda: attendance_rate_work.enqueue(on.isoformat(), months, attendees))


@task()
def attendance_rate_work(on_iso: str, months: int, attendees: int) -> int:
    """The task: compute the share of chapter members who came lately and keep it for the day."""
    on = date.fromisoformat(on_iso)
    rate = attendance_rate(on, months, attendees)
    cache.set(attendance_rate_key(on, months, attendees),
              {"members": rate.members, "came": rate.came, "months": rate.months,
               "attendees": rate.attendees}, RATE_CACHE_SECONDS)
    return rate.came
