"""`seed_demo --members N --chapters K` on a database that holds a real organization: refused,
and a bad shape is refused before that guard (issue 12)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from chapterhouse.members.models import Member
from tests.conftest import make_member
from tests.organizations.test_demo_at_scale import SHAPE


def test_a_bad_shape_is_refused_before_the_guard_and_a_real_account_survives(db):
    real = make_member("rosa@example.org", "Rosa")
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo", "--members", "2000", "--chapters", "1000")
    assert "at most" in str(refused.value)
    assert list(Member.objects.values_list("email", flat=True)) == [real.email]


def test_a_real_organization_is_still_refused(db):
    real = make_member("rosa@example.org", "Rosa")
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo", *SHAPE)
    assert "Refusing to seed" in str(refused.value)
    assert Member.objects.filter(Q(pk=real.pk)).count() == Member.objects.count() == 1
