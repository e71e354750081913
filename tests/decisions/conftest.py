"""Polls for the personas (see tests/conftest.py): Springfield's chapter poll, an
organization-wide poll, and a clock. Polls run on the real clock, so an open poll opened an
hour ago and closes in a day."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from chapterhouse.decisions.models import Kind, Level, Option, Poll


def make_poll(organization, *, kind=Kind.SINGLE, level=Level.CHAPTER, chapter=None,
              options=("Apples", "Pears", "Plums"), opens=None, closes=None, **fields) -> Poll:
    now = timezone.now()
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
    fields.setdefault("place", Place.objects.from_gazetteer(NEW_YORK))
    member = Member.objects.create(email=email, display_name=name, **fields)
    if chapter is not None:
        join(chapter, member)
    return member
