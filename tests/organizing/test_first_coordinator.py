"""Who coordinates a chapter that starts without coordinators (issue 13): an affiliated
chapter's first coordinator is the contact person its organization gave, once they joined and
accepted the offer; otherwise staff or the organizer who carries it ask one of its members.
Nobody gains the role without accepting it."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from chapterhouse.chapters.affiliation import affiliated_chapter_create, affiliation_list_invite
from chapterhouse.chapters.models import CoordinatorOffer, Invitation, OfferStatus
from chapterhouse.chapters.services import invitation_answer
from chapterhouse.chapters.stewardship import coordinator_offer_answer, coordinator_offer_create
from chapterhouse.context import context_for
from chapterhouse.organizing.models import SympatheticOrganization
from chapterhouse.outbox.models import OutboxMessage
from chapterhouse.places.models import Place
from tests.conftest import join, make_chapter, make_member, make_organizer

pytestmark = pytest.mark.django_db

BOSTON = 4930956
VIENNA = 2761369
ON = datetime.date(2014, 2, 1)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(springfield, alice, bob, staff):
    oscar = make_member("oscar@example.org", "Oscar", BOSTON)
    oona = make_member("oona@example.org", "Oona", BOSTON)
    carrier = make_organizer(oscar)
    make_organizer(oona)
    group = SympatheticOrganization.objects.create(
        name="Boston Solidarity", place=Place.objects.from_gazetteer(BOSTON), size=40,
        contact="Hello@Boston-Solidarity.example.org")
    chapter = affiliated_chapter_create(organization=group, on=ON, organizer=carrier)
    contact = make_member("hello@boston-solidarity.example.org", "Hanna", BOSTON)
    other = make_member("paul@example.org", "Paul", BOSTON)
    vienna = make_chapter("Vienna", VIENNA)
    victor = make_member("victor@example.org", "Victor", VIENNA)
    join(vienna, victor)
    vienna.coordinators.add(victor)
    affiliation_list_invite(
        context_for(oscar), chapter=chapter,
        data=b"name,email\nHanna,hello@boston-solidarity.example.org\nPaul,paul@example.org\n")
    return {"chapter": chapter, "contact": contact, "other": other, "carrier": oscar,
            "other_organizer": oona, "staff": staff, "member": bob, "coordinator": alice,
            "other_coordinator": victor}


def accept(member, chapter):
    invitation = Invitation.objects.get(chapter=chapter, member=member)
    invitation_answer(context_for(member), invitation=invitation, accept=True)


def test_the_contact_who_joins_is_asked_to_coordinate_and_only_accepting_makes_it_so(world):
    chapter, contact = world["chapter"], world["contact"]
    assert not chapter.coordinators.exists()
    accept(world["other"], chapter)
    assert not CoordinatorOffer.objects.exists()  # an ordinary member is asked nothing
    accept(contact, chapter)
    offer = CoordinatorOffer.objects.get(chapter=chapter, member=contact)
    assert offer.status == OfferStatus.PENDING
    assert offer.offered_by == world["carrier"]
    assert not chapter.coordinators.exists()  # joining is not accepting the role
    mail = OutboxMessage.objects.get(kind="coordinator_offer", to=contact.email)
    assert "first coordinator" in mail.body
    assert "only if you accept" in mail.body
    coordinator_offer_answer(context_for(contact), offer=offer, accept=True)
    assert list(chapter.coordinators.all()) == [contact]


def test_the_contact_may_decline(world):
    chapter, contact = world["chapter"], world["contact"]
    accept(contact, chapter)
    offer = CoordinatorOffer.objects.get(member=contact)
    coordinator_offer_answer(context_for(contact), offer=offer, accept=False)
    assert not chapter.coordinators.exists()


# Naming the first coordinator among the members who joined: the carrying organizer and staff
# may; another organizer, a coordinator elsewhere, a member, a visitor may not.
MATRIX = {"carrier": True, "staff": True, "other_organizer": False, "coordinator": False,
          "other_coordinator": False, "member": False, "outsider": False}


@pytest.mark.parametrize(("who", "allowed"), MATRIX.items())
def test_who_may_name_the_first_coordinator(world, who, allowed):
    chapter, paul = world["chapter"], world["other"]
    accept(paul, chapter)
    ctx = context_for(AnonymousUser() if who == "outsider" else world[who])
    if not allowed:
        with pytest.raises((PermissionDenied, ValidationError)):
            coordinator_offer_create(ctx, chapter=chapter, member=paul, handover=False)
        assert not CoordinatorOffer.objects.filter(member=paul).exists()
        return
    offer = coordinator_offer_create(ctx, chapter=chapter, member=paul, handover=False)
    assert not chapter.coordinators.exists()  # asked, not made
    mail = OutboxMessage.objects.get(kind="coordinator_offer", to=paul.email)
    assert "first coordinator" in mail.body
    coordinator_offer_answer(context_for(paul), offer=offer, accept=True)
    assert list(chapter.coordinators.all()) == [paul]


def test_only_a_member_who_joined_can_be_named(world):
    with pytest.raises(ValidationError):
        coordinator_offer_create(context_for(world["staff"]), chapter=world["chapter"],
                                 member=world["other"], handover=False)


def test_once_the_chapter_has_a_coordinator_the_organizer_asks_nobody_more(world, client):
    """The carrying organizer names the first coordinator; from then on the coordinators choose
    who joins them (staff still may): the organizer's form is gone and the service refuses."""
    from tests.conftest import client_for

    chapter, contact, paul = world["chapter"], world["contact"], world["other"]
    accept(contact, chapter)
    accept(paul, chapter)
    offer = CoordinatorOffer.objects.get(member=contact)
    coordinator_offer_answer(context_for(contact), offer=offer, accept=True)
    with pytest.raises(ValidationError, match="has coordinators now"):
        coordinator_offer_create(context_for(world["carrier"]), chapter=chapter, member=paul,
                                 handover=False)
    assert not CoordinatorOffer.objects.filter(member=paul).exists()
    page = client_for(client, world["carrier"]).get(f"/chapters/{chapter.slug}/coordinators/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="ask-closed"' in html
    assert 'id="ask-form"' not in html
    # The new coordinator, and staff, still may.
    coordinator_offer_create(context_for(contact), chapter=chapter, member=paul, handover=False)
    assert CoordinatorOffer.objects.filter(member=paul, offered_by=contact).exists()
