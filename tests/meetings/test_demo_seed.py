"""The demo's upcoming meetings, RSVPs and organizers' call, on the generated organization."""

import datetime

import pytest

from chapterhouse.chapters.models import Chapter, CoordinatorOffer
from chapterhouse.coordination.models import Call
from chapterhouse.demo.meetings import seed_meetings_and_calls
from chapterhouse.meetings.models import Meeting, Rsvp

TODAY = datetime.date(2014, 2, 1)
AFTER = datetime.datetime(2014, 2, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def seeded(demo, db):
    """The demo generator already seeded these; seeding again is a no-op that reports it."""
    return seed_meetings_and_calls(today=TODAY)


def test_every_chapter_has_three_monthly_meetings_after_today(seeded):
    for chapter in Chapter.objects.select_related("place"):
        upcoming = list(chapter.meetings.upcoming(AFTER))
        assert len(upcoming) == 3, chapter.name
        assert len({m.local_start.weekday() for m in upcoming}) == 1
        assert {m.local_start.hour for m in upcoming} == {19}
        assert len({m.series for m in upcoming}) == 1


def test_new_york_meets_on_the_second_tuesday(seeded):
    nyc = Chapter.objects.get(name="New York City")
    first = nyc.meetings.upcoming(AFTER).first()
    assert first.local_start.date() == datetime.date(2014, 2, 11)


def test_some_members_have_answered_but_not_the_coordinator_persona(seeded):
    assert Rsvp.objects.count() > 20
    assert set(Rsvp.objects.values_list("answer", flat=True)) == {"yes", "maybe", "no"}
    assert not Rsvp.objects.filter(member__email="coordinator@demo.example.org").exists()
    # Past meetings' RSVPs: only the follow-ups demo's no-shows (demo/followups.py).
    assert set(Rsvp.objects.filter(meeting__starts_at__lte=AFTER)
               .values_list("answer", flat=True)) <= {"yes"}


def test_the_organizers_call_has_candidates_and_sign_ups(seeded):
    call = seeded.call
    assert call.organizer.email == "coordinator@demo.example.org"
    assert call.candidates.count() == 3
    assert call.signups.count() >= 8
    assert call.is_recurring
    assert call.notes


def test_the_coordinator_persona_sees_a_cancelled_meeting_and_a_waiting_offer(seeded):
    nyc = Chapter.objects.get(name="New York City")
    cancelled = Meeting.objects.filter(cancelled_at__isnull=False)
    assert [(m.chapter, m.cancelled_by.email) for m in cancelled] == [
        (nyc, "coordinator@demo.example.org")]
    assert cancelled[0] == list(nyc.meetings.upcoming(AFTER))[1]  # the next one still holds
    assert not cancelled[0].rsvps.exists()
    offer = CoordinatorOffer.objects.get()
    assert (offer.chapter, offer.status, offer.offered_by.email) == (
        nyc, "pending", "coordinator@demo.example.org")
    assert nyc.is_member(offer.member, TODAY)
    assert not nyc.coordinators.filter(pk=offer.member_id).exists()


def counts() -> tuple:
    return (Meeting.objects.count(), Meeting.objects.filter(cancelled_at__isnull=False).count(),
            Rsvp.objects.count(), Call.objects.count(), CoordinatorOffer.objects.count())


def test_running_it_twice_changes_nothing(seeded):
    assert (seeded.meetings, seeded.rsvps) == (0, 0)  # the demo had seeded them already
    before = counts()
    again = seed_meetings_and_calls(today=TODAY)
    assert (again.meetings, again.rsvps) == (0, 0)
    assert counts() == before
