"""Guests (no account) in the qualification rule: each counts as an attendee; toward the
women's share only when the coordinator said so, never by default."""

import datetime

from chapterhouse.domain.qualification import Attendee, MeetingRecord, Rule, count_meeting

START = datetime.datetime(2014, 1, 10, 19, tzinfo=datetime.UTC)
RULE = Rule()


def test_a_guest_counts_as_an_attendee_but_not_toward_the_share_by_default():
    record = MeetingRecord("m", START, (Attendee("1", "woman"), Attendee("guest-1")))
    count = count_meeting(record, RULE)
    assert (count.attendees, count.counted) == (2, 1)


def test_a_guest_counts_toward_the_share_when_the_coordinator_said_so():
    record = MeetingRecord("m", START, (Attendee("1", "man"), Attendee("guest-1", None, True),
                                        Attendee("guest-2", None, False)))
    count = count_meeting(record, RULE)
    assert (count.attendees, count.counted) == (3, 1)


def test_a_guest_listed_twice_counts_once_and_only_if_both_say_so():
    record = MeetingRecord("m", START, (Attendee("guest-1", None, True),
                                        Attendee("guest-1", None, False)))
    count = count_meeting(record, RULE)
    assert (count.attendees, count.counted) == (1, 0)
