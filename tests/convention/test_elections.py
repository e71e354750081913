"""Delegate elections: a chapter's STV poll of the decisions app for its apportioned seats,
counted again with the women's share rule; the elected get credentials that staff confirm."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from chapterhouse.context import context_for
from chapterhouse.convention.models import ConventionSettings, Delegate, DelegateElection
from chapterhouse.convention.services import (
    candidacy_declare,
    candidacy_withdraw,
    delegate_confirm,
    delegate_election_count,
    delegate_election_open,
    women_needed,
)
from chapterhouse.decisions.services import ballot_cast, poll_close
from chapterhouse.members.models import Member
from tests.conftest import make_qualifying, make_staff


@pytest.mark.parametrize(("seats", "needed"), [(1, 1), (2, 1), (3, 1), (4, 2), (6, 2),
                                               (7, 3), (10, 3)])
def test_the_share_is_rounded_up(seats, needed):
    from decimal import Decimal
    assert women_needed(Decimal("0.3"), seats) == needed
    assert women_needed(None, seats) == 0


@pytest.fixture
def election_world(organization, springfield, vienna, alice, bob, charlie):
    make_qualifying(springfield)
    make_qualifying(vienna)
    # The regulars' accounts were written "now": as if written when they joined, so that
    # they are among the poll's voters (decisions/electorate.py).
    Member.objects.update(created_at=datetime.datetime(2012, 3, 1, tzinfo=datetime.UTC))
    ConventionSettings.objects.create(organization=organization, seats=4, floor=1)
    return organization


def _run(organization, springfield, alice, bob, *, rule: bool, declares: bool = True,
         withdraws=None):
    settings = ConventionSettings.objects.get()
    settings.women_share = settings.women_share if rule else None
    settings.save()
    staff = make_staff()
    boss = context_for(staff, organization)
    regular = Member.objects.get(display_name="Regular 2", email__startswith="springfield")
    opens = boss.now()
    election = delegate_election_open(
        boss, chapter=springfield, opens_at=opens, closes_at=opens + datetime.timedelta(days=1),
        candidates=[bob, regular, alice])
    assert election.seats == 2  # Webster, 4 seats, 7 and 6 members: 2 and 2
    assert not election.candidates.filter(counts_as_woman=True).exists()
    if declares:
        candidacy_declare(context_for(alice, organization),
                          candidate=election.candidates.get(member=alice), counts_as_woman=True)
    if withdraws is not None:
        who = {"bob": bob, "regular": regular}[withdraws]
        candidacy_withdraw(context_for(who, organization),
                           candidate=election.candidates.get(member=who))
    ids = {c.member_id: str(c.option_id) for c in election.candidates.all()}
    voters = list(Member.objects.filter(chapter_memberships__chapter=springfield))
    rankings = ([[ids[bob.pk], ids[regular.pk]]] * 4 + [[ids[regular.pk], ids[bob.pk]]] * 2
                + [[ids[alice.pk]]])
    for voter, ranking in zip(voters, rankings, strict=True):
        ballot_cast(context_for(voter, organization), poll=election.poll,
                    data={"ranking": ranking}, now=opens + datetime.timedelta(hours=1))
    poll_close(boss, poll=election.poll, now=opens + datetime.timedelta(days=1, minutes=1),
               announce=False)
    election.poll.refresh_from_db()
    return boss, election, delegate_election_count(boss, election=election), regular


def test_the_rule_elects_a_woman(election_world, springfield, alice, bob):
    boss, election, delegates, _regular = _run(election_world, springfield, alice, bob,
                                               rule=True)
    assert {d.member_id for d in delegates} == {bob.pk, alice.pk}
    assert election.result["women_needed"] == 1
    assert all(d.confirmed_at is None for d in delegates)
    with pytest.raises(ValidationError, match="counted already"):
        delegate_election_count(boss, election=election)
    delegate_confirm(boss, delegate=delegates[0])
    assert Delegate.objects.exclude(confirmed_at=None).count() == 1


def test_without_the_rule_the_two_men_win(election_world, springfield, alice, bob):
    _boss, _election, delegates, regular = _run(election_world, springfield, alice, bob,
                                                rule=False)
    assert {d.member_id for d in delegates} == {bob.pk, regular.pk}


def test_who_may_hold_an_election(election_world, springfield, vienna, alice, charlie):
    opens = context_for(alice, election_world).now()
    window = {"opens_at": opens, "closes_at": opens + datetime.timedelta(days=1)}
    with pytest.raises(ValidationError, match="coordinators"):  # coordinator of another
        delegate_election_open(context_for(alice, election_world), chapter=vienna,
                               candidates=[charlie], **window)
    with pytest.raises(ValidationError, match="coordinators"):  # a member
        delegate_election_open(context_for(charlie, election_world), chapter=vienna,
                               candidates=[charlie], **window)
    with pytest.raises(ValidationError, match="member of the chapter"):
        delegate_election_open(context_for(alice, election_world), chapter=springfield,
                               candidates=[charlie, alice], **window)
    with pytest.raises(ValidationError, match="Only staff"):
        delegate_confirm(context_for(alice, election_world),
                         delegate=Delegate(organization=election_world, chapter=springfield,
                                           member=alice))


def test_a_coordinator_holds_the_election_from_the_page(election_world, springfield, vienna,
                                                        alice, bob, client):
    from chapterhouse.convention.models import DelegateElection
    from tests.conftest import client_for

    client_for(client, alice)  # coordinator of Springfield
    url = f"/convention/elections/new/{springfield.slug}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "elects 2 delegates" in page.content.decode()
    assert client.get(f"/convention/elections/new/{vienna.slug}/").status_code == 404
    assert "women" not in page.context["form"].fields  # only the candidate says it
    refused = client.post(url, {"candidates": [bob.pk], "days": "99"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["days"]
    assert not DelegateElection.objects.exists()
    # A "women" field forged into the post changes nothing: nobody declares for another.
    done = client.post(url, {"candidates": [bob.pk, alice.pk, _regular(springfield).pk],
                             "women": [bob.pk, alice.pk], "days": "7"})
    assert done.status_code == 302
    election = DelegateElection.objects.get()
    assert election.seats == 2
    assert not election.candidates.filter(counts_as_woman=True).exists()
    client_for(client, bob)  # a member, not a coordinator
    assert client.get(url).status_code == 404


def _regular(chapter):
    return Member.objects.filter(chapter_memberships__chapter=chapter,
                                 display_name="Regular 3").first()


def test_one_election_at_a_time_and_none_once_the_seats_are_filled(election_world, springfield,
                                                                   alice, bob):
    ctx = context_for(alice, election_world)
    opens = ctx.now()
    window = {"opens_at": opens, "closes_at": opens + datetime.timedelta(days=1)}
    regular = Member.objects.get(display_name="Regular 2", email__startswith="springfield")
    both = [bob, alice, regular]
    delegate_election_open(ctx, chapter=springfield, candidates=both, **window)
    with pytest.raises(ValidationError, match="under way"):
        delegate_election_open(ctx, chapter=springfield, candidates=both, **window)
    assert DelegateElection.objects.filter(chapter=springfield).count() == 1


def test_counted_seats_are_not_elected_twice_and_a_delegate_does_not_stand_again(
        election_world, springfield, alice, bob):
    boss, _election, delegates, regular = _run(election_world, springfield, alice, bob,
                                               rule=True)
    assert len(delegates) == 2  # both of Springfield's seats
    opens = boss.now()
    window = {"opens_at": opens, "closes_at": opens + datetime.timedelta(days=1)}
    with pytest.raises(ValidationError, match="fill its seats"):
        delegate_election_open(boss, chapter=springfield,
                               candidates=[regular], **window)
    Delegate.objects.filter(member=bob).delete()  # a seat free again
    with pytest.raises(ValidationError, match="delegate already"):
        delegate_election_open(boss, chapter=springfield,
                               candidates=[alice, regular], **window)


def test_erasing_a_candidate_takes_their_name_from_the_election_not_its_count(
        election_world, springfield, alice, bob):
    from chapterhouse.decisions.models import Option
    from chapterhouse.privacy.services import member_erase

    boss, election, _delegates, _regular = _run(election_world, springfield, alice, bob,
                                               rule=True)
    winners = len(election.result["winners"])
    member_erase(boss, member=alice)
    election.refresh_from_db()
    assert "Alice" not in json.dumps(election.result)
    assert not Option.objects.filter(poll=election.poll, label__contains="Alice").exists()
    assert len(election.result["winners"]) == winners
    assert Delegate.objects.filter(member=alice).exists()  # the credential is history


def test_without_her_declaration_the_rule_has_no_woman_to_elect(election_world, springfield,
                                                                  alice, bob):
    """Nobody declares for a candidate: until Alice says she stands as a woman, the rule cannot
    count her, and the count says so."""
    _boss, election, delegates, regular = _run(election_world, springfield, alice, bob,
                                               rule=True, declares=False)
    assert {d.member_id for d in delegates} == {bob.pk, regular.pk}
    assert election.result["women_needed"] == 1


def test_a_withdrawn_candidate_is_left_out_and_their_ballots_transfer(election_world,
                                                                    springfield, alice, bob):
    _boss, election, delegates, regular = _run(election_world, springfield, alice, bob,
                                               rule=True, withdraws="bob")
    # Bob's four first preferences go on to Regular 2; Alice still takes the women's seat.
    assert {d.member_id for d in delegates} == {regular.pk, alice.pk}
    assert "Bob" not in json.dumps(election.result["winners"])


@pytest.fixture
def open_election(election_world, springfield, alice, bob):
    boss = context_for(make_staff(), election_world)
    opens = boss.now()
    regular = _regular(springfield)
    third = (Member.objects.filter(chapter_memberships__chapter=springfield)
             .exclude(pk__in=[alice.pk, bob.pk, regular.pk]).order_by("pk").first())
    election = delegate_election_open(
        boss, chapter=springfield, opens_at=opens, closes_at=opens + datetime.timedelta(days=1),
        candidates=[bob, regular, third])
    return boss, election, regular


def test_only_the_candidate_declares_or_withdraws(open_election, election_world, alice, bob,
                                                  charlie):
    boss, election, regular = open_election
    candidate = election.candidates.get(member=regular)
    # alice coordinates the chapter, bob is another candidate, charlie is in another chapter,
    # boss is staff: none of them may speak for Regular.
    for other in (context_for(alice, election_world), context_for(bob, election_world),
                  context_for(charlie, election_world), boss):
        with pytest.raises(ValidationError, match="Only the candidate"):
            candidacy_declare(other, candidate=candidate, counts_as_woman=True)
        with pytest.raises(ValidationError, match="Only the candidate"):
            candidacy_withdraw(other, candidate=candidate)
    candidate.refresh_from_db()
    assert (candidate.counts_as_woman, candidate.declared_at, candidate.withdrawn_at) == (
        False, None, None)
    mine = context_for(regular, election_world)
    candidacy_declare(mine, candidate=candidate, counts_as_woman=True)
    candidacy_declare(mine, candidate=candidate, counts_as_woman=False)  # a change of mind
    candidate.refresh_from_db()
    assert candidate.counts_as_woman is False
    assert candidate.declared_at is not None
    candidacy_withdraw(mine, candidate=candidate)
    with pytest.raises(ValidationError, match="withdrawn"):
        candidacy_declare(mine, candidate=candidate, counts_as_woman=True)
    # "Download my data" holds what they said and when.
    from chapterhouse.privacy.selectors import member_data

    [held] = member_data(regular)["delegate_candidacies"]
    assert held["stands_as_a_woman"] is False
    assert held["declared_at"] is not None
    assert held["withdrawn_at"] is not None


def test_nothing_changes_once_the_poll_closes(open_election, election_world):
    boss, election, regular = open_election
    poll_close(boss, poll=election.poll, now=boss.now() + datetime.timedelta(days=1, minutes=1),
               announce=False)
    candidate = election.candidates.get(member=regular)
    mine = context_for(regular, election_world)
    with pytest.raises(ValidationError, match="closed"):
        candidacy_declare(mine, candidate=candidate, counts_as_woman=True)
    with pytest.raises(ValidationError, match="closed"):
        candidacy_withdraw(mine, candidate=candidate)
    candidate.refresh_from_db()
    assert not candidate.counts_as_woman
    assert candidate.withdrawn_at is None


def test_candidates_are_told_and_declare_on_the_page(open_election, election_world, alice, bob,
                                                     charlie, client):
    from chapterhouse.outbox.models import OutboxMessage
    from tests.conftest import client_for

    _boss, election, regular = open_election
    told = OutboxMessage.objects.filter(kind="delegate_candidacy")
    assert told.count() == 3
    assert {bob.email, regular.email} <= set(told.values_list("to", flat=True))
    assert "/convention/" in told.first().body
    candidate = election.candidates.get(member=regular)
    url = f"/convention/candidacies/{candidate.pk}/"
    field = f"c{candidate.pk}-counts_as_woman"
    # Another member (the chapter's coordinator, a fellow candidate) finds no such page.
    for other in (alice, bob):
        client_for(client, other)
        assert client.post(url, {field: "on", "action": "declare"}).status_code == 404
    candidate.refresh_from_db()
    assert not candidate.counts_as_woman
    client_for(client, regular)
    page = client.get("/convention/").content.decode()
    assert f'id="candidacy-{candidate.pk}"' in page
    assert "has not said (counts as not a woman)" in page
    assert client.get(url).status_code == 405
    assert client.post(url, {field: "on", "action": "declare"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.counts_as_woman
    assert "stands as a woman for the share rule" in client.get("/convention/").content.decode()
    # Members of other chapters see the election, not its candidates' declarations.
    client_for(client, charlie)
    page = client.get("/convention/").content.decode()
    assert "Springfield" in page
    assert "stands as a woman for the share rule" not in page
    client_for(client, regular)
    assert client.post(url, {"action": "withdraw"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.withdrawn_at is not None
    assert f'id="candidacy-{candidate.pk}"' not in client.get("/convention/").content.decode()


def test_an_erased_candidate_withdraws_from_an_election_not_yet_counted(open_election, bob):
    from chapterhouse.privacy.services import member_erase

    boss, election, _regular = open_election
    member_erase(boss, member=bob)
    assert election.candidates.get(member=bob).withdrawn_at is not None


def test_a_chapter_with_a_delegate_already_elects_only_the_seats_left(election_world,
                                                                      springfield, alice, bob,
                                                                      client):
    from chapterhouse.convention.services import delegate_credential
    from tests.conftest import client_for

    boss = context_for(make_staff(), election_world)
    delegate_credential(boss, chapter=springfield, member=alice)  # 1 of its 2 seats
    client_for(client, alice)
    page = client.get(f"/convention/elections/new/{springfield.slug}/").content.decode()
    assert "elects 1 delegate " in page
    opens = boss.now()
    election = delegate_election_open(
        boss, chapter=springfield, opens_at=opens, closes_at=opens + datetime.timedelta(days=1),
        candidates=[bob, _regular(springfield)])
    assert election.seats == 1
    assert election.poll.seats == 1


def test_when_every_candidate_withdraws_the_count_elects_nobody_and_frees_the_chapter(
        open_election, election_world, springfield, alice, bob):
    from chapterhouse.decisions.models import Option

    boss, election, regular = open_election
    for candidate in election.candidates.select_related("member"):
        candidacy_withdraw(context_for(candidate.member, election_world), candidate=candidate)
    # The poll says so wherever it shows its options.
    assert all(o.label.endswith("(withdrawn)") for o in Option.objects.filter(poll=election.poll))
    poll_close(boss, poll=election.poll, now=boss.now() + datetime.timedelta(days=1, minutes=1),
               announce=False)
    election.refresh_from_db()
    assert delegate_election_count(boss, election=election) == []
    election.refresh_from_db()
    assert election.result["winners"] == []
    opens = boss.now()
    again = delegate_election_open(
        boss, chapter=springfield, opens_at=opens, closes_at=opens + datetime.timedelta(days=1),
        candidates=[bob, regular, alice])
    assert again.pk != election.pk


def test_erasing_a_candidate_forgets_what_they_said_of_themselves(open_election, election_world):
    from chapterhouse.privacy.services import member_erase

    boss, election, regular = open_election
    candidate = election.candidates.get(member=regular)
    candidacy_declare(context_for(regular, election_world), candidate=candidate,
                      counts_as_woman=True)
    member_erase(boss, member=regular)
    candidate.refresh_from_db()
    assert (candidate.counts_as_woman, candidate.declared_at) == (False, None)
    assert candidate.withdrawn_at is not None
