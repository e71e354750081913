"""A plan's candidate inside an existing chapter's area is that chapter's growth (issue 13,
item 6): instead of a rival chapter, its members without a chapter are invited to join THAT
chapter (an invitation each: nobody joins without accepting) and its coordinators are told.
Who may do it: the organizer the plan matched, and staff; nobody else."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from chapterhouse.chapters.models import Chapter, ChapterMembership, Invitation, InvitationStatus
from chapterhouse.chapters.services import invitation_answer
from chapterhouse.context import context_for
from chapterhouse.outbox.models import OutboxMessage
from chapterhouse.planner.models import PlanCandidate, PlanRun, RunStatus
from chapterhouse.planner.services import plan_candidate_grow, plan_page
from tests.conftest import client_for, join, make_chapter, make_member, make_organizer

pytestmark = pytest.mark.django_db

NEW_YORK = 5128581
VIENNA = 2761369
ON = datetime.date(2014, 2, 1)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(springfield, alice, bob, staff):
    oscar = make_member("oscar@example.org", "Oscar")
    oona = make_member("oona@example.org", "Oona")
    vienna = make_chapter("Vienna", VIENNA)
    victor = make_member("victor@example.org", "Victor", VIENNA)
    join(vienna, victor)
    vienna.coordinators.add(victor)
    return {"carrier": oscar, "other_organizer": oona, "staff": staff,
            "coordinator": alice, "other_coordinator": victor, "member": bob,
            "organizers": (make_organizer(oscar), make_organizer(oona))}


@pytest.fixture
def run(people):
    return PlanRun.objects.create(status=RunStatus.DONE, min_size=5, radius_km=25)


@pytest.fixture
def group(people, run, springfield):
    """A plan's group of five in New York, inside Springfield's area, matched to Oscar; one
    of them already belongs to Springfield, one declined its invitation before."""
    members = [make_member(f"g{i}@example.org", f"Group {i}", willing_to_meet=True)
               for i in range(5)]
    join(springfield, members[0])
    Invitation.objects.create(chapter=springfield, member=members[1], expires_on=ON,
                              status=InvitationStatus.DECLINED)
    PlanCandidate.objects.create(
        run=run, index=0, place="New York City", lat=40.71, lon=-74.0, size=5, women=2,
        max_travel_km=3.0, organizer=people["organizers"][0], organizer_km=4.0,
        start_by=datetime.date(2014, 4, 1), members=[str(m.pk) for m in members])
    return members


def test_the_growth_group_is_invited_to_the_existing_chapter_and_its_coordinators_told(
        people, run, group, springfield):
    grown = plan_candidate_grow(context_for(people["carrier"]), run=run, index=0)
    assert grown.chapter == springfield
    assert (grown.invited.invited, grown.invited.already) == (3, 2)
    invited = Invitation.objects.filter(chapter=springfield, status=InvitationStatus.PENDING)
    assert {i.member for i in invited} == set(group[2:])
    # Nobody joined by it, no chapter was created, the candidate is not "started".
    assert springfield.memberships.count() == 3  # alice, bob, group[0]
    assert Chapter.objects.count() == 2
    assert not PlanCandidate.objects.get(run=run, index=0).accepted
    mail = OutboxMessage.objects.filter(kind="chapter_growth_told")
    assert [m.to for m in mail] == ["alice@example.org"]
    assert "3 members" in mail[0].body
    assert "Springfield" in mail[0].subject
    to_group = OutboxMessage.objects.filter(kind="chapter_growth_invitation")
    assert sorted(m.to for m in to_group) == sorted(m.email for m in group[2:])
    assert "only if you accept" in to_group[0].body
    # Accepting makes a member; doing it again invites nobody twice.
    invitation_answer(context_for(group[2]), invitation=invited.get(member=group[2]),
                      accept=True)
    assert springfield.is_member(group[2], ON)
    again = plan_candidate_grow(context_for(people["staff"]), run=run, index=0)
    assert again.invited.invited == 0
    assert Invitation.objects.filter(chapter=springfield).count() == 4


def test_a_candidate_outside_every_area_is_not_growth(people, run, group):
    PlanCandidate.objects.filter(run=run, index=0).update(lat=-33.87, lon=151.21)
    with pytest.raises(ValidationError):
        plan_candidate_grow(context_for(people["staff"]), run=run, index=0)
    assert not Invitation.objects.filter(status=InvitationStatus.PENDING).exists()


# Capability x role: the matched organizer and staff may; another organizer, the chapter's
# own coordinator, a coordinator elsewhere, a member and a visitor may not.
MATRIX = {"carrier": True, "staff": True, "other_organizer": False, "coordinator": False,
          "other_coordinator": False, "member": False, "outsider": False}


@pytest.mark.parametrize(("who", "allowed"), MATRIX.items())
def test_who_may_invite_a_growth_group(people, run, group, springfield, who, allowed):
    ctx = context_for(AnonymousUser() if who == "outsider" else people[who])
    if allowed:
        assert plan_candidate_grow(ctx, run=run, index=0).invited.invited == 3
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            plan_candidate_grow(ctx, run=run, index=0)
        assert not Invitation.objects.filter(status=InvitationStatus.PENDING).exists()


def test_the_planner_page_offers_the_invitation_and_the_button_sends_it(
        people, run, group, springfield, client):
    run.page = plan_page({"new_chapters": [], "summary": {"new_chapters": 1,
                                                          "members_placed": 5}},
                         context_for().organization.rule)
    run.save()
    c = client_for(client, people["carrier"])
    html = c.get(reverse("planner")).text
    assert "Invite them to Springfield" in html
    # The organizer's workspace offers it too, on the candidate's row.
    assert "Invite them to Springfield" in c.get(reverse("organizing")).text
    response = c.post(reverse("candidate_grow", args=[run.pk, 0]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("chapter_detail", args=["springfield"])
    assert "3 members were invited to join Springfield" in response.text
    assert ChapterMembership.objects.filter(chapter=springfield).count() == 3
    member = client_for(client, people["member"])
    assert member.post(reverse("candidate_grow", args=[run.pk, 0])).status_code in (302, 403,
                                                                                     404)
    assert Invitation.objects.filter(status=InvitationStatus.PENDING).count() == 3
