"""The sealed box and the count (issue 9, attack 2): a secret vote's transaction writes its
participation and a sealed ballot; the count moves the box into the ballot table in batches of
at least k (SECRET_BALLOT_BATCH, 5 here), in content order, in a transaction of its own.

Each vote here runs its on-commit work as the site does (`vote` below), so the count moves the
box exactly when a request would. PostgreSQL's transaction ids: test_ballot_box_postgres.py.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from chapterhouse.context import context_for
from chapterhouse.decisions import sealing
from chapterhouse.decisions.models import Ballot, Participation, SealedBallot
from chapterhouse.decisions.selectors import voters_waiting as waiting_voters
from chapterhouse.decisions.services import (
    ballot_box_move,
    ballot_cast,
    poll_close,
    poll_withdraw,
)
from tests.decisions.conftest import (
    held_ballots,
    make_poll,
    option_ids,
    physical_marks,
    physical_rows,
    quick_member,
)

pytestmark = pytest.mark.django_db
K = 5
# Four batches of five; no batch reads the same backwards.
CHOICES = ["Plums", "Plums", "Pears", "Apples", "Apples",
           "Pears", "Apples", "Plums", "Apples", "Pears",
           "Apples", "Plums", "Plums", "Pears", "Pears",
           "Pears", "Plums", "Apples", "Apples", "Apples"]


@pytest.fixture(autouse=True)
def batch_of_five(settings):
    settings.SECRET_BALLOT_BATCH = K


@pytest.fixture(autouse=True)
def fresh_ballot_table():
    """On PostgreSQL, the ballot table starts this test empty and new (TRUNCATE, rolled back
    with the test): the free space autovacuum recorded from earlier tests' rolled-back rows would
    let the database put a rewritten ballot into an earlier page, and the physical order these
    tests read would show where space was free, not what the close wrote. (In production such
    placement follows other polls' freed space, never the order of voting.)"""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE decisions_ballot")


@pytest.fixture
def voters(springfield):
    return [quick_member(f"v{i}@example.org", f"Voter {i:02}", springfield) for i in range(20)]


@pytest.fixture
def vote(django_capture_on_commit_callbacks):
    """Cast a vote as a request does: commit, then the on-commit work (the count's move)."""
    def cast(poll, member, label, receipt=""):
        with django_capture_on_commit_callbacks(execute=True):
            return ballot_cast(context_for(member), poll=poll,
                               data={"choice": [option_ids(poll)[label]]}, receipt=receipt)
    return cast


def marks_of(poll, label):
    return [int(option_ids(poll)[label])]


def by_content(rows):
    return sorted(rows, key=lambda r: sealing.content_key(r[0], r[1]))


def cast_in_order(organization, springfield, vote, voters, order):
    poll = make_poll(organization, chapter=springfield)
    for i in order:
        vote(poll, voters[i], CHOICES[i])
    return poll


def test_the_rowid_join_no_longer_follows_the_order_of_voting(organization, springfield, vote,
                                                               voters):
    """Attack: ballots by rowid zipped with participations by id. The same votes cast in two
    orders (each batch's voters in reverse) leave the same physical table, so the join gives
    the same answer for both orders and cannot tell who voted what within a batch."""
    forward = cast_in_order(organization, springfield, vote, voters, range(20))
    backward = cast_in_order(organization, springfield, vote, voters,
                             [b * K + (K - 1 - i) for b in range(4) for i in range(K)])
    relabel = {str(backward.options.get(label=o.label).pk): o.label
               for o in forward.options.all()}
    same_labels = [([relabel[str(m)] for m in marks], stance)
                   for marks, stance in physical_marks(backward)]
    assert [([forward.options.get(pk=m).label for m in marks], stance)
            for marks, stance in physical_marks(forward)] == same_labels
    rows = physical_rows(forward)
    for batch in range(4):  # within each batch: content order, whatever the order of voting
        assert rows[batch * K:(batch + 1) * K] == by_content(rows[batch * K:(batch + 1) * K])
    # The join itself: the voter it names for each ballot is right only by the batch's luck.
    participations = list(Participation.objects.filter(poll=forward).order_by("pk")
                          .values_list("member_id", flat=True))
    truth = {voters[i].pk: marks_of(forward, CHOICES[i]) for i in range(20)}
    linked = sum(truth[member] == marks for member, (marks, _s, _r, _x)
                 in zip(participations, rows, strict=True))
    assert linked < 20


def test_after_the_close_any_order_of_voting_leaves_the_same_table(organization, springfield,
                                                                   vote, voters):
    forward = cast_in_order(organization, springfield, vote, voters, range(20))
    shuffled = cast_in_order(organization, springfield, vote, voters,
                             [7, 19, 3, 12, 0, 15, 8, 1, 18, 4, 11, 6, 16, 2, 9, 14, 5, 17, 10,
                              13])
    for poll in (forward, shuffled):
        vote(poll, quick_member(f"late{poll.pk}@example.org", "Late", springfield), "Pears")
        poll.refresh_from_db()
        assert waiting_voters(poll) == 1  # still in the box at the close
        poll_close(context_for(), poll=poll, now=poll.closes_at)
    tables = []
    for poll in (forward, shuffled):
        labels = {o.pk: o.label for o in poll.options.all()}
        rows = physical_rows(poll)
        assert rows == by_content(rows)
        assert len(rows) == 21
        assert {r for _m, _s, r, _x in rows} == {""}  # receipts forgotten
        tables.append([[labels[m] for m in marks] for marks, *_rest in rows])
    assert tables[0] == tables[1]
    assert not SealedBallot.objects.exists()


def test_a_withdrawn_poll_keeps_no_order_of_voting(organization, springfield, alice, vote,
                                                   voters):
    polls = []
    for order in (range(12), [11, 4, 9, 0, 7, 2, 10, 5, 1, 8, 3, 6]):
        poll = make_poll(organization, chapter=springfield, created_by=alice)
        for i in order:
            vote(poll, voters[i], CHOICES[i])
        poll_withdraw(context_for(alice), poll=poll, reason="Wrong question")
        polls.append(poll)
    tables = []
    for poll in polls:
        labels = {o.pk: o.label for o in poll.options.all()}
        rows = physical_rows(poll)
        assert rows == by_content(rows)
        assert len(rows) == 12
        assert {r for _m, _s, r, _x in rows} == {""}
        tables.append([[labels[m] for m in marks] for marks, *_rest in rows])
    assert tables[0] == tables[1]
    assert not SealedBallot.objects.exists()


def test_the_box_holds_no_readable_marks(organization, springfield, vote, voters):
    poll = make_poll(organization, kind="ranked", chapter=springfield,
                     options=[f"Option {i}" for i in range(12)])
    ids = list(option_ids(poll).values())
    ballot_cast(context_for(voters[0]), poll=poll, data={"ranking": [ids[3]]})
    ballot_cast(context_for(voters[1]), poll=poll, data={"ranking": ids[::-1]})
    rows = [bytes(b) for b in SealedBallot.objects.filter(poll=poll)
            .values_list("sealed", flat=True)]
    assert len(rows) == 2
    assert not Ballot.objects.filter(poll=poll).exists()
    assert len(rows[0]) == len(rows[1])  # one rank or twelve: the same length
    for blob in rows:
        # What a plaintext ballot would hold: the marks as JSON, or its keys.
        for needle in [f"[{ids[3]}]", ",".join(ids[::-1]), '"m":', '"s":', '"r":']:
            assert needle.encode() not in blob
    with pytest.raises(sealing.SealError):  # another key opens nothing
        sealing.unseal(rows[0], poll_id=poll.pk, keys=[sealing.derive_key("another key")])
    with pytest.raises(sealing.SealError):  # nor does moving it to another poll
        sealing.unseal(rows[0], poll_id=poll.pk + 1, keys=sealing.box_keys())


def test_results_and_voters_wait_for_a_batch_of_k(organization, springfield, vote, voters):
    poll = make_poll(organization, chapter=springfield)
    for i in range(K - 1):
        vote(poll, voters[i], CHOICES[i])
    assert not Ballot.objects.filter(poll=poll).exists()
    assert SealedBallot.objects.filter(poll=poll).count() == waiting_voters(poll) == K - 1
    vote(poll, voters[K - 1], CHOICES[K - 1])
    assert Ballot.objects.filter(poll=poll).count() == K
    assert not SealedBallot.objects.filter(poll=poll).exists()
    poll.refresh_from_db()
    assert waiting_voters(poll) == 0


def test_a_secret_vote_is_changed_with_its_receipt_through_the_box(organization, springfield,
                                                                    vote, voters):
    poll = make_poll(organization, chapter=springfield)
    receipts = [vote(poll, voters[i], "Apples").receipt for i in range(K)]  # counted
    vote(poll, voters[K], "Apples")
    before = sorted(map(str, physical_marks(poll)))
    assert vote(poll, voters[0], "Plums", receipt=receipts[0]).changed
    # The change waits sealed in the box: the count is not written in the voter's transaction.
    assert sorted(map(str, physical_marks(poll))) == before
    with pytest.raises(ValidationError, match="receipt"):
        vote(poll, voters[1], "Plums", receipt="somebody else's")
    late = vote(poll, voters[K + 1], "Pears").receipt
    assert vote(poll, voters[K + 1], "Plums", receipt=late).changed  # replaced in the box
    assert SealedBallot.objects.filter(poll=poll).count() == 3  # two votes and one change
    poll_close(context_for(), poll=poll, now=poll.closes_at)
    poll.refresh_from_db()
    assert poll.result["ballots"] == K + 2
    assert poll.result["count"]["rounds"][0]["tallies"] == {"Apples": K, "Pears": 0,
                                                            "Plums": 2}


def test_a_failed_move_loses_no_ballot(organization, springfield, vote, voters, monkeypatch):
    poll = make_poll(organization, chapter=springfield)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(Ballot.objects, "bulk_create", broken)
        for i in range(K):
            vote(poll, voters[i], CHOICES[i])  # the move fails after the commit: logged
    assert SealedBallot.objects.filter(poll=poll).count() == K
    assert not Ballot.objects.filter(poll=poll).exists()
    vote(poll, voters[K], CHOICES[K])  # the next vote's move takes all six
    assert Ballot.objects.filter(poll=poll).count() == K + 1
    assert sorted(map(str, held_ballots(poll))) == sorted(
        str((marks_of(poll, c), "")) for c in CHOICES[:K + 1])


def test_close_polls_counts_a_full_box_that_no_vote_moved(organization, springfield, voters):
    poll = make_poll(organization, chapter=springfield)
    for i in range(K + 1):  # on-commit work never runs here: as if every move had failed
        ballot_cast(context_for(voters[i]), poll=poll, data={"choice": [option_ids(poll)["Pears"]]})
    assert not Ballot.objects.filter(poll=poll).exists()
    call_command("close_polls")
    assert Ballot.objects.filter(poll=poll).count() == K + 1
    small = make_poll(organization, chapter=springfield)
    ballot_cast(context_for(voters[0]), poll=small, data={"choice": [option_ids(small)["Pears"]]})
    call_command("close_polls")  # fewer than k wait: they stay sealed until the close
    assert not Ballot.objects.filter(poll=small).exists()


def test_ballots_sealed_before_a_key_rotation_still_open(organization, springfield, voters,
                                                         settings):
    poll = make_poll(organization, chapter=springfield)
    ballot_cast(context_for(voters[0]), poll=poll, data={"choice": [option_ids(poll)["Pears"]]})
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new secret key " * 4
    assert ballot_box_move(poll=poll, least=1) == 1
    assert physical_marks(poll) == [(marks_of(poll, "Pears"), "")]


def test_a_changed_ballot_rejoins_the_count_in_content_order_with_the_next_batch(
        organization, springfield, vote, voters):
    poll = make_poll(organization, chapter=springfield)
    receipts = [vote(poll, voters[i], "Plums").receipt for i in range(K)]
    vote(poll, voters[0], "Apples", receipt=receipts[0])
    for i in range(K, 2 * K):
        vote(poll, voters[i], "Pears")
    rows = physical_rows(poll)
    assert len(rows) == 2 * K
    assert not SealedBallot.objects.filter(poll=poll).exists()
    # The first batch lost the changed ballot; the second holds it among its own, in content
    # order, so nothing tells it apart from a new one.
    assert [m for m, *_r in rows[:K - 1]] == [marks_of(poll, "Plums")] * (K - 1)
    assert rows[K - 1:] == by_content(rows[K - 1:])
    assert sorted(map(str, (m for m, *_r in rows[K - 1:]))) == sorted(
        map(str, [marks_of(poll, "Apples")] + [marks_of(poll, "Pears")] * K))


def test_an_explicit_box_key_seals_and_the_derived_one_still_opens(organization, springfield,
                                                                   voters, settings):
    poll = make_poll(organization, chapter=springfield)
    ballot_cast(context_for(voters[0]), poll=poll, data={"choice": [option_ids(poll)["Pears"]]})
    settings.BALLOT_BOX_KEY = "q" * 43  # 32 bytes in urlsafe base64
    ballot_cast(context_for(voters[1]), poll=poll, data={"choice": [option_ids(poll)["Plums"]]})
    newest = SealedBallot.objects.filter(poll=poll).values_list("sealed", flat=True)
    with pytest.raises(sealing.SealError):  # noqa: PT012 - sealed with the explicit key, not the derived one
        for blob in newest:
            sealing.unseal(blob, poll_id=poll.pk, keys=sealing.box_keys()[1:])
    assert ballot_box_move(poll=poll, least=1) == 2
    assert sorted(map(str, physical_marks(poll))) == sorted(
        str((marks_of(poll, label), "")) for label in ("Pears", "Plums"))
