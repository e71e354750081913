"""Measure the organization on a day: the numbers the goals are checked against, and the
chapters' verdicts summarised (counts, those at risk, their order in the dashboard's table).

At the size Chapterhouse serves (a million members, ten thousand chapters) the figures take
a few hundred milliseconds to compute, so the dashboard reads them from the cache
(`measurement_cached`): stored under the organization's figures version (organizations/
figures.py, replaced by every write they depend on), its date and its rule. Nothing a visitor
sends reaches the computation. After a write, the last figures are served (marked stale) while
one background task computes the new ones (`measurement_served`)."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import task

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.selectors import members_unaffiliated
from chapterhouse.domain import qualification
from chapterhouse.domain.qualification import Status
from chapterhouse.domain.reasons import Reason
from chapterhouse.goals.progress import Snapshot
from chapterhouse.meetings.months import rule_key
from chapterhouse.members.models import Member
from chapterhouse.organizations.figures import figures_version
from chapterhouse.organizations.models import Organization
from chapterhouse.places.models import Place
from chapterhouse.verdicts.risks import chapter_risks, figures_moment
from chapterhouse.verdicts.selectors import chapter_summaries

STATUS_ORDER = {Status.QUALIFYING: 0, Status.LAPSED: 1, Status.FORMING: 2}
AT_RISK_KEPT = 100  # ids of chapters at risk kept with the figures (all are counted)
CACHED_FOR = 24 * 3600  # seconds; the version, not the time, keeps the figures true


@dataclass(frozen=True)
class Measurement:
    snapshot: Snapshot
    countries: int
    unaffiliated: int
    members_without_city: int
    counts: dict[str, int]  # chapters founded by the date, per verdict ("qualifying", ...)
    order: list[int]  # their ids as the dashboard lists them: qualifying first, then
    # lapsed, then forming, each by name
    at_risk: list[int]  # at risk (domain/risk.py): the first few, by name
    at_risk_count: int
    # chapters whose months hold for an earlier rule, not yet rebuilt (verdicts.selectors.
    # RECOMPUTED_INLINE): counted in no status above, listed last in `order`
    recomputing: int = 0
    at_risk_reasons: dict[int, tuple[Reason, ...]] = field(default_factory=dict)  # of at_risk


def measure(organization: Organization, on: datetime.date | None = None) -> Measurement:
    """Members, qualifying chapters, continents and women's participation on `on`: the
    chapters' stored months summed in the database (verdicts.selectors.chapter_summaries),
    never their attendance, one small row per chapter. A constant number of queries."""
    on = on or organization.today
    rule = organization.rule
    members = Member.objects.filter(is_active=True, joined_on__lte=on)
    chapters = list(Chapter.objects.filter(founded_on__lte=on).order_by("name", "pk")
                    .values_list("pk", "place__continent_code", "place__timezone"))
    standings = chapter_summaries([pk for pk, _c, _z in chapters], rule=rule, on=on)
    # Health warnings at noon UTC of the figures' date (verdicts/risks.py), in each chapter's
    # zone: one query over a few months' stored rows.
    risks = chapter_risks({pk: zone for pk, _c, zone in chapters}, rule=rule,
                          now=figures_moment(on), days=organization.at_risk_days)
    continents: set[str] = set()
    counted = attendees = 0
    by_status: dict[Status, list[int]] = {status: [] for status in STATUS_ORDER}
    at_risk: list[int] = []
    recomputing: list[int] = []
    for pk, continent, _zone in chapters:
        if pk in risks:
            at_risk.append(pk)
        standing = standings[pk]
        if standing.status is None:
            recomputing.append(pk)
            continue
        by_status[standing.status].append(pk)
        if standing.status is qualification.Status.QUALIFYING:
            continents.add(continent)
            counted, attendees = counted + standing.counted, attendees + standing.attendees
    snapshot = Snapshot(
        on=on,
        started=organization.founded_on,
        members=members.count(),
        chapters=len(by_status[Status.QUALIFYING]),
        continents=len(continents),
        women_share=counted / attendees if attendees else None,
    )
    # Countries counted over places that have a member (one probe per place, about ten
    # thousand), rather than over a million members' rows.
    with_members = members.filter(place_id=OuterRef("pk"))
    return Measurement(
        snapshot=snapshot,
        countries=Place.objects.filter(Exists(with_members))
        .values("country_code").distinct().count(),
        unaffiliated=members_unaffiliated(members, on).count(),
        members_without_city=members.filter(place=None).count(),
        counts={status.value: len(ids) for status, ids in by_status.items()},
        order=[pk for status in STATUS_ORDER for pk in by_status[status]] + recomputing,
        at_risk=at_risk[:AT_RISK_KEPT],
        at_risk_count=len(at_risk),
        recomputing=len(recomputing),
        at_risk_reasons={pk: risks[pk].reasons for pk in at_risk[:AT_RISK_KEPT]},
    )


def measurement_key(organization: Organization, on: datetime.date, version: str) -> str:
    rule = organization.rule
    return (f"figures:{organization.pk}:{version}:{on.isoformat()}:"
            f"{rule_key(rule)}:{rule.months}:{organization.at_risk_days}")


@dataclass(frozen=True)
class Computed:
    """Figures as stored in the cache: what was measured, and when."""

    measurement: Measurement
    at: datetime.datetime
    key: str  # the measurement_key they were computed for


@dataclass(frozen=True)
class Served:
    """The figures a request shows: current, or the last ones computed while a background
    task recomputes them (`stale`)."""

    measurement: Measurement
    at: datetime.datetime  # when they were computed
    stale: bool


def latest_key(organization: Organization) -> str:
    return f"figures-latest:{organization.pk}"


def refresh_lock_key(organization: Organization) -> str:
    return f"figures-refresh:{organization.pk}"


def first_lock_key(organization: Organization) -> str:
    return f"figures-first:{organization.pk}"


# Held while a recomputation is queued or running: one at a time, however many requests see
# the figures out of date. It expires (a worker stopped, a task lost) so that a later request
# queues another.
REFRESH_LOCK_SECONDS = 600
# The very first figures (an empty cache): one request computes them, inline; the others wait
# this long for them, then are told they are being computed.
FIRST_LOCK_SECONDS = 120
FIRST_WAIT_SECONDS = 5.0
FIRST_POLL_SECONDS = 0.1


def _computed(organization: Organization, on: datetime.date, key: str) -> Computed:
    """measure() and store the result under its version's key and as the latest figures."""
    computed = Computed(measure(organization, on), timezone.now(), key)
    cache.set(key, computed, timeout=CACHED_FOR)
    cache.set(latest_key(organization), computed, timeout=None)
    return computed


def measurement_served(organization: Organization) -> Served | None:
    """The figures on the organization's date, stale-while-revalidate (issue 12):

    - current in the cache (nothing they count changed): served (two or three cache reads);
    - out of date, earlier figures stored: those are served at once, marked stale, and ONE
      background task (measurement_refresh_work) is queued to compute the new ones, however
      many requests arrive meanwhile (a cache.add lock);
    - none stored at all (a fresh cache): one request computes them inline while the others
      wait up to FIRST_WAIT_SECONDS for its result; None if it is still not there (the page
      then says the figures are being computed).

    No request pays for a recomputation except the very first."""
    on = organization.today
    key = measurement_key(organization, on, figures_version())
    found = cache.get(key)
    if isinstance(found, Computed):
        return Served(found.measurement, found.at, stale=False)
    latest = cache.get(latest_key(organization))
    if isinstance(latest, Computed):
        measurement_refresh_enqueue(organization)
        return Served(latest.measurement, latest.at, stale=True)
    first = first_lock_key(organization)
    if cache.add(first, 1, FIRST_LOCK_SECONDS):
        try:
            # Looked at again under the lock: a request that computed them may have released
            # it between our first look and the lock (double-checked, or two would compute).
            latest = cache.get(latest_key(organization))
            if isinstance(latest, Computed):
                return Served(latest.measurement, latest.at, stale=latest.key != key)
            computed = _computed(organization, on, key)
        finally:
            cache.delete(first)
        return Served(computed.measurement, computed.at, stale=False)
    deadline = time.monotonic() + FIRST_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(FIRST_POLL_SECONDS)
        latest = cache.get(latest_key(organization))
        if isinstance(latest, Computed):
            return Served(latest.measurement, latest.at, stale=latest.key != key)
    return None


def measurement_refresh_enqueue(organization: Organization) -> bool:
    """Queue the recomputation of the figures unless one is queued or running; True if
    queued."""
    lock = refresh_lock_key(organization)
    if not cache.add(lock, 1, REFRESH_LOCK_SECONDS):
        return False
    try:
        measurement_refresh_work.enqueue(organization.pk)
    except Exception:
        cache.delete(lock)  # a later request tries again
        raise
    return True


@task()
def measurement_refresh_work(organization_id: int) -> str:
    """Compute the figures under the current version and store them (the dashboard then
    serves them as current); writes during the computation make them stale again, and the
    next request queues another."""
    organization = Organization.objects.filter(pk=organization_id).first()
    try:
        if organization is None:
            return "no such organization"
        on = organization.today
        key = measurement_key(organization, on, figures_version())
        if isinstance(cache.get(key), Computed):
            return "already current"
        computed = _computed(organization, on, key)
        return f"figures computed: {computed.measurement.snapshot.members} member(s)"
    finally:
        if organization is not None:
            cache.delete(refresh_lock_key(organization))
