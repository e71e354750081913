"""'Delete my account' anonymises: the member is gone, their history stays true
(issue 9, attack 5: erasure rewrites history)."""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from chapterhouse.chapters.models import (
    ChapterMembership,
    EmailInvitation,
    Invitation,
    JoinRequest,
)
from chapterhouse.context import context_for
from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.meetings.models import Attendance, CalendarFeed, Rsvp
from chapterhouse.members.models import Member
from chapterhouse.organizing.models import Organizer
from chapterhouse.privacy.services import member_erase
from chapterhouse.verdicts.selectors import chapter_verdicts
from tests.conftest import PASSWORD, client_for, join, make_meeting, make_member

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
TODAY = datetime.date(2014, 2, 1)


@pytest.fixture
def qualifying(springfield, alice, bob):
    """Springfield qualifies on its last three months with five attendees, two women."""
    others = [make_member(f"q{i}@example.org", f"Q{i}", gender=g)
              for i, g in enumerate(["woman", "man", "man"])]
    for member in others:
        join(springfield, member)
    people = [alice, bob, *others]
    for month in ((2013, 11), (2013, 12), (2014, 1)):
        make_meeting(springfield, datetime.datetime(*month, 12, 23, tzinfo=UTC), people)
    return people


def erase_page(client, member):
    return client_for(client, member).post(reverse("member_erase"), {"password": PASSWORD},
                                           follow=True)


def test_erasing_keeps_past_attendance_and_the_verdict(client, springfield, qualifying,
                                                      organization):
    woman = qualifying[2]
    rule = organization.rule
    before = chapter_verdicts([springfield], rule=rule, on=TODAY)[springfield.pk]
    assert before.status == "qualifying"
    erase_page(client, woman)
    after = chapter_verdicts([springfield], rule=rule, on=TODAY)[springfield.pk]
    assert after == before
    assert Attendance.objects.filter(member=woman).count() == 3


def test_the_tombstone_keeps_nothing_that_names_the_person(client, springfield, alice):
    erase_page(client, alice)
    tomb = Member.objects.get(pk=alice.pk)
    assert tomb.erased_at is not None
    assert not tomb.is_active
    assert tomb.email.endswith("@erased.invalid")
    assert "alice" not in tomb.email
    assert tomb.display_name == ""
    assert tomb.place is None
    assert tomb.languages == []
    assert not tomb.has_usable_password()
    assert not tomb.is_staff
    assert tomb.gender == "woman"  # what the rule counted over her past attendance
    assert str(tomb) == "former member"


def test_erasure_asks_for_the_password(client, alice):
    response = client_for(client, alice).post(reverse("member_erase"), {"password": "wrong"})
    assert "That is not your password." in response.text
    assert Member.objects.get(pk=alice.pk).erased_at is None


def test_erasure_ends_the_session_and_the_login(client, alice):
    response = erase_page(client, alice)
    assert "Your account is deleted." in response.text
    assert SESSION_KEY not in client.session
    page = client.post(reverse("login"), {"username": "alice@example.org",
                                          "password": PASSWORD})
    assert page.status_code == 200
    assert SESSION_KEY not in client.session


def test_another_open_session_is_ended_too(client, alice, django_user_model):
    from django.test import Client

    other = Client()
    other.force_login(alice)
    erase_page(client, alice)
    assert other.get(reverse("member_profile")).status_code == 302  # to the login page


def test_what_only_looks_forward_is_deleted_and_memberships_end_today(
        springfield, vienna, alice, organization):
    future = make_meeting(springfield, datetime.datetime(2030, 1, 1, tzinfo=UTC))
    past = make_meeting(springfield, datetime.datetime(2013, 12, 1, tzinfo=UTC), [alice])
    for meeting in (future, past):
        Rsvp.objects.create(meeting=meeting, member=alice, answer="yes",
                            answered_at=datetime.datetime(2013, 11, 1, tzinfo=UTC))
    CalendarFeed.objects.create(member=alice)
    Invitation.objects.create(chapter=vienna, member=alice, expires_on=TODAY)
    JoinRequest.objects.create(chapter=vienna, member=alice)
    EmailInvitation.objects.create(chapter=vienna, email="alice@example.org", token_hash="x",
                                   expires_on=TODAY)
    need = Need.objects.create(posted_by=alice, title="Flyers", language="en")
    other_need = Need.objects.create(chapter=vienna, posted_by=alice, title="Old",
                                     language="en", closed_at=datetime.datetime(2013, 1, 1,
                                                                                tzinfo=UTC))
    Offer.objects.create(need=other_need, member=alice, message="Done it")
    Organizer.objects.create(member=alice, place=springfield.place, hours_per_week=10,
                             months=3, starts_on=TODAY)
    member_erase(context_for(), member=alice)
    assert list(Rsvp.objects.filter(member=alice).values_list("meeting", flat=True)) == [past.pk]
    assert not CalendarFeed.objects.filter(member=alice).exists()
    assert not Invitation.objects.filter(member=alice).exists()
    assert not JoinRequest.objects.filter(member=alice).exists()
    assert not EmailInvitation.objects.exists()
    need.refresh_from_db()
    assert need.closed_at is not None  # the post stays, closed, by a "former member"
    assert Offer.objects.filter(member=alice).count() == 1  # on a closed need: history
    membership = ChapterMembership.objects.get(member=alice)
    assert membership.left_on == TODAY
    assert not springfield.coordinators.filter(pk=alice.pk).exists()
    assert not Organizer.objects.get(member=alice).active


def test_erasing_twice_changes_nothing(alice):
    first = member_erase(context_for(), member=alice)
    again = member_erase(context_for(), member=alice)
    assert again.email == first.email
    assert again.erased_at == first.erased_at


def test_posts_show_former_member(client, alice, bob, springfield):
    need = Need.objects.create(posted_by=alice, title="Flyers", language="en")
    member_erase(context_for(), member=alice)
    Need.objects.filter(pk=need.pk).update(closed_at=None)
    page = client_for(client, bob).get(reverse("need_detail", args=[need.pk]))
    assert "former member" in page.text
    assert "Alice" not in page.text


def test_the_profile_links_both_data_rights(client, bob):
    page = client_for(client, bob).get(reverse("member_profile")).text
    assert reverse("member_data_download") in page
    assert reverse("member_erase") in page


def test_the_erased_are_not_in_the_member_count(alice, bob, organization):
    from chapterhouse.goals.snapshot import measure

    before = measure(organization).snapshot.members
    member_erase(context_for(), member=alice)
    assert measure(organization).snapshot.members == before - 1


def test_erasure_leaves_the_name_in_no_audit_entry_and_records_one_entry(
        client, springfield, alice, bob):
    from auditlog.models import LogEntry

    from tests.conftest import make_chapter

    shelbyville = make_chapter("Shelbyville", 5128581)
    zelda = make_member("zelda@example.org", "Zelda Quux", gender="woman")
    join(springfield, zelda)
    springfield.coordinators.add(zelda)  # an m2m entry naming her on the chapter
    JoinRequest.objects.create(chapter=shelbyville, member=zelda)
    staff = make_member("staff@example.org", "Staff", is_staff=True)
    before = LogEntry.objects.count()
    member_erase(context_for(staff), member=zelda)
    erasures = LogEntry.objects.filter(changes_text="erasure")
    assert erasures.count() == 1
    assert LogEntry.objects.count() == before + 1
    assert not [e for e in LogEntry.objects.all()
                if "Zelda" in e.object_repr or "Zelda" in str(e.changes)
                or "zelda@example.org" in str(e.actor_email)]
    assert "Springfield" in str(erasures.get().changes)  # what the erasure ended is kept


def test_only_the_member_staff_or_the_system_may_erase_an_account(alice, bob):
    with pytest.raises(PermissionDenied):
        member_erase(context_for(alice), member=bob)  # a coordinator is not staff
    assert Member.objects.get(pk=bob.pk).erased_at is None
    member_erase(context_for(bob), member=bob)
    assert Member.objects.get(pk=bob.pk).erased_at is not None


def test_an_erasure_reads_future_meetings_on_the_organizations_clock(springfield, alice,
                                                                     organization):
    """One clock: the test organization's now is 1 February 2014, so a 2020 meeting is still
    ahead of it (its RSVP goes) though it is past by the real date."""
    ahead = make_meeting(springfield, datetime.datetime(2020, 6, 1, tzinfo=UTC))
    behind = make_meeting(springfield, datetime.datetime(2014, 1, 15, tzinfo=UTC), [alice])
    for meeting in (ahead, behind):
        Rsvp.objects.create(meeting=meeting, member=alice, answer="yes",
                            answered_at=datetime.datetime(2014, 1, 1, tzinfo=UTC))
    member_erase(context_for(alice), member=alice)
    assert list(Rsvp.objects.filter(member=alice).values_list("meeting", flat=True)) == [
        behind.pk]
    assert ChapterMembership.objects.get(member=alice).left_on == organization.today
