"""The admin holds at scale (issue 10, item 8): the New York City chapter's page held 306
drop-down lists and took 9.7 s in a browser.

Every registered model's change list, and the change page of an object with many related rows,
run the same number of queries with N rows as with 3N: nothing is fetched once per row. Staff
(past their second factor) see every page; the chapter page holds no long drop-down list."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from itertools import count

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import task

from chapterhouse.audit.services import audit_record
from chapterhouse.chapters.models import Chapter, Invitation
from chapterhouse.coordination.models import Call, Signup
from chapterhouse.decisions.models import Option, Poll
from chapterhouse.goals.models import GoalSet
from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.meetings.models import Attendance, Meeting, Rsvp
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.organizing.models import Organizer, SympatheticOrganization
from chapterhouse.outbox.models import OutboxMessage
from chapterhouse.places.models import Place
from chapterhouse.planner.models import PlanRun
from chapterhouse.resources.models import Resource
from tests.conftest import NEW_YORK, join, login_staff, make_chapter, make_member

pytestmark = pytest.mark.django_db

N = 4  # rows first; then 3N. Below a page (100), so every row is drawn.
WHEN = datetime.datetime(2014, 3, 11, 18, tzinfo=datetime.UTC)
DAY = datetime.date(2014, 3, 1)
serial = count(1)


@task()
def _noop() -> None:
    """A task to enqueue, so the task results' change list has rows."""


def _place() -> Place:
    return Place.objects.from_gazetteer(NEW_YORK)


def _members(n: int) -> list[Member]:
    """Members without a password hash (argon2 would make this slow), each with a place."""
    place = _place()
    members = [Member(email=f"m{next(serial)}@example.org", display_name=f"Member {i}",
                      place=place, joined_on=DAY) for i in range(n)]
    for member in members:
        member.set_unusable_password()
    return Member.objects.bulk_create(members)


def _chapters(n: int) -> list[Chapter]:
    parent = make_chapter(f"Parent {next(serial)}", NEW_YORK)
    return [make_chapter(f"Chapter {next(serial)}", NEW_YORK, parent=parent) for _ in range(n)]


def _meeting(chapter: Chapter | None = None) -> Meeting:
    chapter = chapter or _chapters(1)[0]
    return Meeting.objects.create(chapter=chapter, starts_at=WHEN + datetime.timedelta(
        days=next(serial)), venue="Library")


def _poll(organization: Organization, chapter: Chapter | None = None) -> Poll:
    return Poll.objects.create(
        organization=organization, chapter=chapter, title=f"Poll {next(serial)}",
        kind="single", level="chapter" if chapter else "organization",
        opens_at=WHEN, closes_at=WHEN + datetime.timedelta(days=7))


def _call(organizer: Member | None = None) -> Call:
    return Call.objects.create(title=f"Call {next(serial)}", organizer=organizer)


def _need(member: Member, chapter: Chapter | None = None) -> Need:
    return Need.objects.create(posted_by=member, chapter=chapter, title=f"Need {next(serial)}",
                               language="en")


# One builder per registered model: `n` more rows in its change list.
BUILDERS: dict[str, Callable[[int, Organization], object]] = {
    "auth.Group": lambda n, org: [Group.objects.create(name=f"Group {next(serial)}")
                                  for _ in range(n)],
    "places.Place": lambda n, org: [Place.objects.create(
        geonameid=900000 + next(serial), name="Town", country_code="US",
        country_name="United States", continent_code="NA", timezone="America/New_York",
        latitude=Decimal("40.7"), longitude=Decimal("-74.0")) for _ in range(n)],
    "members.Member": lambda n, org: _members(n),
    "organizations.Organization": None,  # one install serves one organization
    "chapters.Chapter": lambda n, org: _chapters(n),
    "chapters.ChapterMembership": lambda n, org: [
        join(chapter, member) for chapter, member in zip(_chapters(n), _members(n), strict=True)],
    "chapters.Invitation": lambda n, org: [
        Invitation.objects.create(chapter=chapter, member=member, invited_by=member,
                                  expires_on=DAY)
        for chapter, member in zip(_chapters(n), _members(n), strict=True)],
    "meetings.Meeting": lambda n, org: [_meeting() for _ in range(n)],
    "meetings.Attendance": lambda n, org: [
        Attendance.objects.create(meeting=_meeting(), member=member) for member in _members(n)],
    "goals.GoalSet": lambda n, org: [GoalSet.objects.create(
        organization=org, target_members=100, target_chapters=5, target_continents=2,
        deadline=DAY, adopted_on=DAY, source=f"Vote {next(serial)}") for _ in range(n)],
    "organizing.Organizer": lambda n, org: [Organizer.objects.create(
        member=member, place=member.place, hours_per_week=Decimal("10"), starts_on=DAY,
        months=Decimal("4"), endorsed_by=_chapters(1)[0]) for member in _members(n)],
    "organizing.SympatheticOrganization": lambda n, org: [SympatheticOrganization.objects.create(
        name=f"Friends {next(serial)}", place=_place()) for _ in range(n)],
    "planner.PlanRun": lambda n, org: [PlanRun.objects.create(requested_by=member)
                                       for member in _members(n)],
    "decisions.Poll": lambda n, org: [_poll(org, chapter) for chapter in _chapters(n)],
    "coordination.Call": lambda n, org: [_call(member) for member in _members(n)],
    "helpboard.Need": lambda n, org: [_need(member, chapter) for member, chapter
                                      in zip(_members(n), _chapters(n), strict=True)],
    "resources.Resource": lambda n, org: [Resource.objects.create(
        title=f"Flyer {next(serial)}", kind="flyer", language="en", link="https://example.org/f",
        added_by=member) for member in _members(n)],
    "axes.AccessAttempt": lambda n, org: [AccessAttempt.objects.create(
        user_agent="ua", ip_address=f"10.0.0.{next(serial) % 250}", username=f"u{i}",
        http_accept="*/*", path_info="/login/", get_data="", post_data="",
        failures_since_start=1) for i in range(n)],
    "axes.AccessLog": lambda n, org: [AccessLog.objects.create(
        user_agent="ua", ip_address="10.0.0.1", username=f"u{i}", http_accept="*/*",
        path_info="/login/") for i in range(n)],
    "axes.AccessFailureLog": lambda n, org: [AccessFailureLog.objects.create(
        user_agent="ua", ip_address="10.0.0.1", username=f"u{i}", http_accept="*/*",
        path_info="/login/") for i in range(n)],
    "otp_totp.TOTPDevice": lambda n, org: [TOTPDevice.objects.create(user=member, name="phone")
                                           for member in _members(n)],
    "otp_static.StaticDevice": lambda n, org: [StaticDevice.objects.create(
        user=member, name="backup") for member in _members(n)],
    "auditlog.LogEntry": lambda n, org: [
        audit_record(actor=member, action="attendance_review", target=member)
        for member in _members(n)],
    "django_tasks_database.DBTaskResult": lambda n, org: [_noop.enqueue() for _ in range(n)],
    "outbox.OutboxMessage": lambda n, org: OutboxMessage.objects.bulk_create(
        OutboxMessage(to=member.email, subject="Hello", body="Hi", member=member)
        for member in _members(n)),
}

ADMINS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def root(organization) -> Member:
    return make_member("root@example.org", "Root", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, root):
    return login_staff(client, root)


def _queries(client, url: str) -> tuple[int, HttpResponse]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), response


def assert_queries_do_not_grow(client, url: str,
                               add_rows: Callable[[int], object]) -> HttpResponse:
    """The page at `url` runs as many queries with N more rows as with 3N; its last response."""
    _queries(client, url)  # warm per-process caches (content types, permissions)
    add_rows(N)
    with_n, _response = _queries(client, url)
    add_rows(2 * N)
    with_3n, response = _queries(client, url)
    assert with_3n == with_n, f"{url}: {with_n} queries with {N} rows, {with_3n} with {3 * N}"
    return response


def test_every_registered_model_has_a_builder():
    assert {model._meta.label for model in ADMINS} == set(BUILDERS)


@pytest.mark.parametrize("model", ADMINS, ids=[model._meta.label for model in ADMINS])
def test_change_list_queries_do_not_grow_with_rows(staff_client, organization, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    build = BUILDERS[model._meta.label]
    if build is None:
        _queries(staff_client, url)
        return
    response = assert_queries_do_not_grow(staff_client, url, lambda n: build(n, organization))
    shown = response.context["cl"].result_list
    assert len(shown) == model._default_manager.count() >= 3 * N


def _change_page(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_a_chapter_page_costs_the_same_with_many_members(staff_client, organization):
    chapter = _chapters(1)[0]
    chapter.coordinators.add(*_members(2))
    assert_queries_do_not_grow(staff_client, _change_page(chapter), lambda n: [
        join(chapter, member) for member in _members(n)])


def test_a_chapter_page_counts_and_links_its_members_instead_of_listing_them(
        staff_client, organization):
    chapter = _chapters(1)[0]
    for member in _members(300):
        join(chapter, member)
    join(chapter, _members(1)[0], on=DAY, left_on=DAY + datetime.timedelta(days=30))
    html = _queries(staff_client, _change_page(chapter))[1].content.decode()
    options_per_select = [len(re.findall(r"<option\b", select)) for select
                          in re.findall(r"<select\b.*?</select>", html, flags=re.S)]
    assert max(options_per_select, default=0) < 20, options_per_select
    assert len(options_per_select) < 10
    assert "300 current, 301 in all" in html
    listed = reverse("admin:chapters_chaptermembership_changelist")
    assert f'{listed}?chapter__id__exact={chapter.pk}"' in html
    other = _chapters(1)[0]
    join(other, _members(1)[0])  # newer than all of the chapter's: first if not filtered out
    # The link leads to this chapter's memberships, a page of them at a time.
    response = staff_client.get(listed, {"chapter__id__exact": chapter.pk})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 301
    assert len(response.context["cl"].result_list) == 100
    assert {m.chapter_id for m in response.context["cl"].result_list} == {chapter.pk}
    assert f'{reverse("admin:chapters_chaptermembership_add")}?chapter={chapter.pk}"' in html
    added = staff_client.get(reverse("admin:chapters_chaptermembership_add"),
                             {"chapter": chapter.pk})
    assert added.context["adminform"].form.initial["chapter"] == str(chapter.pk)


def test_a_meeting_page_costs_the_same_with_many_attendees_and_answers(
        staff_client, organization):
    meeting = _meeting()

    def attend_and_answer(n: int) -> None:
        for member in _members(n):
            Attendance.objects.create(meeting=meeting, member=member)
            Rsvp.objects.create(meeting=meeting, member=member, answer="yes",
                                answered_at=WHEN)

    html = assert_queries_do_not_grow(staff_client, _change_page(meeting),
                                      attend_and_answer).content.decode()
    assert f"{3 * N} attendees" in html
    listed = reverse("admin:meetings_attendance_changelist")
    assert f'{listed}?meeting__id__exact={meeting.pk}"' in html
    other = Attendance.objects.create(meeting=_meeting(), member=_members(1)[0])
    response = staff_client.get(listed, {"meeting__id__exact": meeting.pk})
    assert response.context["cl"].result_count == 3 * N
    assert other not in response.context["cl"].result_list


def test_a_call_page_costs_the_same_with_many_sign_ups(staff_client, organization):
    call = _call()
    assert_queries_do_not_grow(staff_client, _change_page(call), lambda n: [
        Signup.objects.create(call=call, member=member) for member in _members(n)])


def test_a_need_page_costs_the_same_with_many_offers(staff_client, organization):
    need = _need(_members(1)[0])
    assert_queries_do_not_grow(staff_client, _change_page(need), lambda n: [
        Offer.objects.create(need=need, member=member, message="I can help")
        for member in _members(n)])


def test_a_poll_page_costs_the_same_with_many_options(staff_client, organization):
    poll = _poll(organization, _chapters(1)[0])
    assert_queries_do_not_grow(staff_client, _change_page(poll), lambda n: [
        Option.objects.create(poll=poll, label=f"Option {next(serial)}") for _ in range(n)])


def test_a_member_page_costs_the_same_in_many_chapters(staff_client, organization):
    member = _members(1)[0]
    assert_queries_do_not_grow(staff_client, _change_page(member), lambda n: [
        join(chapter, member) for chapter in _chapters(n)])


def test_staff_add_a_sign_up_from_the_call_page(staff_client, organization):
    """The sign-ups listed read-only beside an empty form: the form still adds one."""
    call, newcomer = _call(), _members(1)[0]
    page = _change_page(call)
    form = staff_client.get(page).context["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if value is not None and not isinstance(value, list)}
    data.update({"title": call.title, "scope": call.scope, "occurrences": 1,
                 "candidates-TOTAL_FORMS": 0, "candidates-INITIAL_FORMS": 0,
                 "signups-TOTAL_FORMS": 0, "signups-INITIAL_FORMS": 0,
                 "signups-2-TOTAL_FORMS": 1, "signups-2-INITIAL_FORMS": 0,
                 "signups-2-0-member": newcomer.pk, "signups-2-0-call": call.pk})
    response = staff_client.post(page, data)
    assert response.status_code == 302
    assert call.signups.filter(member=newcomer).exists()


# Permissions come from the code, not from the organization's data: their lists stay as long.
CODE_SIZED_LISTS = {"permissions", "user_permissions"}


@pytest.mark.parametrize("model", ADMINS, ids=[model._meta.label for model in ADMINS])
def test_no_form_offers_a_drop_down_of_members_chapters_or_places(staff_client, organization,
                                                                  model):
    """Every relation to data that grows is chosen by autocomplete (or shown read-only)."""
    _members(40)
    _chapters(40)
    _meeting()
    BUILDERS["places.Place"](40, organization)
    response = staff_client.get(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
    if response.status_code == 403:  # nobody adds these (the log, the gazetteer, ...)
        return
    selects = re.findall(r'<select\b[^>]*name="([^"]*)"[^>]*>(.*?)</select>',
                         response.content.decode(), flags=re.S)
    long_lists = {name: len(re.findall(r"<option\b", options)) for name, options in selects
                  if name not in CODE_SIZED_LISTS}
    assert max(long_lists.values(), default=0) < 20, long_lists
