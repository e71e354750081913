"""The admin locks a poll's options and rules from its first vote, boxed or counted."""

import pytest
from django.contrib import admin

from chapterhouse.context import context_for
from chapterhouse.decisions.admin import PollAdmin
from chapterhouse.decisions.models import Ballot, Poll
from chapterhouse.decisions.services import ballot_cast
from tests.decisions.conftest import option_ids

pytestmark = pytest.mark.django_db


def test_a_secret_poll_whose_only_ballot_waits_in_the_box_cannot_be_edited(chapter_poll, bob,
                                                                          rf):
    poll_admin = PollAdmin(Poll, admin.site)
    assert "secret" not in poll_admin.get_readonly_fields(rf.get("/"), chapter_poll)
    ballot_cast(context_for(bob), poll=chapter_poll,
                data={"choice": [option_ids(chapter_poll)["Pears"]]})
    assert not Ballot.objects.filter(poll=chapter_poll).exists()  # sealed in the box
    readonly = poll_admin.get_readonly_fields(rf.get("/"), chapter_poll)
    assert {"secret", "kind", "closes_at"} <= set(readonly)
