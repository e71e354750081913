"""Twenty voters at once on a secret poll: every ballot is counted once, in batches of k.

Threads with their own connections in a transactional test (each sees committed data), so each
vote's commit runs the count's move as on the site, and the moves race with the votes and with
each other. Runs on SQLite and PostgreSQL alike.
"""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from chapterhouse.context import context_for
from chapterhouse.decisions.models import Ballot, Participation, SealedBallot
from chapterhouse.decisions.selectors import voters_waiting as waiting_voters
from chapterhouse.decisions.services import ballot_cast, poll_close
from tests.decisions.conftest import (
    held_ballots,
    make_poll,
    option_ids,
    physical_rows,
    quick_member,
)

pytestmark = pytest.mark.django_db(transaction=True)
VOTERS = 20
K = 5
LABELS = ["Apples", "Pears", "Plums", "Pears"]


def test_twenty_voters_at_once_are_each_counted_once(organization, springfield, settings):
    settings.SECRET_BALLOT_BATCH = K
    poll = make_poll(organization, chapter=springfield)
    ids = option_ids(poll)
    members = [quick_member(f"v{i}@example.org", f"Voter {i}", springfield)
               for i in range(VOTERS)]
    barrier = threading.Barrier(VOTERS)
    errors: list[str] = []

    def vote(i):
        try:
            barrier.wait()
            ballot_cast(context_for(members[i]), poll=poll,
                        data={"choice": [ids[LABELS[i % len(LABELS)]]]})
        except Exception as error:  # anything is a failure the test reports
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(VOTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    poll.refresh_from_db()
    assert Participation.objects.filter(poll=poll).count() == VOTERS
    # Counted ballots and listed voters agree; fewer than k wait in the box.
    counted = Ballot.objects.filter(poll=poll).count()
    assert counted == VOTERS - waiting_voters(poll)
    assert waiting_voters(poll) < K
    assert counted >= VOTERS - K + 1
    assert SealedBallot.objects.filter(poll=poll).count() == waiting_voters(poll)
    if connection.vendor == "postgresql":  # each batch is one transaction of at least k
        batches = Counter(x for *_row, x in physical_rows(poll))
        assert min(batches.values()) >= K, batches
    expected = Counter(LABELS[i % len(LABELS)] for i in range(VOTERS))
    labels = {int(v): k for k, v in ids.items()}
    assert Counter(labels[m[0]] for m, _s in held_ballots(poll)) == expected
    poll_close(context_for(), poll=poll, now=poll.closes_at)
    poll.refresh_from_db()
    assert poll.result["ballots"] == VOTERS
    assert Counter(poll.result["count"]["rounds"][0]["tallies"]) == expected
