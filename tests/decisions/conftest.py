"""Polls for the personas (see tests/conftest.py): Springfield's chapter poll, an
organization-wide poll, and a clock. Polls run on the organization's clock (the test
organization's is fixed on 1 February 2014), so an open poll opened an hour before that and
closes a day after."""

from __future__ import annotations

import datetime

import pytest

from chapterhouse.decisions.models import Kind, Level, Option, Poll


def make_poll(organization, *, kind=Kind.SINGLE, level=Level.CHAPTER, chapter=None,
              options=("Apples", "Pears", "Plums"), opens=None, closes=None, **fields) -> Poll:
    now = organization.clock.now()
    poll = Poll.objects.create(
        organization=organization, title=fields.pop("title", "What shall we do?"), kind=kind,
        level=level, chapter=chapter, opens_at=opens or now - datetime.timedelta(hours=1),
        closes_at=closes or now + datetime.timedelta(days=1), **fields)
    if kind != Kind.PROPOSAL:
        Option.objects.bulk_create(Option(poll=poll, label=label, position=i)
                                   for i, label in enumerate(options))
    return poll


def option_ids(poll: Poll) -> dict[str, str]:
    return {o.label: str(o.pk) for o in poll.options.all()}


@pytest.fixture
def chapter_poll(organization, springfield, alice, bob) -> Poll:
    """Springfield's open single-choice secret poll; alice and bob may vote."""
    return make_poll(organization, chapter=springfield)


@pytest.fixture
def org_poll(organization, alice, bob, charlie, olivia) -> Poll:
    return make_poll(organization, level=Level.ORGANIZATION)


def quick_member(email: str, name: str, chapter=None, **fields):
    """A member without a password hash (argon2 is slow on purpose): for crowds of voters."""
    from chapterhouse.members.models import Member
    from chapterhouse.places.models import Place
    from tests.conftest import NEW_YORK, join

    fields.setdefault("joined_on", datetime.date(2012, 3, 1))
    fields.setdefault("created_at", datetime.datetime(2012, 3, 1, tzinfo=datetime.UTC))
    fields.setdefault("place", Place.objects.from_gazetteer(NEW_YORK))
    member = Member.objects.create(email=email, display_name=name, **fields)
    if chapter is not None:
        join(chapter, member)
    return member


def held_ballots(poll: Poll) -> list[tuple]:
    """Every ballot a poll holds, counted or still sealed in its box (boxed changes applied):
    what its close would count, as (marks, stance), without moving anything."""
    from chapterhouse.decisions import sealing
    from chapterhouse.decisions.models import Ballot, SealedBallot

    held = {str(b.pk) if not b.receipt_hash else b.receipt_hash: (b.marks, b.stance)
            for b in Ballot.objects.filter(poll=poll)}
    keys = sealing.box_keys()
    for row in SealedBallot.objects.filter(poll=poll):
        item = sealing.unseal(row.sealed, poll_id=poll.pk, keys=keys)
        held[item.receipt_hash] = (item.marks, item.stance)
    return sorted(held.values(), key=str)


def physical_rows(poll: Poll) -> list[tuple]:
    """A poll's counted ballots as the database stores them, in physical order (SQLite rowid,
    PostgreSQL ctid): (marks, stance, receipt_hash, xmin or None). What an attacker with the
    database file reads, below the models."""
    import json

    from django.db import connection

    order, xmin = ("ctid", "xmin::text::bigint") if connection.vendor == "postgresql" \
        else ("rowid", "NULL")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT marks, stance, receipt_hash, {xmin} FROM decisions_ballot "  # noqa: S608
                       f"WHERE poll_id = %s ORDER BY {order}", [poll.pk])
        return [(json.loads(m) if isinstance(m, str) else m, s, r, x)
                for m, s, r, x in cursor.fetchall()]


def physical_marks(poll: Poll) -> list[tuple]:
    return [(m, s) for m, s, _r, _x in physical_rows(poll)]


@pytest.fixture(autouse=True)
def _polls_at_once(polls_at_once):
    """These tests read the poll notices as emails (issue 13 sends them to the digest)."""
