"""Health warnings (issue 13): who is told a chapter is at risk, once, and who sees it where."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.jobs.schedule import SCHEDULE
from chapterhouse.organizations.models import Organization
from chapterhouse.outbox.models import OutboxMessage
from chapterhouse.verdicts.models import RiskNotice
from chapterhouse.verdicts.notices import risk_notices_send
from tests.conftest import (
    VIENNA,
    client_for,
    join,
    make_meeting,
    make_member,
    make_organizer,
    make_qualifying,
    make_staff,
)

pytestmark = pytest.mark.django_db
FEB_1_MORNING = datetime.datetime(2014, 2, 1, 10, tzinfo=datetime.UTC)  # 05:00 in New York


@pytest.fixture
def people(springfield, vienna, alice, bob, charlie):
    """Springfield (qualifying through January) with a short meeting on the demo's day:
    its coordinator Alice, member Bob, organizer Olga; Vienna's member Charlie and
    coordinator Vera; another organizer Otto; staff Stella."""
    make_qualifying(springfield)
    regulars = list(springfield.memberships.values_list("member", flat=True))
    from chapterhouse.members.models import Member

    make_meeting(springfield, FEB_1_MORNING, attendees=Member.objects.filter(
        pk__in=regulars[:4]))
    olga = make_member("olga@example.org", "Olga", gender="woman")
    springfield.organizer = make_organizer(olga)
    springfield.save(update_fields=["organizer"])
    vera = make_member("vera@example.org", "Vera", VIENNA)
    join(vienna, vera)
    vienna.coordinators.add(vera)
    otto = make_member("otto@example.org", "Otto")
    make_organizer(otto)
    return {"coordinator": alice, "member": bob, "organizer": olga, "other_member": charlie,
            "other_coordinator": vera, "other_organizer": otto, "staff": make_staff()}


def test_the_coordinators_and_the_organizer_are_told_once(people, springfield):
    ctx = context_for()
    first = risk_notices_send(ctx)
    assert (first.chapters, first.emails) == (1, 2)
    sent = OutboxMessage.objects.filter(kind="chapter_at_risk")
    assert sorted(sent.values_list("to", flat=True)) == ["alice@example.org", "olga@example.org"]
    body = sent.first().body
    assert "Springfield" in body
    assert "had 4 attendees; the rule needs 5" in body
    assert f"/meetings/chapter/{springfield.slug}/schedule/" in body
    assert list(RiskNotice.objects.values_list("code", flat=True)) == ["short_attendees"]
    again = risk_notices_send(ctx)  # the next hour's run
    assert (again.chapters, again.emails) == (0, 0)
    assert sent.count() == 2
    # A new reason in the same month is told once more: only that one.
    Organization.objects.update(at_risk_days=28)
    third = risk_notices_send(context_for())
    assert (third.chapters, third.emails) == (1, 2)
    latest = OutboxMessage.objects.filter(kind="chapter_at_risk").order_by("-pk").first()
    assert "28 days are left" in latest.body
    assert "4 attendees" not in latest.body
    assert risk_notices_send(context_for()).emails == 0


def test_a_run_stopped_halfway_sends_nothing_twice(people, springfield, monkeypatch):
    from chapterhouse.verdicts import notices

    def stopped(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(notices, "member_mail", stopped)
    with pytest.raises(RuntimeError):
        risk_notices_send(context_for())
    assert not RiskNotice.objects.exists()  # the chapter's transaction rolled back whole
    monkeypatch.undo()
    assert risk_notices_send(context_for()).emails == 2
    assert risk_notices_send(context_for()).emails == 0


def test_the_job_is_scheduled_and_the_command_runs(people):
    assert "chapterhouse.jobs.tasks.notify_at_risk" in {e.task for e in SCHEDULE}
    out = io.StringIO()
    call_command("notify_at_risk", stdout=out)
    assert "2 health warning(s) for 1 chapter(s)" in out.getvalue()
    assert OutboxMessage.objects.filter(kind="chapter_at_risk").count() == 2


@pytest.mark.parametrize(("who", "sees"), [
    (None, False), ("member", False), ("other_member", False), ("other_coordinator", False),
    ("other_organizer", False), ("coordinator", True), ("organizer", True), ("staff", True),
])
def test_who_sees_the_warning_on_the_chapter_page(client, people, springfield, who, sees):
    if who:
        client_for(client, people[who])
    page = client.get(reverse("chapter_detail", args=[springfield.slug])).text
    assert ('id="chapter-at-risk"' in page) is sees
    if sees:
        assert "had 4 attendees; the rule needs 5" in page
        # The chapter's organizer schedules its meetings as its coordinators do.
        assert "Schedule a meeting before the month ends" in page


@pytest.mark.parametrize(("who", "listed"), [
    (None, False), ("member", False), ("coordinator", False), ("other_coordinator", False),
    ("organizer", True), ("other_organizer", True), ("staff", True),
])
def test_the_dashboard_counts_them_and_lists_them_to_organizers_and_staff(
        client, people, who, listed):
    from decimal import Decimal

    from chapterhouse.goals.models import GoalSet

    GoalSet.objects.create(  # "How these figures are computed" explains the goals' figures
        organization=Organization.objects.get(), target_members=100, target_chapters=5,
        target_continents=2, target_women_share=Decimal("0.3"),
        deadline=datetime.date(2017, 1, 1), adopted_on=datetime.date(2012, 6, 15), source="x")
    if who:
        client_for(client, people[who])
    page = client.get(reverse("dashboard")).text
    assert "1 chapter is at risk" in page
    assert 'id="at-risk-rule"' in page
    assert ('<ul class="at-risk">' in page) is listed
    assert (">Springfield</a> · The best meeting so far in February 2014 had 4 attendees"
            in page) is listed


def test_a_chapter_that_met_the_rule_this_month_is_not_at_risk(people, springfield, client):
    regulars = springfield.memberships.values_list("member", flat=True)
    from chapterhouse.members.models import Member

    make_meeting(springfield, FEB_1_MORNING + datetime.timedelta(hours=1),
                 attendees=Member.objects.filter(pk__in=regulars))
    assert risk_notices_send(context_for()).emails == 0
    assert "at risk" not in client.get(reverse("dashboard")).text.split('id="chapters"')[1]
