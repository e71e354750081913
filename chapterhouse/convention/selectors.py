"""Reads for the convention page: readiness (each goal met or not, and since when, from the
organization measured at the end of every month: goals/snapshot.py), the qualifying chapters
with their members, and the apportionment of delegates among them (domain/apportionment.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.convention.models import (
    ConventionSettings,
    Delegate,
    Proxy,
    Session,
    SessionVote,
    Weighting,
)
from chapterhouse.convention.readiness import Readiness, month_ends, readiness
from chapterhouse.convention.tally import SessionCount, session_count
from chapterhouse.domain.apportionment import (
    Apportionment,
    ApportionmentError,
    Method,
    Unit,
    apportion,
)
from chapterhouse.domain.qualification import Status
from chapterhouse.domain.reasons import Reason
from chapterhouse.goals.models import GoalSet
from chapterhouse.goals.progress import Snapshot, Targets
from chapterhouse.goals.snapshot import Measurement, measure, measurement_served
from chapterhouse.meetings.months import rule_key
from chapterhouse.members.models import Member
from chapterhouse.organizations.figures import figures_version
from chapterhouse.organizations.models import Organization

CACHED_FOR = 24 * 3600  # seconds; the figures' version, not the time, keeps them true
PAST_CACHED_FOR = 24 * 3600  # seconds: past months' figures, recomputed daily


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


def readiness_current(organization: Organization) -> Readiness | None:
    """Each goal of the set in force, met or not, and the date it was met; None without a goal
    set. The organization is measured at the end of every month since its founding (and
    today); cached under the figures' version, like the dashboard's figures."""
    goal_set = GoalSet.objects.filter(organization=organization).current()
    if goal_set is None:
        return None
    today = organization.today
    rule = organization.rule
    key = (f"convention-readiness:{organization.pk}:{figures_version()}:{today.isoformat()}:"
           f"{rule_key(rule)}:{rule.months}:{goal_set.pk}")
    found = cache.get(key)
    if isinstance(found, Readiness):
        return found
    start = min(organization.founded_on, today)
    history = [_past_snapshot(organization, on) for on in month_ends(start, today)[:-1]]
    history.append(_measured(organization).snapshot)
    result = readiness(_targets(goal_set), history,
                       members_met_on(organization, goal_set.target_members))
    cache.set(key, result, timeout=CACHED_FOR)
    return result


def _measured(organization: Organization) -> Measurement:
    """Today's figures: the dashboard's, from its cache when it has them (goals/snapshot.py),
    so that this page costs no measurement of its own."""
    served = measurement_served(organization)
    return served.measurement if served is not None else measure(organization)


def _past_snapshot(organization: Organization, on: datetime.date) -> Snapshot:
    """The organization measured at a past month's end, cached for a day: history changes only
    when it is corrected (a backdated attendance), so a day-old past is acceptable, and every
    write does not cost one measurement per month since the founding."""
    rule = organization.rule
    key = (f"convention-past:{organization.pk}:{on.isoformat()}:{rule_key(rule)}:"
           f"{rule.months}:{organization.founded_on.isoformat()}")
    found = cache.get(key)
    if isinstance(found, Snapshot):
        return found
    snapshot = measure(organization, on).snapshot
    cache.set(key, snapshot, timeout=PAST_CACHED_FOR)
    return snapshot


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


def qualifying_chapters(organization: Organization) -> list[tuple[Chapter, int]]:
    """The chapters qualifying today, each with its members today (current memberships of
    active members), by name."""
    measured = _measured(organization)
    ids = measured.order[:measured.counts.get(Status.QUALIFYING.value, 0)]
    today = organization.today
    current = (Q(memberships__joined_on__lte=today, memberships__member__is_active=True)
               & (Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=today)))
    chapters = (Chapter.objects.filter(pk__in=ids).select_related("place")
                .annotate(members_now=Count("memberships", filter=current))
                .order_by("name", "pk"))
    return [(chapter, chapter.members_now) for chapter in chapters]


def apportionment_current(organization: Organization) -> ConventionApportionment:
    """The delegates' seats among the qualifying chapters, by the staff's settings: members
    are the population."""
    chosen = settings_current(organization)
    chapters = qualifying_chapters(organization)
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
