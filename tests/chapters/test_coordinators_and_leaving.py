"""Co-coordinators and handing over (the receiver accepts), stepping down, leaving a chapter."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from chapterhouse.chapters.models import ChapterMembership, CoordinatorOffer, OfferStatus
from chapterhouse.chapters.stewardship import (
    coordinator_offer_answer,
    coordinator_offer_create,
    coordinator_offer_withdraw,
    coordinator_step_down,
    membership_leave,
)
from chapterhouse.context import context_for
from chapterhouse.meetings.models import Answer, Attendance, Rsvp
from chapterhouse.meetings.selectors import meeting_page
from chapterhouse.outbox.services import outbox_deliver_due
from chapterhouse.verdicts.selectors import chapter_verdicts
from tests.conftest import client_for, make_meeting, make_qualifying

pytestmark = pytest.mark.django_db

ON = datetime.date(2014, 2, 1)  # the organization's today


def coordinators(chapter):
    return sorted(m.display_name for m in chapter.coordinators.all())


def test_a_member_becomes_co_coordinator_only_by_accepting(springfield, alice, bob):
    offer = coordinator_offer_create(context_for(alice), chapter=springfield, member=bob,
                                     handover=False)
    outbox_deliver_due()
    assert [m.to[0] for m in mail.outbox] == ["bob@example.org"]
    assert "Alice asks you to coordinate Springfield" in mail.outbox[0].subject
    assert coordinators(springfield) == ["Alice"]
    coordinator_offer_answer(context_for(bob), offer=offer, accept=True)
    assert coordinators(springfield) == ["Alice", "Bob"]
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED


def test_on_a_handover_the_giver_stays_until_the_receiver_accepts(springfield, alice, bob):
    offer = coordinator_offer_create(context_for(alice), chapter=springfield, member=bob,
                                     handover=True)
    assert coordinators(springfield) == ["Alice"]
    coordinator_offer_answer(context_for(bob), offer=offer, accept=True)
    assert coordinators(springfield) == ["Bob"]


def test_a_declined_offer_changes_nothing_and_the_giver_is_told(springfield, alice, bob):
    offer = coordinator_offer_create(context_for(alice), chapter=springfield, member=bob,
                                     handover=True)
    coordinator_offer_answer(context_for(bob), offer=offer, accept=False)
    assert coordinators(springfield) == ["Alice"]
    outbox_deliver_due()
    assert any(m.to == ["alice@example.org"] and "declined" in m.subject for m in mail.outbox)
    with pytest.raises(Exception, match="already been answered"):
        coordinator_offer_answer(context_for(bob), offer=offer, accept=True)
    assert coordinators(springfield) == ["Alice"]


def test_whoever_asked_withdraws_the_offer_and_the_member_is_told(springfield, alice, bob):
    offer = coordinator_offer_create(context_for(alice), chapter=springfield, member=bob,
                                     handover=True)
    outbox_deliver_due()
    mail.outbox.clear()
    coordinator_offer_withdraw(context_for(alice), offer=offer)
    outbox_deliver_due()
    assert [(m.to[0], m.subject) for m in mail.outbox] == [
        ("bob@example.org", "The offer to coordinate Springfield is withdrawn")]
    with pytest.raises(Exception, match="already been answered"):
        coordinator_offer_answer(context_for(bob), offer=offer, accept=True)
    assert coordinators(springfield) == ["Alice"]
    with pytest.raises(Exception, match="already been answered"):
        coordinator_offer_withdraw(context_for(alice), offer=offer)


def test_only_the_member_asked_may_answer(springfield, alice, bob, olivia):
    offer = coordinator_offer_create(context_for(alice), chapter=springfield, member=bob,
                                     handover=False)
    with pytest.raises(PermissionDenied):
        coordinator_offer_answer(context_for(olivia), offer=offer, accept=True)
    assert coordinators(springfield) == ["Alice"]


def test_the_receiver_must_be_a_current_member_and_not_the_actor(springfield, alice, olivia):
    with pytest.raises(Exception, match="is not a member of Springfield"):
        coordinator_offer_create(context_for(alice), chapter=springfield, member=olivia,
                                 handover=True)
    with pytest.raises(Exception, match="nobody makes themselves"):
        coordinator_offer_create(context_for(alice), chapter=springfield, member=alice,
                                 handover=False)
    assert not CoordinatorOffer.objects.exists()


def test_an_offer_lapses_when_its_giver_no_longer_coordinates(springfield, alice, bob, olivia):
    ChapterMembership.objects.create(chapter=springfield, member=olivia, joined_on=ON)
    springfield.coordinators.add(olivia)
    offer = coordinator_offer_create(context_for(olivia), chapter=springfield, member=bob,
                                     handover=False)
    coordinator_step_down(context_for(olivia), chapter=springfield)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    with pytest.raises(Exception, match="already been answered"):
        coordinator_offer_answer(context_for(bob), offer=offer, accept=True)
    assert coordinators(springfield) == ["Alice"]


def test_the_last_coordinator_cannot_step_down_but_one_of_two_can(springfield, alice, bob):
    with pytest.raises(Exception, match="only coordinator of Springfield"):
        coordinator_step_down(context_for(alice), chapter=springfield)
    assert coordinators(springfield) == ["Alice"]
    springfield.coordinators.add(bob)
    coordinator_step_down(context_for(alice), chapter=springfield)
    assert coordinators(springfield) == ["Bob"]
    assert springfield.is_member(alice, ON)  # still a member


def test_a_member_leaves_and_history_stays(springfield, alice, bob):
    make_qualifying(springfield)
    held = make_meeting(springfield, datetime.datetime(2014, 1, 20, 23, tzinfo=datetime.UTC),
                        [alice, bob])
    rule = context_for(bob).organization.rule
    before = chapter_verdicts([springfield], rule=rule, on=ON)[springfield.pk]
    membership = membership_leave(context_for(bob), chapter=springfield)
    assert membership.left_on == ON
    assert not springfield.is_member(bob, ON)
    assert springfield.is_member(bob, datetime.date(2014, 1, 20))  # he was, then
    assert Attendance.objects.filter(meeting=held, member=bob).exists()
    assert chapter_verdicts([springfield], rule=rule, on=ON)[springfield.pk] == before
    with pytest.raises(Exception, match="not a member"):
        membership_leave(context_for(bob), chapter=springfield)


def counts(viewer, meeting):
    return {answer: n for answer, _label, n in meeting_page(context_for(viewer), meeting).counts}


def answer(meeting, member, said=Answer.YES):
    return Rsvp.objects.create(meeting=meeting, member=member, answer=said,
                               answered_at=datetime.datetime(2014, 1, 15, tzinfo=datetime.UTC))


def test_leaving_withdraws_the_answers_to_upcoming_meetings_only(springfield, vienna, alice,
                                                                 bob):
    past = make_meeting(springfield, datetime.datetime(2014, 1, 20, 23, tzinfo=datetime.UTC),
                        [bob])
    soon = make_meeting(springfield, datetime.datetime(2014, 2, 10, 23, tzinfo=datetime.UTC))
    later = make_meeting(springfield, datetime.datetime(2014, 3, 10, 23, tzinfo=datetime.UTC))
    elsewhere = make_meeting(vienna, datetime.datetime(2014, 2, 10, 18, tzinfo=datetime.UTC))
    ChapterMembership.objects.create(chapter=vienna, member=bob, joined_on=ON)
    for meeting, said in ((past, Answer.YES), (soon, Answer.YES), (later, Answer.MAYBE),
                          (elsewhere, Answer.YES)):
        answer(meeting, bob, said)
    answer(soon, alice)
    assert counts(alice, soon)[Answer.YES] == 2

    membership_leave(context_for(bob), chapter=springfield)

    assert counts(alice, soon)[Answer.YES] == 1  # Alice only
    assert counts(alice, later)[Answer.MAYBE] == 0
    assert counts(alice, past)[Answer.YES] == 1  # what he said then stays, as does
    assert Attendance.objects.filter(meeting=past, member=bob).exists()  # his attendance
    assert Rsvp.objects.filter(meeting=elsewhere, member=bob).exists()  # another chapter


def test_a_refused_leave_keeps_the_answers(springfield, alice):
    soon = make_meeting(springfield, datetime.datetime(2014, 2, 10, 23, tzinfo=datetime.UTC))
    answer(soon, alice)
    with pytest.raises(Exception, match="only coordinator"):
        membership_leave(context_for(alice), chapter=springfield)
    assert counts(alice, soon)[Answer.YES] == 1


def test_the_last_coordinator_cannot_leave_without_handing_over(client, springfield, alice):
    c = client_for(client, alice)
    response = c.post(reverse("chapter_leave", args=[springfield.slug]), follow=True)
    assert "hand the role over to another member first" in response.text
    assert springfield.is_member(alice, ON)
    assert coordinators(springfield) == ["Alice"]


def test_a_coordinator_who_leaves_stops_coordinating_when_another_remains(
        springfield, alice, bob):
    springfield.coordinators.add(bob)
    membership_leave(context_for(alice), chapter=springfield)
    assert coordinators(springfield) == ["Bob"]
    assert not springfield.is_member(alice, ON)


def test_the_pages_ask_and_answer(client, springfield, alice, bob):
    c = client_for(client, alice)
    page = c.get(reverse("chapter_coordinators", args=[springfield.slug])).text
    assert "Bob" in page
    assert "Ask to take over from me" in page
    c.post(reverse("coordinator_offer_create", args=[springfield.slug]),
           {"member": str(bob.pk), "handover": "1"})
    offer = CoordinatorOffer.objects.get()
    client_for(client, bob)
    detail = client.get(reverse("chapter_detail", args=[springfield.slug])).text
    assert "Alice asks you to take over as coordinator of Springfield." in detail
    client.post(reverse("coordinator_offer_answer", args=[springfield.slug, offer.pk]),
                {"answer": "accept"})
    assert coordinators(springfield) == ["Bob"]
