"""Secret ballots: who voted is stored apart from what was voted, with nothing linking them.

These tests read the database itself (table columns and rows), not the models' good manners.
"""

import hashlib

import pytest
from django.db import connection

from chapterhouse.context import context_for
from chapterhouse.decisions.models import Ballot, Participation, SealedBallot
from chapterhouse.decisions.services import ballot_cast, poll_close
from tests.decisions.conftest import make_poll, option_ids, quick_member

pytestmark = pytest.mark.django_db


def columns(model) -> dict[str, str]:
    with connection.cursor() as cursor:
        described = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return {c.name: c.type_code for c in described}


def rows(model, poll) -> list[dict]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE poll_id = %s", [poll.pk])  # noqa: S608
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture
def voted(organization, springfield, alice, bob, django_capture_on_commit_callbacks):
    poll = make_poll(organization, chapter=springfield, secret=True)
    ids = option_ids(poll)
    voters = [alice, bob]
    for i in range(3):
        voters.append(quick_member(f"voter{i}@example.org", f"Voter {i}", springfield))
    receipts = {}
    # Five voters: one batch, counted after the fifth vote's commit, as on the site.
    for member, label in zip(voters, ["Apples", "Pears", "Pears", "Plums", "Apples"],
                             strict=True):
        with django_capture_on_commit_callbacks(execute=True):
            receipts[member.pk] = ballot_cast(context_for(member), poll=poll,
                                              data={"choice": [ids[label]]}).receipt
    return poll, voters, receipts


def test_the_ballot_table_has_no_member_time_or_sequence_column():
    ballot = columns(Ballot)
    assert set(ballot) == {"id", "poll_id", "member_id", "marks", "stance", "receipt_hash"}
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"  # no auto-increment order
    participation = columns(Participation)
    assert set(participation) == {"id", "poll_id", "member_id"}  # no time, no receipt
    # The box: a random key and sealed bytes; no time, no member, no sequence.
    assert set(columns(SealedBallot)) == {"id", "poll_id", "sealed"}
    assert SealedBallot._meta.pk.get_internal_type() == "UUIDField"


def test_no_stored_value_links_a_voter_to_a_ballot(voted):
    poll, voters, receipts = voted
    ballots = rows(Ballot, poll)
    participations = rows(Participation, poll)
    assert len(ballots) == len(participations) == 5
    assert all(b["member_id"] is None for b in ballots)
    voter_values = {str(v) for p in participations for v in p.values()} | {
        str(m.pk) for m in voters} | {m.email for m in voters}
    for ballot in ballots:
        # Nothing on a ballot row appears among the participation rows or the voters' keys
        # (apart from the poll itself).
        values = {str(v) for k, v in ballot.items() if k != "poll_id" and v not in (None, "")}
        assert not values & (voter_values - {str(poll.pk)}), ballot
        # The receipt is stored only as a salted hash, never in clear.
        assert ballot["receipt_hash"] not in receipts.values()
    hashes = {hashlib.sha256(f"{poll.salt}:{r}".encode()).hexdigest() for r in receipts.values()}
    assert hashes == {b["receipt_hash"] for b in ballots}


def test_closing_shuffles_the_box_and_forgets_the_receipts(voted):
    poll, _voters, _receipts = voted
    before = {b["id"] for b in rows(Ballot, poll)}
    poll_close(context_for(), poll=poll, now=poll.closes_at)
    after = rows(Ballot, poll)
    assert len(after) == 5
    assert not before & {b["id"] for b in after}  # new keys
    assert all(b["receipt_hash"] == "" for b in after)
    poll.refresh_from_db()
    assert poll.result["winners"] == ["Apples"]  # tied with Pears: alphabetical order
    assert poll.result["count"]["rounds"][0]["tallies"] == {"Apples": 2, "Pears": 2, "Plums": 1}


def test_an_open_poll_keeps_names_with_ballots(organization, springfield, bob):
    poll = make_poll(organization, chapter=springfield, secret=False)
    ballot_cast(context_for(bob), poll=poll, data={"choice": [option_ids(poll)["Pears"]]})
    assert [b["member_id"] for b in rows(Ballot, poll)] == [bob.pk]
