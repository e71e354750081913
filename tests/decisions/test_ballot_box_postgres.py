"""Attack 2 on PostgreSQL: link ballots to voters by transaction ids (xmin) and physical order
(ctid). Before the box, `b.xmin = p.xmin - 1` linked 20 of 20 voters: each ballot was written
in its voter's transaction (the participation in get_or_create's savepoint, one xid later).

Now a voter's transaction writes no ballot; the count writes each batch in one transaction of
its own, in content order. Committed transactions, one vote at a time, as on the site.
"""

from __future__ import annotations

import pytest
from django.db import connection

from chapterhouse.context import context_for
from chapterhouse.decisions import sealing
from chapterhouse.decisions.selectors import voters_waiting as waiting_voters
from chapterhouse.decisions.services import ballot_cast
from tests.decisions.conftest import make_poll, option_ids, physical_rows, quick_member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's xmin and ctid"),
]
K = 5
CHOICES = ["Plums", "Apples", "Pears", "Plums", "Apples"] * 4


def xmins(sql: str, poll) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, [poll.pk])
        return [row[0] for row in cursor.fetchall()]


def test_transaction_ids_link_no_voter_to_a_ballot(organization, springfield, settings):
    settings.SECRET_BALLOT_BATCH = K
    poll = make_poll(organization, chapter=springfield)
    ids = option_ids(poll)
    voters = [quick_member(f"v{i}@example.org", f"Voter {i}", springfield) for i in range(20)]
    for member, label in zip(voters, CHOICES, strict=True):
        ballot_cast(context_for(member), poll=poll, data={"choice": [ids[label]]})
    poll.refresh_from_db()
    assert waiting_voters(poll) == 0
    voter_xids = xmins("SELECT xmin::text::bigint FROM decisions_participation "
                       "WHERE poll_id = %s", poll)
    rows = physical_rows(poll)
    assert len(rows) == len(voter_xids) == 20
    ballot_xids = [x for _m, _s, _r, x in rows]
    # The published joins find nobody: not the same transaction, not the one before.
    with connection.cursor() as cursor:
        for join in ("b.xmin = p.xmin", "b.xmin::text::bigint = p.xmin::text::bigint - 1"):
            sql = ("SELECT count(*) FROM decisions_ballot b JOIN decisions_participation p "  # noqa: S608
                   f"ON {join} WHERE b.poll_id = %s AND p.poll_id = %s")
            cursor.execute(sql, [poll.pk, poll.pk])
            assert cursor.fetchone()[0] == 0, join
    assert not set(ballot_xids) & set(voter_xids)
    # Every ballot shares its transaction id with at least k others: any join on xmin (nearest
    # included) names a whole batch, never one ballot.
    batches: dict[int, list] = {}
    for row in rows:
        batches.setdefault(row[3], []).append(row)
    assert len(batches) == 4
    assert all(len(b) == K for b in batches.values())
    nearest = {min(voter_xids, key=lambda v, x=x: abs(v - x)) for x in ballot_xids}
    assert len(nearest) <= len(batches)  # at most one voter per batch "linked", by chance
    # Within a batch, ctid order is content order, not the order of voting.
    for batch in batches.values():
        assert batch == sorted(batch, key=lambda r: (sealing.content_key(r[0], r[1]), r[2]))
