"""The planner page, on the demo organization: who may see it, running a plan, starting a
candidate chapter."""

import math

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from chapterhouse.chapters.models import Chapter, Invitation
from chapterhouse.chapters.selectors import members_unaffiliated
from chapterhouse.core.reasons import explain_english
from chapterhouse.domain.distance import great_circle_km
from chapterhouse.domain.reasons import reason
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.planner.models import PlanRun, RunStatus
from chapterhouse.planner.services import attendance_rate_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(demo, db):
    return Member.objects.get(email="coordinator@demo.example.org")


@pytest.fixture
def plan(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("plan_run_create"), {"radius_km": 25, "min_size": 5})
    run = PlanRun.objects.get()
    # Candidate 1 (outside every chapter's area) matched to this organizer: theirs to start.
    run.candidates.filter(index=0).update(organizer=coordinator.organizer, organizer_km=1.0)
    return run


def test_outsiders_and_plain_members_get_404(client, demo, db):
    assert client.get(reverse("planner")).status_code == 404
    member = Member.objects.filter(coordinated_chapters=None, organizer=None,
                                   is_staff=False).first()
    client.force_login(member)
    assert client.get(reverse("planner")).status_code == 404
    assert client.post(reverse("plan_run_create"),
                       {"radius_km": 25, "min_size": 5}).status_code == 404
    assert not PlanRun.objects.exists()


def test_a_small_organization_is_planned_within_the_request(plan):
    assert plan.status == RunStatus.DONE
    summary = plan.result["summary"]
    assert summary["qualifying_now"] == 8
    assert summary["target_chapters"] == 20
    assert summary["new_chapters"] == len(plan.result["new_chapters"]) > 0


def test_the_page_shows_the_plan_and_its_dates(client, plan):
    html = client.get(reverse("planner")).text
    summary = plan.result["summary"]
    assert (f"Qualifying chapters: 8 now, {summary['projected_at_deadline']} projected at the "
            "deadline with these organizers, against a goal of 20.") in html
    assert "it must start meeting by 2014-04-01" in html
    assert html.count('id="candidate-') == summary["new_chapters"]
    assert "New York City" in html
    assert "Brooklyn" in html
    assert "Boston Solidarity Network" in html


def test_the_page_never_names_candidate_members(client, plan):
    html = client.get(reverse("planner")).text
    first = plan.result["new_chapters"][0]["members"][0]
    member = Member.objects.get(pk=int(first))
    assert member.email not in html
    assert member.display_name not in html.split('id="candidates"')[1].split("</table>")[0]


def test_invalid_settings_are_refused_with_a_message(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("plan_run_create"), {"radius_km": 0, "min_size": 5},
                           follow=True)
    assert "greater than or equal to 1" in response.text
    assert not PlanRun.objects.exists()


def test_starting_a_candidate_makes_a_forming_chapter_and_invites_its_members(
        client, plan, coordinator, django_capture_on_commit_callbacks):
    candidate = plan.result["new_chapters"][0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("candidate_accept", args=[plan.pk, 0]))
    chapter = Chapter.objects.latest("pk")
    assert response.status_code == 302
    assert response.url == reverse("chapter_detail", args=[chapter.slug])
    invited = set(Invitation.objects.filter(chapter=chapter).values_list("member_id", flat=True))
    assert invited == {int(i) for i in candidate["members"]}
    assert chapter.organizer == coordinator.organizer  # carried by them, coordinated by none
    assert not chapter.coordinators.exists()
    assert len(mail.outbox) == len(invited)
    assert all(len(m.to) == 1 for m in mail.outbox)  # no one sees another invitee's address
    assert plan.candidates.get(index=0).accepted == chapter.slug


def test_a_candidate_cannot_be_started_twice(client, plan):
    client.post(reverse("candidate_accept", args=[plan.pk, 0]))
    response = client.post(reverse("candidate_accept", args=[plan.pk, 0]), follow=True)
    assert "already a chapter" in response.text
    assert Chapter.objects.count() == 12


def test_an_unknown_candidate_is_404(client, plan):
    assert client.post(reverse("candidate_accept", args=[plan.pk, 999])).status_code == 404
    assert client.post(reverse("candidate_accept", args=[plan.pk + 1, 0])).status_code == 404


def test_the_attendance_rate_is_computed_once_in_the_background_then_explained(
        client, plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(reverse("planner"))
        client.get(reverse("planner"))  # a second view before the task ran queues nothing more
    assert first.context["rate"] is None
    assert "is being computed" in first.text
    queued = DBTaskResult.objects.filter(task_path__endswith="attendance_rate_work")
    assert queued.count() == 1
    organization = Organization.objects.current()
    attendance_rate_work.call(*queued.get().args_kwargs["args"])
    response = client.get(reverse("planner"))
    rate = response.context["rate"]
    organization = Organization.objects.current()
    assert rate.attendees == organization.min_attendees == 5
    assert 0 < rate.came <= rate.members
    assert rate.suggested_size == math.ceil(rate.attendees * rate.members / rate.came)
    assert (f"For {rate.attendees} to come, a group would need about {rate.suggested_size} "
            "members at that rate") in response.text


def test_members_near_each_sympathetic_group_are_counted_by_distance(client, plan):
    response = client.get(reverse("planner"))
    boston = next(g for g in response.context["groups"]
                  if g.organization.name == "Boston Solidarity Network")
    on = Organization.objects.current().today
    here = boston.organization.place
    near = sum(1 for m in members_unaffiliated(
                   Member.objects.filter(is_active=True, place__isnull=False), on)
               .select_related("place")
               if great_circle_km(here.latitude, here.longitude, m.place.latitude,
                                  m.place.longitude) <= 25)
    assert boston.unaffiliated_nearby == near > 0
    assert f"<td>{near}</td>" in response.text


def test_a_plan_read_in_german_shows_none_of_the_english_its_codes_replaced(client, plan):
    """The engine's reasons are codes: the page words them in the reader's language."""
    said = [
        reason("planner.split.too_few_groups", valid=1, groups=3, size=5, percent=30),
        reason("planner.split.centre_short", centre="Brooklyn", members=3, km=25.0, women=1),
        reason("planner.split.unplaced", n=4),
        reason("planner.split.no_members", chapter="new-york-city"),
    ]
    page = plan.page  # what the page shows of the run
    page["splits"] = [{"chapter": "new-york-city", "works": False, "parts": [],
                       "unplaced": [], "reasons": [r.as_json() for r in said]}]
    plan.page = page
    plan.save(update_fields=["page"])
    PlanRun.objects.create(status=RunStatus.FAILED, min_size=5,
                           reason=reason("planner.run.worker_stopped", attempts=3).as_json())
    english = [explain_english(r) for r in [*said, reason("planner.run.worker_stopped",
                                                          attempts=3)]]
    client.cookies["django_language"] = "de"
    with translation.override("de"):
        html = client.get(reverse("planner"), HTTP_ACCEPT_LANGUAGE="de").text
    assert 'lang="de"' in html
    assert [sentence for sentence in english if sentence in html] == []
    assert "no organizer within reach" not in html


def test_the_page_does_not_query_per_candidate_or_group(client, plan,
                                                         django_assert_num_queries):
    assert len(plan.result["new_chapters"]) > 5
    organization = Organization.objects.current()
    attendance_rate_work.call(organization.today.isoformat(), organization.qualifying_months,
                              organization.min_attendees)  # the background task, done
    client.get(reverse("planner"))
    # Whatever the plan's size (test_planner_at_scale.py); one for the chapters' areas, one
    # for the unread messages beside "Messages" in the menu.
    with django_assert_num_queries(13):
        client.get(reverse("planner"))
