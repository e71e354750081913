"""Reads for the convention page: readiness (each goal met or not, and since when, from the
organization's history month by month: goals/history.py), the qualifying chapters
with their members, and the apportionment of delegates among them (domain/apportionment.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, F, Q, QuerySet

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.convention.models import (
    ConventionSettings,
    Delegate,
    DelegateCandidate,
    DelegateElection,
    Proxy,
    Session,
    SessionVote,
    Weighting,
)
from chapterhouse.convention.readiness import Readiness, readiness
from chapterhouse.convention.tally import SessionCount, session_count
from chapterhouse.domain.apportionment import (
    Apportionment,
    ApportionmentError,
    Method,
    Unit,
    apportion,
)
from chapterhouse.domain.history import Point
from chapterhouse.domain.qualification import Status
from chapterhouse.domain.reasons import Reason
from chapterhouse.goals.history import history_of
from chapterhouse.goals.models import GoalSet
from chapterhouse.goals.progress import Snapshot, Targets
from chapterhouse.goals.snapshot import Measurement, measure, measurement_served
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization


def settings_current(organization: Organization) -> ConventionSettings:
    """The organization's convention settings, or the defaults (unsaved) if staff never set
    them."""
    found = ConventionSettings.objects.filter(organization=organization).first()
    return found or ConventionSettings(organization=organization)


def _targets(goal_set: GoalSet) -> Targets:
    return Targets(members=goal_set.target_members, chapters=goal_set.target_chapters,
                   continents=goal_set.target_continents,
                   women_share=float(goal_set.target_women_share), deadline=goal_set.deadline)


def members_met_on(organization: Organization, target: int) -> datetime.date | None:
    """The day the `target`-th of today's members joined: the day the members goal was met,
    counting members as the dashboard does (active, by join date)."""
    if target <= 0:
        return organization.founded_on
    dates = (Member.objects.filter(is_active=True, joined_on__lte=organization.today)
             .order_by("joined_on", "pk").values_list("joined_on", flat=True))
    found = dates[target - 1:target]
    return found[0] if found else None


def readiness_current(organization: Organization, measured: Measurement | None = None
                      ) -> Readiness | None:
    """Each goal of the set in force, met or not, and the date it was met; None without a goal
    set. Dated from the organization's history (goals/history.py: the first day of every month
    since the founding, shared with the history page and refreshed in the background as the
    dashboard's figures are), with today's figures last."""
    goal_set = GoalSet.objects.filter(organization=organization).current()
    if goal_set is None:
        return None
    today = _measured(organization) if measured is None else measured
    past = [_snapshot(point, organization.founded_on)
            for point in history_of(organization).points if point.on < today.snapshot.on]
    return readiness(_targets(goal_set), [*past, today.snapshot],
                     members_met_on(organization, goal_set.target_members))


def _snapshot(point: Point, started: datetime.date) -> Snapshot:
    """A history point as the dashboard measures a day. The women's share is the measured
    share, not the history chart's (which leaves a gap where too few attended to show it): the
    page shows only whether the goal was met on that day, as the dashboard did then."""
    share = point.counted / point.attendees if point.attendees else None
    return Snapshot(on=point.on, started=started, members=point.members,
                    chapters=point.chapters, continents=point.continents,
                    women_share=float(share) if share is not None else None)


def measured_served(organization: Organization) -> Measurement | None:
    """Today's figures as the dashboard serves them (goals/snapshot.py): cached, stale while a
    background task refreshes them, computed inline by the very first request only; None while
    another request computes them (the page then says so)."""
    served = measurement_served(organization)
    return served.measurement if served is not None else None


def _measured(organization: Organization) -> Measurement:
    """Today's figures for a write (a delegate election's seats): the dashboard's when served,
    else measured now."""
    return measured_served(organization) or measure(organization)


@dataclass(frozen=True)
class ChapterSeats:
    chapter: Chapter
    members: int
    seats: int
    quota: Fraction
    delegates: int  # delegates with a credential for this chapter


@dataclass(frozen=True)
class ConventionApportionment:
    settings: ConventionSettings
    chapters: list[ChapterSeats]  # by seats, most first, then name
    result: Apportionment | None
    refusal: Reason | None  # why the seats cannot be apportioned as set (too few, ...)
    members: int  # members of the qualifying chapters, in all

    @property
    def method(self) -> Method:
        return Method(self.settings.method)


def qualifying_chapters(organization: Organization, measured: Measurement | None = None
                        ) -> list[tuple[Chapter, int]]:
    """The chapters qualifying today, each with its members today (current memberships of
    active members), by name."""
    measured = _measured(organization) if measured is None else measured
    ids = measured.order[:measured.counts.get(Status.QUALIFYING.value, 0)]
    today = organization.today
    current = (Q(memberships__joined_on__lte=today, memberships__member__is_active=True)
               & (Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=today)))
    chapters = (Chapter.objects.filter(pk__in=ids).select_related("place")
                .annotate(members_now=Count("memberships", filter=current))
                .order_by("name", "pk"))
    return [(chapter, chapter.members_now) for chapter in chapters]


def apportionment_current(organization: Organization, measured: Measurement | None = None
                          ) -> ConventionApportionment:
    """The delegates' seats among the qualifying chapters, by the staff's settings: members
    are the population."""
    chosen = settings_current(organization)
    chapters = qualifying_chapters(organization, measured)
    members = sum(count for _chapter, count in chapters)
    delegates = dict(Delegate.objects.filter(organization=organization).values("chapter_id")
                     .annotate(n=Count("pk")).values_list("chapter_id", "n"))
    if not chapters:
        return ConventionApportionment(chosen, [], None, None, 0)
    units = [Unit(str(chapter.pk), count) for chapter, count in chapters]
    try:
        result = apportion(units, chosen.seats, Method(chosen.method), chosen.floor)
    except ApportionmentError as error:
        return ConventionApportionment(chosen, [], None, error.reason, members)
    rows = [ChapterSeats(chapter, count, share.seats, share.quota,
                         delegates.get(chapter.pk, 0))
            for (chapter, count), share in zip(chapters, result.shares, strict=True)]
    rows.sort(key=lambda row: (-row.seats, row.chapter.name))
    return ConventionApportionment(chosen, rows, result, None, members)


def seats_of_chapter(organization: Organization, chapter: Chapter) -> int:
    """The delegates this chapter elects under the current apportionment (0: not qualifying)."""
    found = apportionment_current(organization)
    return next((row.seats for row in found.chapters if row.chapter.pk == chapter.pk), 0)


def seats_open(organization: Organization, chapter: Chapter) -> int:
    """The chapter's seats that no delegate holds yet: what its next election fills."""
    taken = Delegate.objects.filter(organization=organization, chapter=chapter).count()
    return max(0, seats_of_chapter(organization, chapter) - taken)


def delegate_weights(organization: Organization, weighting: str) -> dict[int, Fraction]:
    """Each credentialed delegate's weight: 1 each, or (apportioned) their chapter's members
    shared equally among its delegates, so that a chapter weighs its members however many of its
    seats are filled. Keyed by Delegate pk."""
    # An erased delegate's credential stays (history) but weighs nothing in a session to come.
    delegates = list(Delegate.objects.filter(organization=organization,
                                             member__erased_at__isnull=True)
                     .exclude(confirmed_at=None).values_list("pk", "chapter_id"))
    if weighting != Weighting.APPORTIONED:
        return {pk: Fraction(1) for pk, _chapter in delegates}
    today = organization.today
    per_chapter: dict[int, int] = {}
    for _pk, chapter_id in delegates:
        per_chapter[chapter_id] = per_chapter.get(chapter_id, 0) + 1
    members = dict(ChapterMembership.objects.current(today)
                   .filter(chapter_id__in=per_chapter, member__is_active=True)
                   .values("chapter_id").annotate(n=Count("pk"))
                   .values_list("chapter_id", "n"))
    return {pk: Fraction(members.get(chapter_id, 0), per_chapter[chapter_id])
            for pk, chapter_id in delegates}


@dataclass(frozen=True)
class SessionPage:
    session: Session
    count: SessionCount
    proxies: list[Proxy]
    me: Delegate | None
    my_vote: str | None  # the actor's own vote in this session
    proxy_given: Proxy | None  # the actor's proxy given in this session
    proxy_held: Proxy | None  # the proxy the actor holds
    held_vote: str | None  # the vote cast for the proxy's giver
    holders: list[Delegate]  # delegates the actor could give their proxy to


def session_page(organization: Organization, session: Session, member: Member | None
                 ) -> SessionPage:
    """A session's count (weighted, quorum in weight) and what the actor may still do."""
    # A closed session counts with the weights and quorum it had (services.session_close).
    weights = ({int(pk): Fraction(weight) for pk, weight in session.weights.items()}
               if session.weights is not None
               else delegate_weights(organization, session.weighting))
    quorum = (session.quorum if session.quorum is not None
              else settings_current(organization).quorum)
    votes = dict(SessionVote.objects.filter(session=session)
                 .values_list("delegate_id", "choice"))
    by_proxy = SessionVote.objects.filter(session=session).exclude(
        cast_by=F("delegate")).count()
    count = session_count(weights, votes, Fraction(quorum), by_proxy)
    proxies = list(Proxy.objects.filter(session=session)
                   .select_related("giver__member", "holder__member", "giver__chapter"))
    me = (Delegate.objects.filter(organization=organization, member=member)
          .exclude(confirmed_at=None).first() if member is not None else None)
    given = next((p for p in proxies if me is not None and p.giver_id == me.pk), None)
    held = next((p for p in proxies if me is not None and p.holder_id == me.pk), None)
    taken = {p.giver_id for p in proxies} | {p.holder_id for p in proxies}
    holders = ([] if me is None else
               list(Delegate.objects.filter(organization=organization)
                    .exclude(confirmed_at=None).exclude(pk__in=taken | {me.pk})
                    .select_related("member", "chapter").order_by("chapter__name", "pk")))
    return SessionPage(session, count, proxies, me,
                       votes.get(me.pk) if me is not None else None, given, held,
                       votes.get(held.giver_id) if held is not None else None, holders)


def sessions_listed(organization: Organization) -> list[Session]:
    return list(Session.objects.filter(organization=organization).order_by("-opened_at")[:20])


def delegates_listed(organization: Organization) -> list[Delegate]:
    return list(Delegate.objects.filter(organization=organization)
                .select_related("member", "chapter").order_by("chapter__name", "pk"))


def chapter_members(chapter: Chapter, on: datetime.date) -> QuerySet[Member]:
    """The chapter's members on `on` (active accounts), by name: who may stand."""
    current = ChapterMembership.objects.current(on).filter(chapter=chapter)
    return (Member.objects.filter(is_active=True, pk__in=current.values("member_id"))
            .order_by("display_name", "pk"))


@dataclass(frozen=True)
class ElectionRow:
    election: DelegateElection
    # Its candidates with their declarations, for the chapter's members and staff (the
    # election's voters and those who run it); None for the organization's other members.
    candidates: list[DelegateCandidate] | None


def elections_listed(organization: Organization, member: Member | None, *, staff: bool
                     ) -> list[ElectionRow]:
    """The latest delegate elections; each one's candidates (and who declared they stand as a
    woman, who withdrew) only for staff and the chapter's members today."""
    elections = list(DelegateElection.objects.filter(organization=organization)
                     .select_related("chapter", "poll")[:50])
    today = organization.today
    mine = (set() if member is None else set(
        ChapterMembership.objects.current(today).filter(member=member)
        .values_list("chapter_id", flat=True)))
    shown = [e.pk for e in elections if staff or e.chapter_id in mine]
    by_election: dict[int, list[DelegateCandidate]] = {pk: [] for pk in shown}
    for candidate in (DelegateCandidate.objects.filter(election_id__in=shown)
                      .select_related("option").order_by("option__position", "pk")):
        by_election[candidate.election_id].append(candidate)
    return [ElectionRow(e, by_election.get(e.pk)) for e in elections]


def candidacies_open(member: Member | None, now: datetime.datetime) -> list[DelegateCandidate]:
    """The member's candidacies they can still change: not withdrawn, in a poll still open."""
    if member is None:
        return []
    return list(DelegateCandidate.objects.filter(
        member=member, withdrawn_at=None, election__poll__closed_at=None,
        election__poll__closes_at__gt=now).select_related("election__chapter", "election__poll")
        .order_by("election__poll__closes_at", "pk"))
