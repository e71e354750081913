"""A member's "Download my data" holds their answer to a split's question."""

import pytest

from chapterhouse.context import context_for
from chapterhouse.privacy.selectors import member_data
from chapterhouse.splits.models import SplitAnswer
from chapterhouse.splits.services import split_answer
from tests.splits.test_split_permissions import parts, passed, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_the_data_download_holds_the_members_split_answer(people, passed):  # noqa: F811
    bob = people["bob"]
    queens = passed.parts.get(name="Queens")
    split_answer(context_for(bob), split=passed, part_id=queens.pk)
    rows = member_data(bob)["split_answers"]
    assert len(rows) == 1
    assert rows[0]["chapter"] == passed.parent.name
    assert rows[0]["chosen_part"] == "Queens"
    assert rows[0]["proposed_part"] == SplitAnswer.objects.get(member=bob).default.name
    assert member_data(people["charlie"])["split_answers"] == []
