"""A fixed date for the figures moves a real organization's dashboard, never its calendar
(issue 11 review): only a demo (demo_clock) lives on that date."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chapterhouse.context import context_for
from chapterhouse.decisions.models import Level
from chapterhouse.decisions.services import polls_close_due
from chapterhouse.organizations.models import Organization
from tests.decisions.conftest import make_poll


@pytest.fixture
def real_organization(db) -> Organization:
    return Organization.objects.create(name="Real Society", founded_on=datetime.date(2012, 2, 1))


def test_a_future_figures_date_neither_moves_the_clock_nor_closes_live_polls(real_organization):
    poll = make_poll(real_organization, level=Level.ORGANIZATION,
                     closes=timezone.now() + datetime.timedelta(days=5))
    real_organization.figures_as_of = timezone.localdate() + datetime.timedelta(days=30)
    real_organization.save()
    ctx = context_for(organization=real_organization)
    assert abs(ctx.now() - timezone.now()) < datetime.timedelta(minutes=1)
    assert real_organization.today == real_organization.figures_as_of  # the dashboard's date
    assert polls_close_due(ctx) == 0
    poll.refresh_from_db()
    assert poll.closed_at is None


def test_a_demo_lives_on_its_date(organization):
    assert organization.demo_clock
    assert organization.clock.now() == datetime.datetime(2014, 2, 1, 12, tzinfo=datetime.UTC)


def test_a_demo_clock_needs_its_date(real_organization):
    real_organization.demo_clock = True
    with pytest.raises(ValidationError, match="figures as of"):
        real_organization.full_clean()
