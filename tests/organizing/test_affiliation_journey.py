"""An affiliation carried out end to end on the demo, through the pages (Django's test client)
and the close: the Boston Solidarity Network goes from contacted to talking, its
agreement is put to the members of its region (no chapter is near Boston), they agree, the
affiliated chapter is created at Boston, the network's list is invited, and of two newcomers
the one who accepts becomes a member while the one who does not is not (no account, no
membership); an existing member on the list is invited on the site and stays out until they
accept. Also: the demo shows every stage."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
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
from chapterhouse.decisions.affiliation import affiliation_rows
from chapterhouse.decisions.electorate import eligible_voters
from chapterhouse.decisions.models import Poll
from chapterhouse.decisions.services import ballot_cast, poll_close
from chapterhouse.domain.affiliation import Stage
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.organizing.models import SympatheticOrganization
from chapterhouse.outbox.models import OutboxMessage
from tests.conftest import client_for, make_member

pytestmark = pytest.mark.django_db

ORGANIZER = "coordinator@demo.example.org"  # the letter's author, an organizer in the demo
LINK = re.compile(r"http://[^/]+(/invitations/email/\S+/)")


def test_the_demo_shows_affiliations_at_every_stage(demo):
    stages = {row.stage for row in affiliation_rows()}
    assert stages == {Stage.IDENTIFIED, Stage.CONTACTED, Stage.TALKING, Stage.PROPOSED,
                      Stage.AFFILIATED, Stage.DECLINED}
    melbourne = next(r for r in affiliation_rows()
                     if r.organization.name == "Melbourne Renters' Union")
    assert melbourne.stage == Stage.TALKING  # its members voted it down in January
    assert melbourne.proposal.poll.result["passed"] is False
    assert not Chapter.objects.filter(affiliated_from="Melbourne Renters' Union").exists()


def test_the_boston_network_becomes_a_chapter_and_only_those_who_accept_join(demo, client):
    today = Organization.objects.current().today
    boston = SympatheticOrganization.objects.get(name="Boston Solidarity Network")
    organizer = Member.objects.get(email=ORGANIZER)
    c = client_for(client, organizer)
    page = reverse("affiliation_detail", args=[boston.pk])
    assert "Contacted" in c.get(page).text

    # contacted -> talking, with a note
    c.post(reverse("affiliation_move", args=[boston.pk]),
           {"to": "talking", "note": "Their assembly wants to join."})
    assert "Their assembly wants to join." in c.get(page).text

    # talking -> agreement proposed: no chapter near Boston, so North America votes
    response = c.post(reverse("affiliation_propose", args=[boston.pk]), {"days": "7"},
                      follow=True)
    assert "was put to the members" in response.text
    poll = Poll.objects.get(affiliation__organization=boston)
    assert (poll.level, poll.region, poll.kind) == ("region", "NA", "proposal")
    assert "Agreement proposed" in c.get(page).text

    # The members vote (the organizer among them, on the poll's page); it passes at its close.
    c.post(reverse("ballot_submit", args=[poll.pk]), {"stance": "agree"})
    for voter in eligible_voters(poll).exclude(pk=organizer.pk).order_by("pk")[:3]:
        ballot_cast(context_for(voter), poll=poll, data={"stance": ["agree"]})
    assert poll_close(context_for(), poll=poll, now=poll.closes_at, announce=False)
    poll.refresh_from_db()
    assert poll.result["passed"]
    assert poll.result["ballots"] == 4

    chapter = Chapter.objects.get(affiliation_proposal__poll=poll)
    assert (chapter.origin, chapter.affiliated_from, chapter.place.name) == (
        Origin.AFFILIATED, "Boston Solidarity Network", "Boston")
    assert not chapter.memberships.exists()
    assert "Affiliated chapter" in c.get(page).text

    # The network's list: two newcomers and one existing member.
    existing = Member.objects.filter(is_active=True, place__continent_code="NA",
                                     email_confirmed=True).exclude(pk=organizer.pk).first()
    accounts = Member.objects.count()
    listing = (f"name,email\nRosa Diaz,rosa@bostonsolidarity.example.org\n"
               f"Ben Kim,ben@bostonsolidarity.example.org\nA member,{existing.email}\n")
    response = c.post(reverse("affiliation_invite", args=[boston.pk]),
                      {"people": SimpleUploadedFile("list.csv", listing.encode())},
                      follow=True)
    assert "Invited: 3." in response.text
    assert EmailInvitation.objects.filter(chapter=chapter).count() == 2
    assert Member.objects.count() == accounts  # nobody is given an account
    assert Invitation.objects.get(chapter=chapter).member == existing

    # Rosa signs up with her address, opens the emailed link and accepts: she is a member.
    mail = OutboxMessage.objects.get(to="rosa@bostonsolidarity.example.org")
    assert mail.kind == "affiliation_invitation"
    link = LINK.search(mail.body).group(1)
    rosa = make_member("rosa@bostonsolidarity.example.org", "Rosa")
    client.logout()
    client_for(client, rosa).post(link, {"answer": "accept"})
    assert chapter.is_member(rosa, today)

    # Ben never answers: no account, no membership. The existing member has not accepted.
    assert not Member.objects.filter(email="ben@bostonsolidarity.example.org").exists()
    assert EmailInvitation.objects.get(email="ben@bostonsolidarity.example.org").status \
        == InvitationStatus.PENDING
    assert list(ChapterMembership.objects.filter(chapter=chapter)
                .values_list("member", flat=True)) == [rosa.pk]
