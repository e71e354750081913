"""`seed_demo --members N --chapters K` builds an organization of that shape (issue 12): chapters
with members from around them, weekly meetings and attendance, a mix of verdicts, and stored
month results equal to a rebuild from attendance. Small sizes here; bench/pages_at_scale.py
builds the million."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Exists, OuterRef

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.demo.chapters import PLANS
from chapterhouse.demo.seeding import ADMIN_EMAIL, COORDINATOR_EMAIL, DEMO_PASSWORD
from chapterhouse.domain.distance import great_circle_km
from chapterhouse.domain.qualification import Status
from chapterhouse.meetings.models import Attendance, ChapterMonth, Meeting
from chapterhouse.meetings.months import chapter_months_rebuild
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.verdicts.selectors import chapter_verdicts, chapter_verdicts_recomputed

# The scale generator alone: the organizing stages (tests/organizing/test_demo_stages.py)
# start chapters of their own from a plan.
SHAPE = ["--members", "2000", "--chapters", "40", "--seed", "5", "--no-organizing-stages"]
LETTER = {plan.name for plan in PLANS}


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seeded once for the module, rolled back at its end; each test's own writes (a second
    seeding included) are rolled back at the test's end, as the shared demo's are."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", *SHAPE)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return None


def added_chapters() -> list[Chapter]:
    return list(Chapter.objects.exclude(name__in=LETTER).select_related("place"))


def month_rows() -> set[tuple[object, ...]]:
    fields = [f.attname for f in ChapterMonth._meta.concrete_fields if f.attname != "id"]
    return set(ChapterMonth.objects.values_list(*fields))


def test_it_has_the_members_and_chapters_asked_for(seeded):
    assert Member.objects.count() == 2000
    assert Chapter.objects.count() == 40
    assert set(Chapter.objects.values_list("name", flat=True)) >= LETTER
    assert len(set(Chapter.objects.values_list("slug", flat=True))) == 40


def test_about_a_third_of_the_members_are_women(seeded):
    share = Member.objects.filter(gender="woman").count() / Member.objects.count()
    assert 0.28 <= share <= 0.42


def test_members_joined_over_the_two_years_before_the_demo_date(seeded):
    organization = Organization.objects.current()
    first = Member.objects.order_by("joined_on").values_list("joined_on", flat=True).first()
    last = Member.objects.order_by("-joined_on").values_list("joined_on", flat=True).first()
    assert organization.founded_on <= first < organization.founded_on + datetime.timedelta(60)
    assert organization.today - datetime.timedelta(60) < last < organization.today


def test_each_added_chapter_has_members_from_around_it_and_one_or_two_coordinators(seeded):
    for chapter in added_chapters():
        memberships = ChapterMembership.objects.filter(chapter=chapter).select_related(
            "member__place")
        assert memberships.exists(), chapter.name
        for membership in memberships:
            place = membership.member.place
            assert place.country_code == chapter.place.country_code
            assert great_circle_km(place.latitude, place.longitude, chapter.place.latitude,
                                   chapter.place.longitude) <= chapter.radius_km
        assert 1 <= chapter.coordinators.count() <= 2
        assert set(chapter.coordinators.values_list("pk", flat=True)) <= set(
            memberships.values_list("member_id", flat=True))


def test_meetings_and_attendance_are_in_proportion(seeded):
    added = added_chapters()
    meetings = Meeting.objects.filter(chapter__in=added)
    # Weekly since founding (most chapters in the first months of the demo's two years).
    assert 60 <= meetings.count() / len(added) <= 105
    per_meeting = Attendance.objects.filter(meeting__in=meetings).count() / meetings.count()
    assert 4 <= per_meeting <= 12


def test_every_attendee_was_a_member_of_the_chapter_on_the_meeting_day(seeded):
    member_then = ChapterMembership.objects.filter(
        chapter=OuterRef("meeting__chapter"), member=OuterRef("member"),
        joined_on__lte=OuterRef("meeting__starts_at__date"))
    strangers = Attendance.objects.filter(meeting__chapter__in=added_chapters()).filter(
        ~Exists(member_then))
    assert not strangers.exists()


def test_most_chapters_qualify_and_some_lapsed_and_some_are_forming(seeded):
    organization = Organization.objects.current()
    verdicts = chapter_verdicts(Chapter.objects.all(), rule=organization.rule,
                                on=organization.today)
    statuses = [v.status for v in verdicts.values()]
    assert statuses.count(Status.QUALIFYING) >= len(statuses) // 2
    assert statuses.count(Status.LAPSED) >= 1
    assert statuses.count(Status.FORMING) >= 1


def test_every_chapters_stored_months_equal_a_rebuild_from_attendance(seeded):
    organization = Organization.objects.current()
    stored = month_rows()
    by_chapter = ChapterMonth.objects.values("chapter").annotate(n=Count("pk"))
    assert by_chapter.count() == 40
    chapter_months_rebuild()
    assert month_rows() == stored
    recomputed = chapter_verdicts_recomputed(Chapter.objects.all(), rule=organization.rule,
                                             on=organization.today)
    read = chapter_verdicts(Chapter.objects.all(), rule=organization.rule,
                            on=organization.today)
    assert {pk: v.status for pk, v in read.items()} == {
        pk: v.status for pk, v in recomputed.items()}


def test_the_personas_can_log_in(seeded, rf):
    for email in (ADMIN_EMAIL, COORDINATOR_EMAIL):
        assert authenticate(rf.get("/"), username=email, password=DEMO_PASSWORD) is not None
    nyc = Chapter.objects.get(name="New York City")
    assert nyc.coordinators.filter(email=COORDINATOR_EMAIL).exists()


def test_seeding_it_again_replaces_it_with_the_same_organization(seeded):
    before = (Member.objects.count(), Chapter.objects.count(), Meeting.objects.count(),
              Attendance.objects.count(), month_rows())
    emails = set(Member.objects.values_list("email", flat=True))

    call_command("seed_demo", *SHAPE)

    after = (Member.objects.count(), Chapter.objects.count(), Meeting.objects.count(),
             Attendance.objects.count())
    assert after == before[:4]
    assert set(Member.objects.values_list("email", flat=True)) == emails
    # The same months, chapter by chapter (ids differ: a seeding never reuses them).
    names = dict(Chapter.objects.values_list("pk", "name"))
    assert len({(names[r[0]], *r[1:3]) for r in month_rows()}) == len(before[4])


def test_the_letters_demo_replaces_a_big_one(seeded):
    call_command("seed_demo", "--members", "600", "--seed", "7")
    assert Member.objects.count() == 600
    assert Chapter.objects.count() == len(PLANS)
    assert not ChapterMonth.objects.exclude(chapter__in=Chapter.objects.all()).exists()


@pytest.mark.parametrize(("arguments", "says"), [
    (["--members", "2000", "--chapters", "401"], "at most --members / 5"),
    (["--members", "2000", "--chapters", "-3"], "at least 11"),
    (["--members", "-5", "--chapters", "20"], "--members must be at least"),
    (["--members", "-5"], "--members must be positive"),
])
def test_bad_shapes_are_refused_with_a_clear_message_and_change_nothing(seeded, arguments,
                                                                         says):
    before = (Member.objects.count(), Chapter.objects.count(), Attendance.objects.count())

    with pytest.raises(CommandError) as refused:
        call_command("seed_demo", *arguments)

    assert says in str(refused.value)
    assert len(str(refused.value).splitlines()) == 1
    assert (Member.objects.count(), Chapter.objects.count(),
            Attendance.objects.count()) == before
