"""Who may propose, see, vote on and answer a split: the matrix, double submits, bad input,
erasure (docs/splits.md)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.decisions.electorate import is_eligible
from chapterhouse.decisions.services import poll_close
from chapterhouse.decisions.split_services import split_propose
from chapterhouse.organizing.models import Organizer
from chapterhouse.places.models import Place
from chapterhouse.privacy.services import member_erase
from chapterhouse.splits.models import Source, Split, SplitAnswer, Status
from chapterhouse.splits.services import PartSpec, split_answer
from tests.conftest import VIENNA, client_for, join, make_member, make_staff

BROOKLYN, QUEENS = 5110302, 5133273


def parts():
    for pid in (BROOKLYN, QUEENS):
        Place.objects.from_gazetteer(pid)
    return [PartSpec("Brooklyn", BROOKLYN), PartSpec("Queens", QUEENS)]


@pytest.fixture
def people(organization, springfield, vienna, alice, bob, charlie):
    """alice coordinates Springfield, bob is its member, charlie a member of Vienna, victor
    coordinates Vienna, omar organizes Springfield, stella is staff, olga an organizer of
    nothing here."""
    victor = make_member("victor@example.org", "Victor", VIENNA)
    join(vienna, victor)
    vienna.coordinators.add(victor)
    omar = make_member("omar@example.org", "Omar")
    springfield.organizer = Organizer.objects.create(
        member=omar, place=omar.place, hours_per_week=10, months=4,
        starts_on=datetime.date(2014, 1, 1), active=True)
    springfield.save(update_fields=["organizer"])
    olga = make_member("olga@example.org", "Olga")
    Organizer.objects.create(member=olga, place=olga.place, hours_per_week=10, months=4,
                             starts_on=datetime.date(2014, 1, 1), active=True)
    return {"alice": alice, "bob": bob, "charlie": charlie, "victor": victor, "omar": omar,
            "olga": olga, "stella": make_staff()}


@pytest.mark.parametrize(("who", "allowed"), [
    ("stella", True), ("alice", True), ("omar", True),
    ("bob", False), ("charlie", False), ("victor", False), ("olga", False),
])
def test_who_may_propose_a_split(people, springfield, who, allowed):
    ctx = context_for(people[who])
    if allowed:
        split = split_propose(ctx, chapter=springfield, parts=parts(), source=Source.TYPED)
        assert split.status == Status.VOTING
        assert split.poll.chapter == springfield
    else:
        with pytest.raises(ValidationError):
            split_propose(ctx, chapter=springfield, parts=parts(), source=Source.TYPED)
        assert not Split.objects.exists()


def test_the_propose_page_is_404_for_others_and_a_visitor_must_log_in(people, springfield,
                                                                     client):
    url = reverse("split_new", args=[springfield.slug])
    assert client.get(url).status_code == 302  # to the login page
    for who in ("bob", "charlie", "victor", "olga"):
        assert client_for(client, people[who]).get(url).status_code == 404
    assert client_for(client, people["alice"]).get(url).status_code == 200


def test_a_second_split_in_progress_is_refused_and_the_database_refuses_it_too(
        people, springfield):
    first = split_propose(context_for(people["alice"]), chapter=springfield, parts=parts(),
                          source=Source.TYPED)
    with pytest.raises(ValidationError, match="already has a split in progress"):
        split_propose(context_for(people["stella"]), chapter=springfield, parts=parts(),
                      source=Source.TYPED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Split.objects.create(organization=first.organization, parent=springfield,
                             poll=first.poll, source=Source.TYPED,
                             proposed_at=first.proposed_at)


def test_a_split_whose_vote_failed_no_longer_blocks_another(people, springfield):
    ctx = context_for(people["alice"])
    split = split_propose(ctx, chapter=springfield, parts=parts(), source=Source.TYPED)
    assert poll_close(ctx, poll=split.poll, now=split.poll.closes_at, announce=False)
    split_propose(ctx, chapter=springfield, parts=parts(), source=Source.TYPED)
    split.refresh_from_db()
    assert split.status == Status.REJECTED  # no ballots: the proposal did not pass


@pytest.mark.parametrize(("bad", "message"), [
    ([PartSpec("Brooklyn", BROOKLYN)], "from 2 to 8 parts"),
    ([PartSpec("Brooklyn", BROOKLYN), PartSpec("brooklyn", QUEENS)], "name of its own"),
    ([PartSpec("Brooklyn", BROOKLYN), PartSpec("Queens", BROOKLYN)], "centre of its own"),
    ([PartSpec("Brooklyn", BROOKLYN), PartSpec("Nowhere", 999999999)], "list of cities"),
])
def test_bad_parts_are_refused_and_nothing_is_written(people, springfield, bad, message):
    parts()
    with pytest.raises(ValidationError, match=message):
        split_propose(context_for(people["alice"]), chapter=springfield, parts=bad,
                      source=Source.TYPED)
    assert not Split.objects.exists()


def test_an_unknown_city_typed_is_a_form_error(people, springfield, client):
    response = client_for(client, people["alice"]).post(
        reverse("split_new", args=[springfield.slug]),
        {"parts": "Brooklyn: Brooklyn\nAtlantis: Xqzzyville", "days": 7, "source": "typed"})
    assert response.status_code == 200
    assert "Xqzzyville" in response.content.decode()
    assert not Split.objects.exists()


@pytest.fixture
def passed(people, springfield):
    """Springfield's split, passed: bob and alice are asked."""
    ctx = context_for(people["alice"])
    split = split_propose(ctx, chapter=springfield, parts=parts(), source=Source.TYPED)
    from chapterhouse.decisions.services import ballot_cast

    ballot_cast(context_for(people["bob"]), poll=split.poll, data={"stance": ["agree"]})
    assert poll_close(ctx, poll=split.poll, now=split.poll.closes_at, announce=False)
    split.refresh_from_db()
    assert split.status == Status.CONFIRMING
    return split


def test_only_the_chapters_members_vote(people, springfield):
    split = split_propose(context_for(people["alice"]), chapter=springfield, parts=parts(),
                          source=Source.TYPED)
    assert is_eligible(people["bob"], split.poll)
    for who in ("charlie", "victor", "stella", "olga"):
        assert not is_eligible(people[who], split.poll)


def test_the_split_page_is_404_to_outsiders(people, passed, client):
    url = reverse("split_detail", args=[passed.pk])
    for who in ("charlie", "victor", "olga"):
        assert client_for(client, people[who]).get(url).status_code == 404
    for who in ("bob", "alice", "omar", "stella"):
        assert client_for(client, people[who]).get(url).status_code == 200


def test_a_member_of_another_chapter_cannot_answer(people, passed, client):
    part = passed.parts.get(name="Queens")
    response = client_for(client, people["charlie"]).post(
        reverse("split_answer", args=[passed.pk]), {"part": str(part.pk)})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        split_answer(context_for(people["victor"]), split=passed, part_id=part.pk)
    assert not SplitAnswer.objects.filter(answered_at__isnull=False).exists()


def test_a_member_answers_for_themselves_only(people, passed, client, springfield):
    queens = passed.parts.get(name="Queens")
    client_for(client, people["bob"]).post(reverse("split_answer", args=[passed.pk]),
                                           {"part": str(queens.pk), "coordinate": "on"})
    bob = SplitAnswer.objects.get(split=passed, member=people["bob"])
    assert bob.part == queens
    assert not bob.coordinates
    assert queens.chapter.is_member(people["bob"], passed.passed_on + datetime.timedelta(1))
    alice = SplitAnswer.objects.get(split=passed, member=people["alice"])
    assert alice.answered_at is None  # nobody else's answer changed
    assert not queens.chapter.coordinators.exists()


def test_a_coordinator_of_the_parent_may_take_on_their_part(people, passed):
    brooklyn = passed.parts.get(name="Brooklyn")
    split_answer(context_for(people["alice"]), split=passed, part_id=brooklyn.pk,
                 coordinate=True)
    assert list(brooklyn.chapter.coordinators.all()) == [people["alice"]]
    split_answer(context_for(people["alice"]), split=passed, part_id=None)  # changes her mind
    assert not brooklyn.chapter.coordinators.exists()
    assert not brooklyn.chapter.memberships.current(datetime.date(2100, 1, 1)).exists()


def test_an_erased_member_is_never_placed(people, passed):
    member_erase(context_for(people["bob"]), member=people["bob"])
    assert not SplitAnswer.objects.filter(member=people["bob"]).exists()
