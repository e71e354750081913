"""New York City into five, end to end on the demo: the demo's proposal is open; a new one is
proposed from the planner's split, voted, passed; members confirm, change, decline or are
placed by default; the borough chapters exist with their parent; NYC's past stays as it was."""

import datetime

import pytest
from django.urls import reverse

from chapterhouse.chapters.models import Chapter, Origin
from chapterhouse.context import context_for
from chapterhouse.decisions.services import ballot_cast, poll_close, poll_withdraw
from chapterhouse.decisions.split_services import split_propose
from chapterhouse.meetings.models import ChapterMonth
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.outbox.models import OutboxMessage
from chapterhouse.splits.models import Source, Split, SplitAnswer, Status
from chapterhouse.splits.services import PartSpec, splits_settle_due
from chapterhouse.verdicts.selectors import chapter_qualifies
from tests.conftest import client_for

BOROUGHS = {"Brooklyn", "Queens", "Manhattan", "The Bronx", "Staten Island"}
COORDINATOR = "coordinator@demo.example.org"


def _set_day(day: datetime.date) -> None:
    Organization.objects.update(figures_as_of=day)


def _months(chapter):
    return list(ChapterMonth.objects.filter(chapter=chapter).order_by("month")
                .values_list("month", "best_attendees", "enough_attendees", "enough_women",
                             "run"))


@pytest.mark.django_db
def test_new_york_city_splits_into_its_five_boroughs(demo, client):
    nyc = Chapter.objects.get(name="New York City")
    coordinator = Member.objects.get(email=COORDINATOR)
    organization = Organization.objects.current()
    rule, before_day = organization.rule, organization.today
    months_before = _months(nyc)
    qualified_before = chapter_qualifies(nyc, rule=rule, on=before_day)

    # The demo's proposal is open for NYC's vote: a second one is refused.
    shown = Split.objects.get(parent=nyc)
    assert shown.status == Status.VOTING
    assert shown.source == Source.PLANNER
    assert {p.name for p in shown.parts.all()} == BOROUGHS
    ctx = context_for(coordinator)
    with pytest.raises(Exception, match="already has a split in progress"):
        split_propose(ctx, chapter=nyc, parts=[PartSpec(p.name, p.place_id)
                                               for p in shown.parts.all()],
                      source=Source.TYPED)
    poll_withdraw(ctx, poll=shown.poll, reason="Proposed again with a shorter vote.")

    # The coordinator proposes the planner's split through the page.
    client_for(client, coordinator)
    page = client.get(reverse("split_new", args=[nyc.slug]) + "?from=plan")
    lines = page.context["form"].initial["parts"]
    assert {line.split(":")[0] for line in lines.splitlines()} == BOROUGHS
    response = client.post(reverse("split_new", args=[nyc.slug]),
                           {"parts": lines, "days": 7, "source": "planner"})
    split = Split.objects.get(parent=nyc, status=Status.VOTING)
    assert response.status_code == 302
    shown.refresh_from_db()
    assert shown.status == Status.REJECTED

    # NYC's members vote; it passes at the close.
    poll = split.poll
    voters = list(Member.objects.filter(chapter_memberships__chapter=nyc,
                                        chapter_memberships__left_on__isnull=True)
                  .order_by("pk")[:6])
    for voter in voters:
        ballot_cast(context_for(voter), poll=poll, data={"stance": ["agree"]})
    assert poll_close(ctx, poll=poll, now=poll.closes_at, announce=False)
    split.refresh_from_db()
    assert split.status == Status.CONFIRMING
    boroughs = Chapter.objects.filter(parent=nyc)
    assert {c.name for c in boroughs} == BOROUGHS
    assert {c.origin for c in boroughs} == {Origin.SPLIT}
    asked = SplitAnswer.objects.filter(split=split)
    members = nyc.memberships.current(split.passed_on).count()
    assert asked.count() == members > 250
    assert OutboxMessage.objects.filter(kind="split_confirm").count() == members
    assert nyc.memberships.current(split.passed_on).count() == members  # nobody moved yet

    # Members answer for themselves: one takes another part, one none, the coordinator his
    # default and its coordination.
    _set_day(split.passed_on + datetime.timedelta(days=1))
    mover, leaver = asked.exclude(member=coordinator)[:2]
    other = split.parts.exclude(pk=mover.default_id).first()
    client.force_login(mover.member)
    client.post(reverse("split_answer", args=[split.pk]), {"part": str(other.pk)})
    client.force_login(leaver.member)
    client.post(reverse("split_answer", args=[split.pk]), {"part": "none"})
    mine = asked.get(member=coordinator)
    client_for(client, coordinator).post(reverse("split_answer", args=[split.pk]),
                                         {"part": str(mine.default_id), "coordinate": "on"})
    assert mine.default.chapter.coordinators.filter(pk=coordinator.pk).exists()

    # After the deadline the job places the others in their default part, once.
    _set_day(split.confirm_by + datetime.timedelta(days=1))
    settle_ctx = context_for()
    assert splits_settle_due(settle_ctx) == 1
    assert splits_settle_due(settle_ctx) == 0
    day = settle_ctx.today()
    split.refresh_from_db()
    assert split.status == Status.DONE
    assert nyc.memberships.current(day).count() == 0  # the umbrella keeps no members
    in_parts = sum(c.memberships.current(day).count() for c in boroughs)
    assert in_parts == members - 1  # all but the one who chose none
    assert other.chapter.is_member(mover.member, day)
    assert not any(c.is_member(leaver.member, day) for c in boroughs)
    placed = asked.filter(by_default=True).count()
    assert placed == members - 3
    assert OutboxMessage.objects.filter(kind="split_placed").count() == placed

    # Past verdicts stay: NYC's stored months are as they were; each borough starts forming.
    assert _months(nyc) == months_before
    assert chapter_qualifies(nyc, rule=rule, on=before_day) == qualified_before
    for borough in boroughs:
        assert not chapter_qualifies(borough, rule=rule, on=day)
        assert not ChapterMonth.objects.filter(chapter=borough).exists()
    assert client.get(reverse("chapter_detail", args=[nyc.slug])).status_code == 200
