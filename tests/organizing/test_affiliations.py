"""The affiliation pipeline with the personas: who may move it, propose and invite (staff and
organizers; everyone else 404), the proposal going to the nearest chapter or the region, the
chapter created when it passes, and the organization's list invited, with nobody made a
member without accepting."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from chapterhouse.chapters.models import (
    Chapter,
    ChapterMembership,
    EmailInvitation,
    Invitation,
    InvitationStatus,
    Origin,
)
from chapterhouse.context import context_for
from chapterhouse.decisions import affiliation
from chapterhouse.decisions.models import AffiliationProposal, Level, Poll
from chapterhouse.decisions.services import ballot_cast, poll_close
from chapterhouse.domain.affiliation import (
    Proposal,
    Spot,
    Stage,
    move_refusal,
    nearest_chapter,
    stage_of,
)
from chapterhouse.members.models import Member
from chapterhouse.organizing.models import AffiliationStep, Organizer, SympatheticOrganization
from chapterhouse.outbox.models import OutboxMessage
from chapterhouse.places.models import Place
from tests.conftest import NEW_YORK, client_for, make_member

pytestmark = pytest.mark.django_db

BROOKLYN = 5110302  # about 10 km from Springfield (New York)
BOSTON = 4930956  # about 300 km: no chapter near
TODAY = datetime.date(2014, 2, 1)


@pytest.fixture
def group(organization) -> SympatheticOrganization:
    return SympatheticOrganization.objects.create(
        name="Brooklyn Tenants", place=Place.objects.from_gazetteer(BROOKLYN), size=30,
        status="talking")


@pytest.fixture
def staff(organization) -> Member:
    return make_member("staff@example.org", "Sam", is_staff=True)


@pytest.fixture
def organizer(organization) -> Member:
    member = make_member("org@example.org", "Oona")
    Organizer.objects.create(member=member, place=member.place, hours_per_week=Decimal(10),
                             starts_on=datetime.date(2014, 1, 1), months=Decimal(4))
    return member


def _passed(poll: Poll, voters: list[Member]) -> Poll:
    for voter in voters:
        ballot_cast(context_for(voter), poll=poll, data={"stance": ["agree"]})
    poll_close(context_for(), poll=poll, now=poll.closes_at, announce=False)
    poll.refresh_from_db()
    return poll


# The rules ----------------------------------------------------------------------------------

def test_the_stage_comes_from_the_data_before_what_was_typed():
    assert stage_of("talking", proposal=None, has_chapter=False) == Stage.TALKING
    assert stage_of("talking", proposal=Proposal.OPEN, has_chapter=False) == Stage.PROPOSED
    assert stage_of("talking", proposal=Proposal.PASSED, has_chapter=False) == Stage.AGREED
    assert stage_of("talking", proposal=Proposal.PASSED, has_chapter=True) == Stage.AFFILIATED
    assert stage_of("talking", proposal=Proposal.FAILED, has_chapter=False) == Stage.TALKING
    assert move_refusal(Stage.TALKING, Stage.AFFILIATED) == "affiliation.not_typed"
    assert move_refusal(Stage.PROPOSED, Stage.DECLINED) == "affiliation.proposal_open"
    assert move_refusal(Stage.CONTACTED, Stage.CONTACTED) == "affiliation.same_stage"


def test_the_nearest_chapter_with_members_votes():
    spots = [Spot(1, 40.7, -74.0, 0), Spot(2, 40.75, -73.9, 3), Spot(3, 48.2, 16.4, 9)]
    assert nearest_chapter(40.7, -74.0, spots) == 2  # 1 is nearer but has no members
    assert nearest_chapter(42.36, -71.06, spots) is None  # Boston: nothing within 100 km


# Who may ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("persona", "allowed"), [
    (None, False), ("bob", False), ("alice", False), ("charlie", False), ("olivia", False),
    ("organizer", True), ("staff", True)])
def test_only_staff_and_organizers_see_and_move_the_pipeline(client, request, group, persona,
                                                             allowed):
    if persona is not None:
        client_for(client, request.getfixturevalue(persona))
    refused = 302 if persona is None else 404  # a visitor is sent to log in
    pages = [reverse("affiliation_list"), reverse("affiliation_detail", args=[group.pk])]
    for page in pages:
        assert client.get(page).status_code == (200 if allowed else refused)
    move = client.post(reverse("affiliation_move", args=[group.pk]), {"to": "declined"})
    propose = client.post(reverse("affiliation_propose", args=[group.pk]), {"days": "7"})
    assert move.status_code == propose.status_code == (302 if allowed else refused)
    group.refresh_from_db()
    if allowed:
        assert group.status == "declined"
        assert not Poll.objects.exists()  # declined first: then nothing to propose
    else:
        assert group.status == "talking"
        assert not AffiliationStep.objects.exists()
        assert not Poll.objects.exists()


def test_a_move_is_recorded_with_who_when_and_the_note_and_a_double_submit_is_refused(
        client, organizer, organization):
    group = SympatheticOrganization.objects.create(
        name="Queens Readers", place=Place.objects.from_gazetteer(NEW_YORK), size=8)
    c = client_for(client, organizer)
    url = reverse("affiliation_move", args=[group.pk])
    c.post(url, {"to": "contacted", "note": "Wrote to them."})
    second = c.post(url, {"to": "contacted", "note": "Wrote to them."}, follow=True)
    assert "at this stage already" in second.text
    step = AffiliationStep.objects.get()
    assert (step.stage, step.by, step.note) == ("contacted", organizer, "Wrote to them.")
    assert step.at == organization.clock.now()
    assert LogEntry.objects.filter(additional_data__action="affiliation_move").exists()
    page = c.get(reverse("affiliation_detail", args=[group.pk]))
    assert "Wrote to them." in page.text
    assert "Oona" in page.text


def test_a_stage_the_data_decides_cannot_be_typed(group, staff):
    with pytest.raises(ValidationError, match="comes from the data"):
        affiliation.affiliation_move(context_for(staff), organization=group, to="affiliated")
    with pytest.raises(ValidationError, match="comes from the data"):
        affiliation.affiliation_move(context_for(staff), organization=group, to="proposed")
    group.refresh_from_db()
    assert group.status == "talking"


# The proposal and the vote -----------------------------------------------------------------

def test_the_nearest_chapter_votes_and_only_its_members(group, organizer, alice, bob, charlie,
                                                        springfield):
    poll = affiliation.affiliation_propose(context_for(organizer), organization=group)
    assert (poll.level, poll.chapter, poll.kind, poll.secret) == (
        Level.CHAPTER, springfield, "proposal", True)
    assert affiliation.stage_now(group, affiliation.latest_proposal(group)) == Stage.PROPOSED
    with pytest.raises(ValidationError, match="not among the eligible"):
        ballot_cast(context_for(charlie), poll=poll, data={"stance": ["block"]})
    with pytest.raises(ValidationError, match="voting on this affiliation"):
        affiliation.affiliation_propose(context_for(organizer), organization=group)
    assert Poll.objects.count() == 1


def test_with_no_chapter_near_the_region_votes(organization, staff, springfield, alice):
    boston = SympatheticOrganization.objects.create(
        name="Boston Solidarity", place=Place.objects.from_gazetteer(BOSTON), size=40,
        status="talking")
    poll = affiliation.affiliation_propose(context_for(staff), organization=boston)
    assert (poll.level, poll.region, poll.chapter) == (Level.REGION, "NA", None)


def test_a_passed_proposal_creates_the_affiliated_chapter_with_nobody_in_it(
        group, organizer, alice, bob, springfield):
    poll = affiliation.affiliation_propose(context_for(organizer), organization=group)
    _passed(poll, [alice, bob])
    chapter = AffiliationProposal.objects.get(poll=poll).chapter
    assert chapter is not None
    assert (chapter.origin, chapter.affiliated_from, chapter.place_id) == (
        Origin.AFFILIATED, "Brooklyn Tenants", BROOKLYN)
    assert chapter.organizer == organizer.organizer
    assert not chapter.memberships.exists()
    assert not chapter.coordinators.exists()
    group.refresh_from_db()
    assert affiliation.stage_now(group, affiliation.latest_proposal(group)) == Stage.AFFILIATED
    assert [s.stage for s in group.steps.all()] == ["proposed", "agreed", "affiliated"]
    with pytest.raises(ValidationError, match="can no longer be changed"):
        affiliation.affiliation_move(context_for(organizer), organization=group, to="declined")


def test_a_failed_proposal_creates_nothing_and_may_be_proposed_again(group, organizer, alice,
                                                                     bob):
    poll = affiliation.affiliation_propose(context_for(organizer), organization=group)
    ballot_cast(context_for(alice), poll=poll, data={"stance": ["disagree"]})
    poll_close(context_for(), poll=poll, now=poll.closes_at, announce=False)
    assert not Chapter.objects.filter(origin=Origin.AFFILIATED).exists()
    assert affiliation.stage_now(group, affiliation.latest_proposal(group)) == Stage.TALKING
    assert affiliation.affiliation_propose(context_for(organizer), organization=group)


# The list ----------------------------------------------------------------------------------

@pytest.fixture
def affiliated(group, organizer, alice, bob) -> Chapter:
    poll = affiliation.affiliation_propose(context_for(organizer), organization=group)
    _passed(poll, [alice, bob])
    return AffiliationProposal.objects.get(poll=poll).chapter


def _upload(client, group, text: bytes | str):
    data = text.encode() if isinstance(text, str) else text
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("affiliation_invite", args=[group.pk]),
                       {"people": SimpleUploadedFile("people.csv", data)}, follow=True)


def test_the_list_invites_by_email_and_an_existing_member_on_the_site(
        client, group, affiliated, staff, charlie):
    before = Member.objects.count()
    c = client_for(client, staff)
    response = _upload(c, group, "email,name\nnew@example.org,Nora\n"
                                 "CHARLIE@example.org,Charlie\nnew@example.org,Nora again\n")
    assert "1 by email, 1 on the site" in response.text
    assert "1 repeated" in response.text
    assert Member.objects.count() == before  # no account made, and never a second one
    assert EmailInvitation.objects.get(chapter=affiliated).email == "new@example.org"
    assert Invitation.objects.get(chapter=affiliated).member == charlie
    assert not affiliated.memberships.exists()
    kinds = list(OutboxMessage.objects.filter(kind="affiliation_invitation")
                 .values_list("to", flat=True))
    assert sorted(kinds) == ["charlie@example.org", "new@example.org"]
    # The same list again invites nobody twice.
    again = _upload(c, group, "email,name\nnew@example.org,Nora\ncharlie@example.org,C\n")
    assert "0 by email, 0 on the site" in again.text
    assert OutboxMessage.objects.filter(kind="affiliation_invitation").count() == 2


@pytest.mark.parametrize(("text", "message"), [
    ("name,email\nNora,not-an-address\n", "line 2: not a usable email address"),
    ("name\nNora\n", "must name the two columns"),
    ("name,email,phone\nNora,n@example.org,1\n", "must name the two columns"),
    ("", "The file is empty"),
    ("name,email\n" + "x,a@example.org\n" * 9000, "larger than 100 KB"),
    (b"name,email\n\xff\xfe,broken\n", "cannot be read as CSV"),
])
def test_a_bad_list_gets_a_clear_message_and_changes_nothing(client, group, affiliated,
                                                            staff, text, message):
    response = _upload(client_for(client, staff), group, text)
    assert message in response.text
    assert not EmailInvitation.objects.exists()
    assert not Invitation.objects.exists()
    assert not group.steps.filter(stage="invited").exists()


def test_a_list_over_the_daily_limit_is_refused_whole(client, group, affiliated, staff,
                                                      settings):
    settings.CHAPTER_EMAIL_INVITATIONS_PER_DAY = 2
    response = _upload(client_for(client, staff), group,
                       "name,email\nA,a@example.org\nB,b@example.org\nC,c@example.org\n")
    assert "needs 3 email invitations; the chapter may send 2 more today" in response.text
    assert not EmailInvitation.objects.exists()


@pytest.mark.parametrize("persona", ["bob", "charlie", "alice"])
def test_members_and_coordinators_of_other_chapters_cannot_invite_a_list(
        client, request, group, affiliated, persona):
    response = _upload(client_for(client, request.getfixturevalue(persona)), group,
                       "name,email\nEve,eve@example.org\n")
    assert response.status_code == 404
    assert not EmailInvitation.objects.exists()


def test_nobody_on_the_list_is_a_member_until_they_accept(client, group, affiliated, staff,
                                                          charlie, mailoutbox):
    _upload(client_for(client, staff), group, "name,email\nCharlie,charlie@example.org\n")
    client.logout()
    assert not affiliated.is_member(charlie, TODAY)
    invitation = Invitation.objects.get(member=charlie)
    c = client_for(client, charlie)
    assert affiliated.name in c.get(reverse("invitations")).text
    c.post(reverse("invitation_respond", args=[invitation.pk]), {"answer": "decline"})
    assert not ChapterMembership.objects.filter(chapter=affiliated).exists()
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.DECLINED


def test_an_organizer_is_not_told_which_addresses_have_an_account(client, group, affiliated,
                                                                  organizer, charlie):
    response = _upload(client_for(client, organizer), group,
                       "name,email\nNora,new@example.org\nCharlie,charlie@example.org\n")
    assert "Invited: 2." in response.text
    assert "1 by email" not in response.text
    assert Invitation.objects.get(chapter=affiliated).member == charlie
