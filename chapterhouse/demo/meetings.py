"""The demo's upcoming meetings, a few RSVPs, and one organization-wide coordination call;
in New York City (the coordinator persona's chapter) one upcoming meeting cancelled and one
offer to coordinate waiting for its answer, so that whoever tries the demo sees both.

Called by the demo generator after the chapters and their meeting history exist. Idempotent:
running it twice changes nothing, so the generator and a test may both call it.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from chapterhouse.chapters.models import Chapter, CoordinatorOffer, OfferStatus
from chapterhouse.coordination.models import Call, CandidateTime, Scope, Signup
from chapterhouse.demo.chapters import PLANS
from chapterhouse.meetings import recurrence
from chapterhouse.meetings.models import Answer, Meeting, Rsvp
from chapterhouse.members.models import Member
from chapterhouse.organizing.models import Organizer

COORDINATOR_EMAIL = "coordinator@demo.example.org"  # as in demo/seeding.py
MONTHS_AHEAD = 3
START = datetime.time(19, 0)
ANSWERS = (Answer.YES, Answer.YES, Answer.MAYBE, Answer.YES, Answer.NO, Answer.MAYBE)
CALL_TITLE = "Organizers' call: building new chapters"
# 13:00 UTC suits the Americas and Europe, 21:00 the Americas and Oceania (not Brisbane's
# 07:00), 09:00 Europe and Oceania: no single time suits everyone, so the call rotates.
CALL_TIMES = ((10, datetime.time(13, 0)), (11, datetime.time(21, 0)), (12, datetime.time(9, 0)))
CALL_NOTES = """Agenda for the first call:
1. Where each organizer starts: the areas closest to home.
2. Running a first meeting: what worked in New York and Oslo.
3. Seeding: introducing unaffiliated members who live near each other."""


@dataclass(frozen=True, slots=True)
class Seeded:
    meetings: int
    rsvps: int
    call: Call


def _series(chapter: Chapter, today: datetime.date) -> uuid.UUID:
    # Stable, so a second run finds the same series.
    return uuid.uuid5(uuid.NAMESPACE_URL, f"chapterhouse-demo/{chapter.slug}/{today}")


def _upcoming_days(chapter: Chapter, today: datetime.date) -> list[datetime.date]:
    plan = next((p for p in PLANS if p.name == chapter.name), None)
    weekday, nth = (plan.weekday, plan.nth) if plan else (1, 2)
    days: list[datetime.date] = []
    year, month = today.year, today.month
    while len(days) < MONTHS_AHEAD:
        day = recurrence.nth_weekday(year, month, weekday, nth)
        if day is not None and day > today:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def _venue(chapter: Chapter) -> str:
    plan = next((p for p in PLANS if p.name == chapter.name), None)
    return plan.venue if plan else ""


def seed_meetings_and_calls(*, today: datetime.date) -> Seeded:
    """Three monthly meetings per chapter after `today`, RSVPs from the first one's likely
    attendees, and the organizers' call with three candidate times and its sign-ups."""
    meetings = rsvps = 0
    persona = Member.objects.filter(email=COORDINATOR_EMAIL).first()
    with transaction.atomic():
        for chapter in Chapter.objects.select_related("place").order_by("pk"):
            zone = chapter.place.zone
            upcoming = []
            for day in _upcoming_days(chapter, today):
                meeting, created = Meeting.objects.get_or_create(
                    chapter=chapter, starts_at=recurrence.to_utc(day, START, zone),
                    defaults={"title": "Monthly meeting", "venue": _venue(chapter),
                              "series": _series(chapter, today)})
                meetings += created
                upcoming.append(meeting)
            rsvps += _seed_rsvps(chapter, upcoming[0], today, persona)
            if persona is not None and chapter.coordinators.filter(pk=persona.pk).exists():
                _seed_cancellation(upcoming[1], today, persona)
                _seed_coordinator_offer(chapter, today, persona)
        call = _seed_call(today, persona)
    return Seeded(meetings, rsvps, call)


def _seed_rsvps(chapter: Chapter, meeting: Meeting, today: datetime.date,
                persona: Member | None) -> int:
    """The people who came to the last meeting answer for the next (the persona does not:
    the browser test answers for them)."""
    last = chapter.meetings.filter(starts_at__lt=meeting.starts_at).aggregate(
        at=Max("starts_at"))["at"]
    if last is None:
        return 0
    current = chapter.memberships.current(today).values("member_id")
    people = (Member.objects.filter(attendances__meeting__chapter=chapter,
                                    attendances__meeting__starts_at=last, pk__in=current)
              .exclude(pk=persona.pk if persona else None).order_by("pk"))
    answered_at = datetime.datetime.combine(today, datetime.time(12), tzinfo=datetime.UTC)
    created = 0
    for i, member in enumerate(people):
        _rsvp, new = Rsvp.objects.get_or_create(
            meeting=meeting, member=member,
            defaults={"answer": ANSWERS[i % len(ANSWERS)], "answered_at": answered_at})
        created += new
    return created


def _seed_cancellation(meeting: Meeting, today: datetime.date, persona: Member) -> None:
    """The persona cancelled their chapter's second upcoming meeting (nobody had answered it,
    so nobody was told). Upcoming and without attendance, it changes no month's result."""
    at = datetime.datetime.combine(today, datetime.time(10), tzinfo=datetime.UTC)
    Meeting.objects.filter(pk=meeting.pk, cancelled_at__isnull=True).update(
        cancelled_at=at, cancelled_by=persona)


def _seed_coordinator_offer(chapter: Chapter, today: datetime.date, persona: Member) -> None:
    """The persona asked a member of their chapter to coordinate it with them; no answer yet
    (their Coordinators page shows it, with the button to withdraw it)."""
    if chapter.coordinator_offers.exists():
        return
    current = chapter.memberships.current(today).values("member_id")
    member = (Member.objects.filter(pk__in=current, is_active=True)
              .exclude(pk__in=chapter.coordinators.values("pk")).order_by("-pk").first())
    if member is not None:
        CoordinatorOffer.objects.create(chapter=chapter, member=member, offered_by=persona,
                                        status=OfferStatus.PENDING)


def _seed_call(today: datetime.date, persona: Member | None) -> Call:
    organizer = persona or Member.objects.filter(is_staff=True).order_by("pk").first()
    call, _created = Call.objects.get_or_create(
        title=CALL_TITLE, organizer=organizer,
        defaults={"scope": Scope.ORGANIZATION, "occurrences": 6, "duration_minutes": 60,
                  "description": "A monthly call for organizers and coordinators to share "
                                 "what works in starting chapters.",
                  "notes": CALL_NOTES})
    for days, time in CALL_TIMES:
        CandidateTime.objects.get_or_create(
            call=call, starts_at=datetime.datetime.combine(
                today + datetime.timedelta(days=days), time, tzinfo=datetime.UTC),
            defaults={"proposed_by": organizer})
    # The organizers, and one coordinator from each chapter, have signed up.
    people = {o.member_id for o in Organizer.objects.filter(active=True)}
    for chapter in Chapter.objects.prefetch_related("coordinators").order_by("pk"):
        first = min((c.pk for c in chapter.coordinators.all()), default=None)
        if first is not None:
            people.add(first)
    if organizer:
        people.add(organizer.pk)
    for member_id in sorted(people):  # the organizer let them in
        Signup.objects.get_or_create(call=call, member_id=member_id,
                                     defaults={"accepted_at": call.created_at})
    return call
