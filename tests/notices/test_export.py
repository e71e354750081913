"""A member's "Download my data" holds their email preferences and their digest lines."""

import pytest

from chapterhouse.context import context_for
from chapterhouse.notices.kinds import Category, Frequency
from chapterhouse.notices.models import DigestEntry
from chapterhouse.notices.services import preferences_set
from chapterhouse.privacy.selectors import member_data
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def test_the_data_download_holds_email_preferences_and_digest_lines(organization):
    vera = make_member("vera@example.org", "Vera")
    nora = make_member("nora@example.org", "Nora")
    preferences_set(context_for(vera), member=vera,
                    frequencies={Category.POLLS: Frequency.WEEKLY})
    DigestEntry.objects.create(member=vera, category="polls", kind="poll_opening",
                               frequency=Frequency.WEEKLY, subject="Poll open: Budget", link="")
    data = member_data(vera)
    assert [(p["category"], p["frequency"]) for p in data["email_preferences"]] == [
        ("polls", "weekly")]
    assert [(d["subject"], d["sent_at"]) for d in data["digest_lines"]] == [
        ("Poll open: Budget", None)]
    assert member_data(nora)["email_preferences"] == []
    assert member_data(nora)["digest_lines"] == []
