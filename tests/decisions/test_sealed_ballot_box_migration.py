"""Migration 0004: secret ballots cast before the box were written in their voters'
transactions, in voting order; the migration rewrites them in content order (an open poll keeps
its receipts) and lists every voter so far."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.decisions.conftest import physical_marks, quick_member

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("decisions", "0003_option_ordering")]
AFTER = [("decisions", "0004_sealed_ballot_box")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.fixture
def before_the_box():
    """The schema as it was before 0004; afterwards every migration again, for later tests."""
    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    yield old
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_secret_ballots_are_rewritten_in_content_order(organization, springfield,
                                                                before_the_box):
    voters = [quick_member(f"m{i}@example.org", f"M {i}", springfield) for i in range(4)]
    old = before_the_box
    Poll, Option = old.get_model("decisions", "Poll"), old.get_model("decisions", "Option")
    Ballot = old.get_model("decisions", "Ballot")
    Participation = old.get_model("decisions", "Participation")
    now = timezone.now()
    poll = Poll.objects.create(organization_id=organization.pk, title="Q", kind="single",
                               level="chapter", chapter_id=springfield.pk, secret=True,
                               opens_at=now - datetime.timedelta(hours=1),
                               closes_at=now + datetime.timedelta(days=1))
    ids = [Option.objects.create(poll=poll, label=label, position=i).pk
           for i, label in enumerate(["A", "B", "C"])]
    for member, choice in zip(voters, [2, 0, 1, 0], strict=True):  # in the order of voting
        Participation.objects.create(poll=poll, member_id=member.pk)
        Ballot.objects.create(poll=poll, marks=[ids[choice]], receipt_hash=f"r{member.pk}")
    migrate(AFTER)

    from chapterhouse.decisions.models import Ballot as NewBallot
    from chapterhouse.decisions.models import Poll as NewPoll

    migrated = NewPoll.objects.get(pk=poll.pk)
    assert physical_marks(migrated) == [([ids[0]], ""), ([ids[0]], ""), ([ids[1]], ""),
                                        ([ids[2]], "")]
    assert set(NewBallot.objects.filter(poll=migrated).values_list("receipt_hash", flat=True)) \
        == {f"r{m.pk}" for m in voters}  # still open: votes can still be changed
    assert migrated.published_through == max(
        migrated.participations.values_list("pk", flat=True))
