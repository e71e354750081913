"""The planner's "Start it" (a chapter and a batch of invitations in one press) is recorded: one
entry for the start, one per invitation, each with the organizer who pressed it."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from chapterhouse.chapters.models import Chapter
from chapterhouse.members.models import Member
from chapterhouse.planner.models import PlanRun

pytestmark = pytest.mark.django_db


def test_start_it_records_the_start_and_each_invitation(client, demo):
    coordinator = Member.objects.get(email="coordinator@demo.example.org")
    client.force_login(coordinator)
    client.post(reverse("plan_run_create"), {"radius_km": 25, "min_size": 5})
    run = PlanRun.objects.get()
    run.candidates.filter(index=0).update(organizer=coordinator.organizer, organizer_km=1.0)
    client.post(reverse("candidate_accept", args=[run.pk, 0]))
    chapter = Chapter.objects.latest("pk")
    start = LogEntry.objects.get(changes_text="planner_start")
    assert start.actor == coordinator
    assert start.object_repr == chapter.name
    invited = chapter.invitations.count()
    assert start.changes == {"plan_run": ["None", str(run.pk)], "candidate": ["None", "1"],
                             "invited": ["None", str(invited)],
                             "organizer": ["None", str(coordinator.organizer.pk)]}
    invitations = LogEntry.objects.filter(content_type__model="invitation",
                                          object_id__in=chapter.invitations.values("pk"))
    assert invitations.count() == invited
    assert set(invitations.values_list("actor", flat=True)) == {coordinator.pk}
