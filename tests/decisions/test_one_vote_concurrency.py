"""One member, one vote: 50 simultaneous submissions from one member make exactly one ballot.

Threads with their own database connections, in a transactional test so that each thread sees
committed data; runs on SQLite and PostgreSQL alike (the suite runs on both).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from chapterhouse.context import context_for
from chapterhouse.decisions.models import Ballot, Participation
from chapterhouse.decisions.services import ballot_cast, poll_close
from tests.decisions.conftest import make_poll, option_ids

pytestmark = pytest.mark.django_db(transaction=True)
SUBMISSIONS = 50


def submit_together(poll, member, choices):
    barrier = threading.Barrier(SUBMISSIONS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit(i):
        try:
            barrier.wait()
            ballot_cast(context_for(member), poll=poll,
                        data={"choice": [choices[i % len(choices)]]})
            outcome = "recorded"
        except ValidationError as error:
            outcome = "refused: " + " ".join(error.messages)
        except Exception as error:  # anything else is a failure the test reports
            outcome = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_fifty_simultaneous_secret_votes_from_one_member_make_one_ballot(
        organization, springfield, bob):
    poll = make_poll(organization, chapter=springfield, secret=True)
    outcomes = submit_together(poll, bob, list(option_ids(poll).values()))
    assert len(outcomes) == SUBMISSIONS
    assert not [o for o in outcomes if o.startswith("error")], (connection.vendor, outcomes)
    assert outcomes.count("recorded") == 1
    assert Participation.objects.filter(poll=poll, member=bob).count() == 1
    poll_close(context_for(), poll=poll,
               now=poll.closes_at)  # the sealed box is counted at the close
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_fifty_simultaneous_open_votes_from_one_member_leave_one_ballot(
        organization, springfield, bob):
    """With changeable open votes the other 49 change that one ballot; none adds another."""
    poll = make_poll(organization, chapter=springfield, secret=False)
    outcomes = submit_together(poll, bob, list(option_ids(poll).values()))
    assert not [o for o in outcomes if o != "recorded"], outcomes
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert Participation.objects.filter(poll=poll).count() == 1
