"""Coordinators change and cancel meetings and end a series; who said yes or maybe is told."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.meetings import services
from chapterhouse.meetings.models import ChapterMonth, Meeting, Rsvp
from chapterhouse.outbox.services import outbox_deliver_due
from chapterhouse.verdicts.selectors import chapter_verdicts
from tests.conftest import VIENNA, client_for, join, make_meeting, make_member, make_qualifying

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
ANSWERED = datetime.datetime(2014, 1, 30, tzinfo=UTC)
# The organization's now is 2014-02-01 12:00 UTC; Springfield meets in New York time.
FEB_20 = datetime.datetime(2014, 2, 20, 23, tzinfo=UTC)  # 18:00 in New York
# Cancelling a meeting: its checks, the update, the months recomputed, the audit entry, the
# answers read (members and cities joined), every email in one insert, and the dashboard's
# figures marked stale (organizations/figures.py), whatever their number.
QUERIES_TO_CANCEL = 22  # with the answers' email preferences (notices/routing.py)


@pytest.fixture
def upcoming(springfield, alice, bob):
    meeting = Meeting.objects.create(chapter=springfield, venue="Library", starts_at=FEB_20)
    Rsvp.objects.create(meeting=meeting, member=bob, answer="yes", answered_at=ANSWERED)
    return meeting


def edit(meeting, who, **changes):
    fields = {"day": datetime.date(2014, 2, 20), "start_time": datetime.time(18),
              "duration_minutes": meeting.duration_minutes, "title": meeting.title,
              "venue": meeting.venue, "description": meeting.description, **changes}
    return services.meeting_edit(context_for(who), meeting=meeting, **fields)


def months(chapter):
    return sorted(ChapterMonth.objects.filter(chapter=chapter).values_list("month", flat=True))


def test_a_new_time_and_place_reach_those_who_said_yes_or_maybe_one_email_each(
        upcoming, springfield, alice, bob):
    dora = make_member("dora@example.org", "Dora", VIENNA, languages=["de"])
    join(springfield, dora)
    eve = make_member("eve@example.org", "Eve")
    join(springfield, eve)
    Rsvp.objects.create(meeting=upcoming, member=dora, answer="maybe", answered_at=ANSWERED)
    Rsvp.objects.create(meeting=upcoming, member=eve, answer="no", answered_at=ANSWERED)
    changed = edit(upcoming, alice, start_time=datetime.time(19), venue="Town hall")
    assert changed.told == 2
    outbox_deliver_due()  # the worker's next turn
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org", "dora@example.org"]
    bobs = next(m for m in mail.outbox if m.to == ["bob@example.org"])
    assert "Town hall" in bobs.body
    assert "Springfield" in bobs.subject
    assert f"/meetings/{upcoming.pk}/" in bobs.body
    doras = next(m for m in mail.outbox if m.to == ["dora@example.org"])
    assert "Wann" in doras.body  # in her language
    upcoming.refresh_from_db()
    assert upcoming.starts_at == datetime.datetime(2014, 2, 21, 0, tzinfo=UTC)
    assert upcoming.venue == "Town hall"


def test_a_meeting_moved_to_another_month_moves_its_stored_month(upcoming, springfield, alice):
    assert months(springfield) == [datetime.date(2014, 2, 1)]
    edit(upcoming, alice, day=datetime.date(2014, 3, 5))
    assert months(springfield) == [datetime.date(2014, 3, 1)]


def test_a_meeting_with_attendance_cannot_move_to_another_month(springfield, alice, bob):
    held = make_meeting(springfield, datetime.datetime(2014, 1, 10, 23, tzinfo=UTC),
                        [alice, bob])
    with pytest.raises(Exception, match="Attendance is recorded at this meeting"):
        edit(held, alice, day=datetime.date(2013, 12, 30))
    held.refresh_from_db()
    assert held.starts_at == datetime.datetime(2014, 1, 10, 23, tzinfo=UTC)
    assert months(springfield) == [datetime.date(2014, 1, 1)]
    # Within its month it can be corrected, and nobody is emailed about the past.
    edit(held, alice, day=datetime.date(2014, 1, 12))
    assert months(springfield) == [datetime.date(2014, 1, 1)]
    assert mail.outbox == []


def test_a_past_meeting_is_never_moved_into_the_future_nor_an_upcoming_one_into_the_past(
        upcoming, springfield, alice):
    past = make_meeting(springfield, datetime.datetime(2014, 1, 10, 23, tzinfo=UTC))
    with pytest.raises(Exception, match="cannot be moved into the future"):
        edit(past, alice, day=datetime.date(2014, 2, 20))
    with pytest.raises(Exception, match="has already passed"):
        edit(upcoming, alice, day=datetime.date(2014, 1, 20))


def test_nothing_changed_is_refused(upcoming, alice):
    with pytest.raises(Exception, match="Nothing changed"):
        edit(upcoming, alice)


def test_a_cancelled_meeting_stays_marked_takes_nothing_and_no_longer_counts(
        upcoming, springfield, alice, bob):
    cancelled = services.meeting_cancel(context_for(alice), meeting=upcoming,
                                        note="The library is closed.")
    assert cancelled.told == 1
    outbox_deliver_due()
    assert [m.to[0] for m in mail.outbox] == ["bob@example.org"]
    assert "The library is closed." in mail.outbox[0].body
    assert "Cancelled" in mail.outbox[0].subject
    upcoming.refresh_from_db()
    assert upcoming.cancelled
    assert upcoming.cancelled_by == alice
    assert months(springfield) == []  # its month no longer has a meeting
    with pytest.raises(Exception, match="cancelled"):
        services.rsvp_set(context_for(bob), meeting=upcoming, answer="yes")
    assert services.attendance_problems(meeting=upcoming, members=[bob],
                                        now=datetime.datetime(2014, 3, 1, tzinfo=UTC))
    with pytest.raises(Exception, match="cancelled"):
        services.meeting_cancel(context_for(alice), meeting=upcoming)
    assert len(mail.outbox) == 1


def test_a_meeting_that_took_place_cannot_be_cancelled(springfield, alice, bob):
    held = make_meeting(springfield, datetime.datetime(2014, 1, 10, 23, tzinfo=UTC), [bob])
    with pytest.raises(Exception, match="it took place"):
        services.meeting_cancel(context_for(alice), meeting=held)
    held.refresh_from_db()
    assert not held.cancelled


def test_cancelling_an_empty_past_meeting_updates_the_verdict(springfield, alice):
    make_qualifying(springfield)
    ctx = context_for(alice)
    on = datetime.date(2014, 2, 1)
    assert chapter_verdicts([springfield], rule=ctx.organization.rule, on=on)[
        springfield.pk].status == "qualifying"
    # A January meeting nobody was recorded at, cancelled: January still counts by the other.
    empty = make_meeting(springfield, datetime.datetime(2014, 1, 20, 23, tzinfo=UTC))
    services.meeting_cancel(ctx, meeting=empty)
    row = ChapterMonth.objects.get(chapter=springfield, month=datetime.date(2014, 1, 1))
    assert row.meetings == 1
    assert mail.outbox == []  # a past meeting: nobody to tell


def test_a_cancelled_meeting_gets_no_reminder_and_is_marked_in_the_feed(
        client, upcoming, springfield, alice):
    upcoming.starts_at = datetime.datetime(2014, 2, 2, 8, tzinfo=UTC)
    upcoming.save(update_fields=["starts_at"])
    services.meeting_cancel(context_for(alice), meeting=upcoming)
    mail.outbox.clear()
    from chapterhouse.meetings.selectors import meetings_reminder_due
    assert not meetings_reminder_due(context_for(alice).now()).exists()
    feed = services.chapter_feed_ensure(chapter=springfield)
    body = client.get(reverse("meeting_feed", args=[feed.token])).content.decode()
    assert "STATUS:CANCELLED" in body


def test_ending_a_series_removes_or_cancels_what_follows_and_keeps_the_past(
        springfield, alice, bob):
    ctx = context_for(alice)
    series = services.meeting_schedule(ctx, chapter=springfield,
                                       first_day=datetime.date(2014, 2, 11),
                                       start_time=datetime.time(18), occurrences=4)
    past = Meeting.objects.create(chapter=springfield, series=series[0].series,
                                  starts_at=datetime.datetime(2014, 1, 14, 23, tzinfo=UTC))
    Rsvp.objects.create(meeting=series[2], member=bob, answer="yes", answered_at=ANSWERED)
    ended = services.series_end(ctx, meeting=series[0], from_day=datetime.date(2014, 3, 1))
    # February stays; March and May (nobody answered) go; April (Bob said yes) is cancelled.
    assert (ended.removed, ended.cancelled, ended.told) == (2, 1, 1)
    left = Meeting.objects.filter(series=series[0].series).order_by("starts_at")
    assert [(m.pk, m.cancelled) for m in left] == [
        (past.pk, False), (series[0].pk, False), (series[2].pk, True)]
    outbox_deliver_due()
    assert [m.to[0] for m in mail.outbox] == ["bob@example.org"]
    assert months(springfield) == [datetime.date(2014, 1, 1), datetime.date(2014, 2, 1)]
    with pytest.raises(Exception, match="past meetings stay"):
        services.series_end(ctx, meeting=series[0], from_day=datetime.date(2014, 1, 1))


def test_ending_a_series_says_what_happened_in_whole_plural_sentences(client, springfield,
                                                                      alice, bob):
    ctx, c = context_for(alice), client_for(client, alice)
    series = services.meeting_schedule(ctx, chapter=springfield,
                                       first_day=datetime.date(2014, 2, 11),
                                       start_time=datetime.time(18), occurrences=4)
    Rsvp.objects.create(meeting=series[2], member=bob, answer="yes", answered_at=ANSWERED)
    page = c.post(reverse("meeting_series_end", args=[series[0].pk]),
                  {"from_day": "2014-03-01"}, follow=True).text
    assert ("The series is ended: 2 later meetings are removed. 1 meeting that members had "
            "answered is kept in the history, cancelled. 1 member who said they would come is "
            "told.") in page
    assert "(s)" not in page
    two = services.meeting_schedule(ctx, chapter=springfield,
                                    first_day=datetime.date(2014, 2, 12),
                                    start_time=datetime.time(18), occurrences=2)
    page = c.post(reverse("meeting_series_end", args=[two[0].pk]),
                  {"from_day": "2014-03-01"}, follow=True).text
    assert "The series is ended: 1 later meeting is removed.</" in page


def test_the_pages_show_the_cancelled_meeting_and_offer_the_change_to_coordinators(
        client, upcoming, alice, bob):
    c = client_for(client, alice)
    assert reverse("meeting_edit", args=[upcoming.pk]) in c.get(
        reverse("meeting_detail", args=[upcoming.pk])).text
    response = c.post(reverse("meeting_cancel", args=[upcoming.pk]), {"note": ""})
    assert response.status_code == 302
    client_for(client, bob)
    page = client.get(reverse("meeting_detail", args=[upcoming.pk])).text
    assert "This meeting was cancelled" in page
    assert 'name="answer"' not in page
    assert "Cancelled" in client.get(reverse("chapter_meetings", args=["springfield"])).text


def _answered(meeting, chapter, n):
    from chapterhouse.members.models import Member

    people = [Member.objects.create(email=f"r{meeting.pk}-{i}@example.org", place=chapter.place,
                                    display_name=f"R {i}", joined_on=datetime.date(2012, 3, 1))
              for i in range(n)]
    for person in people:
        join(chapter, person)
    Rsvp.objects.bulk_create(Rsvp(meeting=meeting, member=p, answer="yes",
                                  answered_at=ANSWERED) for p in people)


@pytest.mark.parametrize("n", [5, 15])
def test_cancelling_costs_the_same_queries_for_n_and_3n_answers(
        springfield, alice, n, django_assert_num_queries):
    """Telling those who answered is a constant number of queries, however many they are."""
    meeting = Meeting.objects.create(chapter=springfield, venue="Library", starts_at=FEB_20)
    _answered(meeting, springfield, n)
    meeting = Meeting.objects.select_related("chapter__place").get(pk=meeting.pk)
    ctx = context_for(alice)
    ctx.actor.coordinated_chapter_ids  # noqa: B018 (the roles, read once, before counting)
    ContentType.objects.get_for_model(Meeting)  # Django caches it for the process
    with django_assert_num_queries(QUERIES_TO_CANCEL):
        cancelled = services.meeting_cancel(ctx, meeting=meeting)
    assert cancelled.told == n
