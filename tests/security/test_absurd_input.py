"""Absurd input on every page of the site (issue 10): dates far in the past and future, huge
and non-ASCII-digit numbers and ids, very long text, NUL bytes, line breaks, repeated fields.
Each persona posts them to every form it can reach; the answer is a form error or a refusal,
never an error 500, and a refused value changes nothing.

Two passes per endpoint: every absurd value of a field's kind in each field in turn (the table),
then hypothesis mixing absurd and ordinary values across all fields. The test client runs in
the process and re-raises a view's exception, which is what a 500 would have been.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chapterhouse.chapters.models import (
    Chapter,
    EmailInvitation,
    Invitation,
    JoinRequest,
    VisionRevision,
)
from chapterhouse.coordination.models import Call, CandidateTime, Signup
from chapterhouse.decisions.models import Ballot, GoalProposal, Kind, Option, Participation, Poll
from chapterhouse.followups.models import Conversation
from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.meetings.models import Attendance, GuestAttendance, Meeting, Rsvp
from chapterhouse.members.models import Member
from chapterhouse.notices.kinds import CHOOSABLE
from chapterhouse.notices.models import Preference
from chapterhouse.organizations.models import Organization
from chapterhouse.planner.models import PlanRun, RunStatus
from chapterhouse.resources.models import Resource
from tests.conftest import (
    NEW_YORK,
    VIENNA,
    client_for,
    join,
    make_chapter,
    make_member,
    make_staff,
)

# What a form sends, by kind of field. Each list is what someone could type or forge.
HUGE = [str(2**63), str(10**30)]
NON_ASCII_DIGITS = ["١٢٣", "²"]
TEXT = ["x" * 200_000, "a\x00b", "line\r\nBcc: x@example.org"]
DATES = ["0001-01-01", "9999-12-31", "10000-01-01", "2201-01-01", "٢٠٢٧-٠١-٠١"]
DATETIMES = ["0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01 00:00", "٢٠٢٧-٠١-٠١T١٠:٠٠"]
TIMES = ["24:00", "٢٣:٠٠", "\x00"]
# Absurd values a field of that kind must refuse: afterwards no row was made or removed.
REFUSED = {"text": {"x" * 200_000, "a\x00b"}, "int": set(HUGE), "id": set(HUGE),
           "date": {"0001-01-01", "9999-12-31", "2201-01-01"},
           "datetime": {"0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01 00:00"},
           "time": set(), "choice": set()}

KINDS = {
    "text": TEXT,
    "int": [*HUGE, *NON_ASCII_DIGITS, "-1", "1e999999999"],
    "id": [*HUGE, *NON_ASCII_DIGITS, "-1", "\x00"],
    "date": DATES,
    "datetime": DATETIMES,
    "time": TIMES,
    "choice": ["\x00", "x" * 10_000],
}
EVERY_VALUE = sorted({v for values in KINDS.values() for v in values})
FAR = datetime.datetime(2099, 6, 1, 18, tzinfo=datetime.UTC)


@dataclass
class World:
    people: dict[str, Member]
    ids: dict[str, object]


@dataclass
class Endpoint:
    """A form or action: who posts it, where, an ordinary submission and its fields' kinds.
    `raw` fields are read by the view itself (ids it ignores when malformed): they may change
    rows even when one of them is absurd."""

    name: str
    persona: str
    url: object  # World -> str
    fields: dict[str, str] | object  # or World -> dict
    valid: object  # World -> dict
    method: str = "post"
    raw: frozenset[str] = field(default_factory=frozenset)

    def kinds(self, world: World) -> dict[str, str]:
        return self.fields(world) if callable(self.fields) else self.fields


WATCHED = [Member, Chapter, Invitation, EmailInvitation, JoinRequest, VisionRevision, Meeting,
           Attendance, GuestAttendance, Rsvp, Poll, Option, Participation, Ballot, GoalProposal,
           Call, CandidateTime, Signup, Need, Offer, Resource, PlanRun, Conversation, Preference]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WATCHED}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One organization for the whole module (argon2 makes members slow on purpose), rolled
    back at the end; each test's transaction nests inside."""
    # A fast hasher: the login, sign-up and erase forms check passwords hundreds of times here.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with fast, django_db_blocker.unblock(), transaction.atomic():
        organization = Organization.objects.create(
            name="Test Society", founded_on=datetime.date(2012, 2, 1),
            figures_as_of=datetime.date(2014, 2, 1), demo_clock=True)
        springfield = make_chapter("Springfield", NEW_YORK)
        vienna = make_chapter("Vienna", VIENNA)
        alice = make_member("alice@example.org", "Alice", gender="woman")
        join(springfield, alice)
        springfield.coordinators.add(alice)
        bob = make_member("bob@example.org", "Bob", gender="man")
        join(springfield, bob)
        charlie = make_member("charlie@example.org", "Charlie", VIENNA)
        join(vienna, charlie)
        olivia = make_member("olivia@example.org", "Olivia", willing_to_meet=True)
        staff = make_staff()
        TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
        newcomer = make_staff("sam@example.org", "Sam")  # no authenticator yet
        upcoming = Meeting.objects.create(chapter=springfield, starts_at=FAR, venue="Library")
        past = Meeting.objects.create(chapter=springfield, venue="Library",
                                      starts_at=datetime.datetime(2013, 5, 1, 18,
                                                                  tzinfo=datetime.UTC))
        Attendance.objects.create(meeting=past, member=bob)
        guest = GuestAttendance.objects.create(meeting=past, name="Sam", recorded_by=alice)
        now = organization.clock.now()  # polls open on the organization's clock
        poll = Poll.objects.create(
            organization=organization, title="What shall we do?", kind=Kind.SINGLE,
            level="chapter", chapter=springfield, opens_at=now - datetime.timedelta(hours=1),
            closes_at=now + datetime.timedelta(days=1), created_by=alice)
        options = Option.objects.bulk_create(
            Option(poll=poll, label=label, position=i) for i, label in enumerate("ABC"))
        ranked = Poll.objects.create(
            organization=organization, title="Rank", kind=Kind.RANKED, level="chapter",
            chapter=springfield, opens_at=now - datetime.timedelta(hours=1),
            closes_at=now + datetime.timedelta(days=1), created_by=alice)
        ranked_options = Option.objects.bulk_create(
            Option(poll=ranked, label=label, position=i) for i, label in enumerate("XYZ"))
        call = Call.objects.create(title="Global", organizer=staff, occurrences=3)
        candidate = CandidateTime.objects.create(call=call, starts_at=FAR, proposed_by=staff)
        signup = Signup.objects.create(call=call, member=bob)
        need = Need.objects.create(posted_by=bob, title="Flyers", language="en")
        resource = Resource.objects.create(title="Guide", kind="guide", language="en",
                                           link="https://example.org/guide", added_by=staff)
        request = JoinRequest.objects.create(chapter=springfield, member=olivia)
        invitation = Invitation.objects.create(chapter=springfield, member=olivia,
                                               invited_by=alice,
                                               expires_on=datetime.date(2099, 1, 1))
        group = [make_member(f"g{i}@example.org", f"Group {i}", willing_to_meet=True)
                 for i in range(5)]
        run = PlanRun.objects.create(status=RunStatus.DONE, min_size=5, result={
            "new_chapters": [{"members": [str(m.pk) for m in group], "center": [40.7, -74.0],
                              "size": len(group), "women": 0, "max_travel_km": 0.0,
                              "organizer": None}],
            "assignments": [], "unreached": [], "summary": {}})
        yield World(
            people={"member": bob, "coordinator": alice, "unaffiliated": olivia,
                    "staff": staff, "other": charlie, "staff-enrolling": newcomer},
            ids={"springfield": springfield.slug, "meeting": upcoming.pk, "past": past.pk,
                 "guest": guest.pk, "poll": poll.pk, "options": [o.pk for o in options],
                 "ranked": ranked.pk, "ranked_options": [o.pk for o in ranked_options],
                 "call": call.pk, "candidate": candidate.pk, "signup": signup.pk,
                 "need": need.pk, "resource": resource.pk, "request": request.pk,
                 "invitation": invitation.pk, "run": run.pk, "bob": bob.pk, "alice": alice.pk})
        transaction.set_rollback(True)


def profile_fields(w: World) -> dict:
    return {"display_name": "Ann", "city": "New York", "place": str(NEW_YORK),
            "languages": ["en"], "gender": "", "willing_to_meet": "on"}


PROFILE_KINDS = {"display_name": "text", "city": "text", "place": "id", "languages": "choice",
                 "gender": "choice", "willing_to_meet": "choice"}


def poll_fields(w: World) -> dict:
    return {"title": "Which?", "description": "", "kind": "single", "level": "chapter",
            "region": "", "chapter": str(w.ids["chapter_pk"]), "opens_at": "2098-01-01T10:00",
            "closes_at": "2098-01-08T10:00", "options": "One\nTwo", "seats": "1",
            "max_choices": "1", "max_score": "5", "quorum": "0", "pass_threshold": "50",
            "max_blocks": "0", "results_shown": "after_close"}


ENDPOINTS = [
    Endpoint("sign up", "anonymous", lambda w: reverse("member_signup"),
             {**PROFILE_KINDS, "email": "text", "password1": "text", "password2": "text"},
             lambda w: {**profile_fields(w), "email": "new@example.org",
                        "password1": "Quite long pass 7", "password2": "Quite long pass 7"},
             raw=frozenset({"place"})),
    Endpoint("log in", "anonymous", lambda w: reverse("login"),
             {"username": "text", "password": "text", "next": "text"},
             lambda w: {"username": "bob@example.org", "password": "wrong", "next": "/"}),
    Endpoint("password reset", "anonymous", lambda w: reverse("password_reset"),
             {"email": "text"}, lambda w: {"email": "bob@example.org"}),
    Endpoint("city search", "anonymous", lambda w: reverse("place_search"), {"q": "text"},
             lambda w: {"q": "New"}, method="get"),
    Endpoint("library filter", "anonymous", lambda w: reverse("resources"),
             {"kind": "choice", "language": "choice"}, lambda w: {"kind": "guide"},
             method="get"),
    Endpoint("language", "anonymous", lambda w: reverse("set_language"),
             {"language": "choice", "next": "text"}, lambda w: {"language": "de", "next": "/"}),
    Endpoint("profile", "member", lambda w: reverse("member_profile"), PROFILE_KINDS,
             profile_fields, raw=frozenset({"place"})),
    Endpoint("erase account", "member", lambda w: reverse("member_erase"),
             {"password": "text"}, lambda w: {"password": "wrong"}),
    Endpoint("start a chapter", "unaffiliated", lambda w: reverse("chapter_list"),
             {"name": "text", "description": "text", "radius_km": "int", "invite": "choice"},
             lambda w: {"name": "Queens", "description": "", "radius_km": "25"}),
    Endpoint("ask to join", "unaffiliated",
             lambda w: reverse("chapter_join", args=[w.ids["springfield"]]),
             {"next": "text"}, lambda w: {"next": "list"}, raw=frozenset({"next"})),
    Endpoint("answer invitation", "unaffiliated",
             lambda w: reverse("invitation_respond", args=[w.ids["invitation"]]),
             {"answer": "choice"}, lambda w: {"answer": "decline"}),
    Endpoint("rsvp", "member", lambda w: reverse("meeting_rsvp", args=[w.ids["meeting"]]),
             {"answer": "choice", "next": "text"}, lambda w: {"answer": "yes", "next": "/"},
             raw=frozenset({"next"})),
    Endpoint("help board filter", "member", lambda w: reverse("helpboard"),
             {"region": "choice", "language": "choice"}, lambda w: {"region": "EU"},
             method="get"),
    Endpoint("ask for help", "coordinator", lambda w: reverse("need_create"),
             {"title": "text", "details": "text", "language": "choice", "chapter": "id"},
             lambda w: {"title": "Flyers", "details": "", "language": "en",
                        "chapter": str(w.ids["chapter_pk"])}),
    Endpoint("write to a chapter", "coordinator",
             lambda w: reverse("inbox_write_chapter", args=[w.ids["springfield"]]),
             {"audience": "choice", "subject": "text", "body": "text", "token": "text"},
             lambda w: {"audience": "members", "subject": "Hi", "body": "Hello",
                        "token": "t"}),
    Endpoint("email settings", "member", lambda w: reverse("notices_settings"),
             dict.fromkeys((c.value for c in CHOOSABLE), "choice"),
             lambda w: dict.fromkeys((c.value for c in CHOOSABLE), "daily")),
    Endpoint("offer help", "coordinator",
             lambda w: reverse("need_detail", args=[w.ids["need"]]), {"message": "text"},
             lambda w: {"message": "I can"}),
    Endpoint("vote", "member", lambda w: reverse("ballot_submit", args=[w.ids["poll"]]),
             {"choice": "id", "stance": "choice", "receipt": "text"},
             lambda w: {"choice": str(w.ids["options"][0])}, raw=frozenset({"choice", "receipt"})),
    Endpoint("rank", "member", lambda w: reverse("ballot_submit", args=[w.ids["ranked"]]),
             lambda w: {f"rank_{pk}": "int" for pk in w.ids["ranked_options"]}
             | {"rank_99999999999999999999": "int", "rank_١": "int"},
             lambda w: {f"rank_{pk}": str(i + 1)
                        for i, pk in enumerate(w.ids["ranked_options"])}),
    Endpoint("propose a plan", "member", lambda w: reverse("endorsement_new"),
             {"chapter": "id", "hours_per_week": "int", "months": "int", "starts_on": "date",
              "reach_km": "int", "target_areas": "text"},
             lambda w: {"chapter": str(w.ids["chapter_pk"]), "hours_per_week": "10",
                        "months": "3", "starts_on": "2098-01-01", "reach_km": "100",
                        "target_areas": "Queens"}),
    Endpoint("local vision", "coordinator",
             lambda w: reverse("chapter_vision_edit", args=[w.ids["springfield"]]),
             {"text": "text"}, lambda w: {"text": "Our vision"}),
    Endpoint("answer join request", "coordinator",
             lambda w: reverse("join_request_answer", args=[w.ids["springfield"],
                                                            w.ids["request"]]),
             {"answer": "choice"}, lambda w: {"answer": "decline"}),
    Endpoint("propose a split", "coordinator",
             lambda w: reverse("split_new", args=[w.ids["springfield"]]),
             {"parts": "text", "days": "int", "source": "choice"},
             lambda w: {"parts": "North: Holyoke\nSouth: Springfield", "days": "7",
                        "source": "typed"}),
    Endpoint("schedule", "coordinator",
             lambda w: reverse("meeting_schedule", args=[w.ids["springfield"]]),
             {"title": "text", "first_day": "date", "start_time": "time",
              "duration_minutes": "int", "venue": "text", "repeat": "choice",
              "occurrences": "int"},
             lambda w: {"title": "Monthly", "first_day": "2098-01-13", "start_time": "18:30",
                        "duration_minutes": "120", "venue": "Library", "repeat": "monthly",
                        "occurrences": "3"}),
    Endpoint("change a meeting", "coordinator",
             lambda w: reverse("meeting_edit", args=[w.ids["meeting"]]),
             {"title": "text", "day": "date", "start_time": "time", "duration_minutes": "int",
              "venue": "text", "description": "text"},
             lambda w: {"title": "Monthly", "day": "2099-06-01", "start_time": "14:00",
                        "duration_minutes": "90", "venue": "Library", "description": ""}),
    Endpoint("cancel a meeting", "coordinator",
             lambda w: reverse("meeting_cancel", args=[w.ids["meeting"]]), {"note": "text"},
             lambda w: {"note": "Closed"}),
    Endpoint("end a series", "coordinator",
             lambda w: reverse("meeting_series_end", args=[w.ids["meeting"]]),
             {"from_day": "date"}, lambda w: {"from_day": "2098-01-01"}),
    Endpoint("ask to coordinate", "coordinator",
             lambda w: reverse("coordinator_offer_create", args=[w.ids["springfield"]]),
             {"member": "id", "handover": "choice"},
             lambda w: {"member": str(w.ids["bob"]), "handover": "0"}, raw=frozenset({"member"})),
    Endpoint("attendance", "coordinator",
             lambda w: reverse("meeting_attendance_edit", args=[w.ids["past"]]),
             {"present": "id", "guest": "id", "guest_name": "text", "guest_counts": "choice",
              "invite_email": "text"},
             lambda w: {"present": [str(w.ids["bob"])], "guest": [str(w.ids["guest"])],
                        "guest_name": "", "invite_email": ""},
             raw=frozenset({"present", "guest"})),
    # The poll form checks only the fields of the kind chosen (and a coordinator has no
    # region to choose): each kind's own fields are fuzzed with that kind.
    Endpoint("create a poll", "coordinator", lambda w: reverse("poll_create"),
             {"title": "text", "description": "text", "kind": "choice", "level": "choice",
              "chapter": "id", "opens_at": "datetime", "closes_at": "datetime",
              "options": "text", "seats": "int", "quorum": "int", "results_shown": "choice"},
             poll_fields),
    Endpoint("create a multiple-choice poll", "coordinator",
             lambda w: reverse("poll_create") + "?kind=multiple", {"max_choices": "int"},
             lambda w: {**poll_fields(w), "kind": "multiple"}),
    Endpoint("create a score poll", "coordinator",
             lambda w: reverse("poll_create") + "?kind=score", {"max_score": "int"},
             lambda w: {**poll_fields(w), "kind": "score"}),
    Endpoint("create a proposal", "coordinator",
             lambda w: reverse("poll_create") + "?kind=proposal",
             {"pass_threshold": "int", "max_blocks": "int"},
             lambda w: {**poll_fields(w), "kind": "proposal", "options": ""}),
    Endpoint("withdraw a poll", "coordinator",
             lambda w: reverse("poll_withdraw", args=[w.ids["poll"]]), {"reason": "text"},
             lambda w: {"reason": ""}),
    Endpoint("put goals", "staff", lambda w: reverse("goal_proposal_new"),
             {"title": "text", "description": "text", "target_members": "int",
              "target_chapters": "int", "target_continents": "int",
              "target_women_share": "int", "deadline": "date", "opens_at": "datetime",
              "closes_at": "datetime", "quorum": "int", "pass_threshold": "int"},
             lambda w: {"title": "Goals", "description": "", "target_members": "1000",
                        "target_chapters": "10", "target_continents": "3",
                        "target_women_share": "40", "deadline": "2099-01-01",
                        "opens_at": "2098-01-01T10:00", "closes_at": "2098-01-08T10:00",
                        "quorum": "10", "pass_threshold": "50"}),
    Endpoint("create a call", "staff", lambda w: reverse("call_create"),
             {"title": "text", "description": "text", "scope": "choice", "continent": "choice",
              "occurrences": "int", "duration_minutes": "int", "link": "text"},
             lambda w: {"title": "Call", "description": "", "scope": "organization",
                        "occurrences": "2", "duration_minutes": "60",
                        "link": "https://example.org/call"}),
    Endpoint("propose a call time", "staff",
             lambda w: reverse("call_candidate_add", args=[w.ids["call"]]),
             {"day": "date", "time": "time"}, lambda w: {"day": "2098-03-03", "time": "15:00"}),
    Endpoint("call notes", "staff", lambda w: reverse("call_notes", args=[w.ids["call"]]),
             {"notes": "text"}, lambda w: {"notes": "Agenda"}),
    Endpoint("plan", "staff", lambda w: reverse("plan_run_create"),
             {"radius_km": "int", "min_size": "int"},
             lambda w: {"radius_km": "0", "min_size": "5"}),
    Endpoint("planner candidates filter", "staff", lambda w: reverse("planner"),
             {"country": "choice", "min_size": "int", "organizer": "choice", "sort": "choice",
              "page": "int"},
             lambda w: {"country": "US", "min_size": "5", "sort": "-size", "page": "2"},
             method="get"),
    Endpoint("planner map", "staff", lambda w: reverse("planner_map"),
             {"bbox": "text", "zoom": "int", "run": "id"},
             lambda w: {"bbox": "40,-75,45,-70", "zoom": "6"}, method="get"),
    Endpoint("add a resource", "staff", lambda w: reverse("resource_add"),
             {"title": "text", "description": "text", "kind": "choice", "language": "choice",
              "link": "text"},
             lambda w: {"title": "Flyer", "description": "", "kind": "guide", "language": "en",
                        "link": "https://example.org/flyer"}),
    Endpoint("second factor", "staff-unverified", lambda w: reverse("staff_verify"),
             {"code": "text", "next": "text"}, lambda w: {"code": "123456", "next": "/"}),
    Endpoint("set up the second factor", "staff-enrolling", lambda w: reverse("staff_enrol"),
             {"code": "text", "next": "text"}, lambda w: {"code": "123456", "next": "/"}),
    Endpoint("answer an emailed invitation", "member",
             lambda w: reverse("email_invitation", args=["not-a-token"]),
             {"answer": "choice"}, lambda w: {"answer": "accept"}),
    Endpoint("organizers may see my email", "member",
             lambda w: reverse("member_email_consent"), {"email_visible_to_organizers": "choice"},
             lambda w: {"email_visible_to_organizers": "on"}),
    Endpoint("log a conversation", "coordinator",
             lambda w: reverse("followups_person", args=[w.ids["springfield"], w.ids["bob"]]),
             {"occurred_on": "date", "kind": "choice", "notes": "text"},
             lambda w: {"occurred_on": "2014-01-31", "kind": "one_to_one", "notes": "Hi"}),
    Endpoint("confirm an email", "anonymous",
             lambda w: reverse("member_confirm", args=["x" * 2000]), {}, lambda w: {}),
    # Issue 14, item 4: the convention's settings and a session's motion (staff).
    Endpoint("convention settings", "staff", lambda w: reverse("convention"),
             {"seats": "int", "floor": "int", "method": "choice", "weighting": "choice",
              "women_percent": "int", "quorum_percent": "int"},
             lambda w: {"seats": "20", "floor": "1", "method": "webster", "weighting": "equal",
                        "women_percent": "30", "quorum_percent": "50"}),
    Endpoint("hold a delegate election", "coordinator",
             lambda w: reverse("convention_election_new", args=[w.ids["springfield"]]),
             {"candidates": "id", "women": "id", "days": "int"},
             lambda w: {"candidates": [str(w.ids["bob"]), str(w.ids["alice"])],
                        "women": [str(w.ids["alice"])], "days": "7"},
             raw=frozenset({"candidates", "women"})),
    Endpoint("open a convention session", "staff", lambda w: reverse("convention_session_new"),
             {"title": "text"}, lambda w: {"title": "Adopt the statutes"}),
]


def client_as(world: World, persona: str) -> Client:
    client = Client()
    if persona == "anonymous":
        return client
    if persona in ("staff-unverified", "staff-enrolling"):  # logged in, before the code
        client.force_login(world.people["staff" if persona == "staff-unverified" else persona])
        return client
    return client_for(client, world.people[persona])


def send(client: Client, endpoint: Endpoint, url: str, data: dict):
    if endpoint.method == "get":
        return client.get(url, data)
    return client.post(url, data)


@pytest.fixture
def ready(world, db):
    world.ids["chapter_pk"] = Chapter.objects.get(slug=world.ids["springfield"]).pk
    return world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_every_absurd_value_in_each_field_is_refused_without_an_error(ready, endpoint):
    client = client_as(ready, endpoint.persona)
    url = endpoint.url(ready)
    failures = []
    for name, kind in endpoint.kinds(ready).items():
        for value in [*KINDS[kind], [KINDS[kind][0], "1"]]:
            data = {**endpoint.valid(ready), name: value}
            before = row_counts()
            sid = transaction.savepoint()
            try:
                response = send(client, endpoint, url, data)
            except Exception as error:  # a 500 in production
                failures.append(f"{name}={value!r:.40}: {type(error).__name__}: {error!s:.200}")
                transaction.savepoint_rollback(sid)
                continue
            assert response.status_code < 500, (name, value)
            if (isinstance(value, str) and value in REFUSED[kind]
                    and name not in endpoint.raw and endpoint.method == "post"):
                assert row_counts() == before, f"{name}={value!r:.40} changed rows"
            transaction.savepoint_rollback(sid)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_absurd_values_mixed_across_fields_never_give_an_error(ready, endpoint):
    client = client_as(ready, endpoint.persona)
    url = endpoint.url(ready)
    valid = endpoint.valid(ready)
    strategies = {name: st.one_of(st.sampled_from(KINDS[kind] + EVERY_VALUE[::7]),
                                  st.just(valid.get(name, "")), st.text(max_size=30))
                  for name, kind in endpoint.kinds(ready).items()}

    @settings(max_examples=5, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries(strategies))
    def post(data):
        sid = transaction.savepoint()
        try:
            response = send(client, endpoint, url, {**valid, **data})
            assert response.status_code < 500
        finally:
            transaction.savepoint_rollback(sid)

    post()


# Every address with an id in it -------------------------------------------------------------

def id_patterns() -> list[tuple[str, list[str]]]:
    """(name, its int parameters) for every named URL of the site with an int in its path."""
    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name != "admin":
                    walk(p.url_patterns, prefix)
            elif isinstance(p, URLPattern) and p.name:
                ints = [k for k, conv in p.pattern.converters.items()
                        if type(conv).__name__ == "IntConverter"]
                if ints:
                    found.append((p.name, ints))

    walk(get_resolver().url_patterns)
    return found


BAD_IDS = [str(2**63), str(10**30), "١٢٣", "１２３", "²"]


@pytest.mark.parametrize(("name", "params"), id_patterns(), ids=lambda v: str(v))
@pytest.mark.parametrize("persona", ["anonymous", "staff"])  # staff reach every lookup
def test_an_absurd_id_in_an_address_is_not_found(ready, name, params, persona):
    client = client_as(ready, persona)
    template = reverse(name, kwargs={
        k: (ready.ids["springfield"] if k == "slug" else 12345)
        for k in [*params, *(["slug"] if "slug" in _pattern_keys(name) else [])]})
    for bad in BAD_IDS:
        url = template.replace("12345", bad)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 400, 404, 405), (url, response.status_code)


def _pattern_keys(name: str) -> set[str]:
    for pattern in get_resolver().reverse_dict.getlist(name):
        return set(pattern[0][0][1])
    return set()


# Values stored long ago or by the admin still show ------------------------------------------

@pytest.mark.parametrize("starts_at", [
    datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC),
    datetime.datetime(1, 1, 1, 0, 30, tzinfo=datetime.UTC)])
def test_a_meeting_at_the_ends_of_time_still_shows_everywhere(ready, starts_at):
    meeting = Meeting.objects.create(chapter=Chapter.objects.get(slug=ready.ids["springfield"]),
                                     starts_at=starts_at, duration_minutes=600, venue="Hall")
    alice = client_as(ready, "coordinator")
    pages = [reverse("meeting_detail", args=[meeting.pk]), reverse("my_meetings"),
             reverse("chapter_meetings", args=[ready.ids["springfield"]]),
             reverse("chapter_detail", args=[ready.ids["springfield"]]),
             reverse("meeting_attendance_edit", args=[meeting.pk]),
             reverse("meeting_attendance", args=[ready.ids["springfield"], meeting.pk]),
             reverse("dashboard")]
    for page in pages:
        assert alice.get(page).status_code == 200, page
    feed_url = alice.get(reverse("my_meetings")).context["feed_url"]
    feed = Client().get(feed_url.replace("http://testserver", ""))
    assert feed.status_code == 200
    assert b"BEGIN:VEVENT" in feed.content


@pytest.mark.parametrize("at", [datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC),
                                datetime.datetime(1, 1, 1, 0, 30, tzinfo=datetime.UTC)])
def test_a_call_time_and_a_poll_at_the_ends_of_time_still_show(ready, at):
    CandidateTime.objects.create(call_id=ready.ids["call"], starts_at=at)
    Poll.objects.filter(pk=ready.ids["poll"]).update(
        opens_at=min(at, timezone.now()), closes_at=max(at, timezone.now()))
    for persona in ("staff", "member", "coordinator"):
        client = client_as(ready, persona)
        for page in (reverse("calls"), reverse("call_detail", args=[ready.ids["call"]]),
                     reverse("polls"), reverse("poll_detail", args=[ready.ids["poll"]])):
            assert client.get(page).status_code == 200, (persona, page)


# Pages that read nothing from the request but their address (tested above when it holds an
# id) and the session: no field to fuzz.
NO_FIELDS = {"dashboard", "chapter_detail", "chapter_join_requests", "chapter_invite_nearby",
             "invitations", "polls", "calls", "my_meetings", "my_feed_regenerate",
             "chapter_meetings", "chapter_feed_regenerate", "meeting_feed", "planner",
             "member_signup_done", "member_data_download", "logout", "password_reset_done",
             "password_reset_complete", "password_reset_confirm", "healthz",
             # Django's SetPasswordForm behind a uid/token address, like password_reset_confirm.
             "member_invitation_accept",
             # Issue 13: a signed token in the address and one button (absurd tokens:
             # test_an_absurd_unsubscribe_token_changes_nothing below).
             "notices_unsubscribe",
             # Issue 13 (item 7): a button each, for the actor's own membership or role.
             "chapter_leave", "chapter_coordinators", "coordinator_step_down",
             # Issue 13 (item 7): my conversations (only a page number).
             "inbox",
             # Issue 13 (item 2): a chapter's follow-ups, and the viewer's own.
             "followups_mine", "followups_chapter",
             # Issue 13 (item 1): the workspace; its filters fall back to "all"
             # (tests/organizing/test_workspace.py).
             "organizing", "organizing_all",
             # Issue 13 (item 5): the affiliations' list (its forms are on their own pages).
             "affiliation_list",
             # Issue 14 (item 3): the maps' JSON reads no input (a chapter's slug at most).
             "map_dashboard", "map_near", "map_chapter",
             # Issue 14 (items 1, 6): the history's charts and the public progress page and
             # image read no input.
             "history", "progress", "progress_svg"}


def test_every_form_of_the_site_is_fuzzed(ready):
    """A new page with a form must join ENDPOINTS (or NO_FIELDS, if it reads no input)."""
    fuzzed = {resolve(e.url(ready).split("?")[0]).url_name for e in ENDPOINTS}
    with_ids = {name for name, _params in id_patterns()}
    named = set()

    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name != "admin":
                    walk(p.url_patterns)
            elif p.name:
                named.add(p.name)

    walk(get_resolver().url_patterns)
    assert named - fuzzed - with_ids - NO_FIELDS == set()


# What a person sees ---------------------------------------------------------------------------

def test_a_meeting_in_the_year_9999_is_refused_with_a_clear_message(ready):
    alice = client_as(ready, "coordinator")
    response = alice.post(reverse("meeting_schedule", args=[ready.ids["springfield"]]), {
        "first_day": "9999-12-31", "start_time": "23:30", "duration_minutes": "120",
        "repeat": "monthly", "occurrences": "3"})
    assert "Enter a date between the years 1900 and 2200." in response.text
    assert Meeting.objects.count() == 2


def test_a_poll_opening_in_the_year_1_is_refused_with_a_clear_message(ready):
    alice = client_as(ready, "coordinator")
    response = alice.post(reverse("poll_create"), {
        **poll_fields(ready), "opens_at": "0001-01-01T00:00"})
    assert "Enter a date between the years 1900 and 2200." in response.text
    assert Poll.objects.count() == 2


def test_a_vote_for_an_option_written_in_other_digits_is_refused(ready):
    """int("١") is 1 to Python: a ballot naming option "١" must not count as option 1."""
    bob = client_as(ready, "member")
    arabic = str(ready.ids["options"][0]).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = bob.post(reverse("ballot_submit", args=[ready.ids["poll"]]), {"choice": arabic},
                        follow=True)
    assert "That is not an option of this poll." in response.text
    assert not Participation.objects.exists()


def test_a_withdrawal_reason_with_a_nul_byte_is_refused(ready):
    alice = client_as(ready, "coordinator")
    response = alice.post(reverse("poll_withdraw", args=[ready.ids["poll"]]),
                          {"reason": "Wrong\x00options"}, follow=True)
    assert "Null characters are not allowed." in response.text
    assert not Poll.objects.get(pk=ready.ids["poll"]).is_withdrawn


@pytest.mark.parametrize("token", ["", "x" * 200_000, "١٢٣:abc", "\x00", "W1sxLCJhbGwiXV0:forged",
                                   "%00", "../../admin"])
def test_an_absurd_unsubscribe_token_changes_nothing(ready, token):
    import base64
    import json
    from urllib.parse import quote

    from chapterhouse.notices.tokens import unsubscribe_token

    good = unsubscribe_token(ready.ids["bob"], "all")
    before = row_counts()
    payload, signature = good.split(":", 1)
    alices = base64.urlsafe_b64encode(
        json.dumps([ready.ids["alice"], "all"], separators=(",", ":")).encode()).decode()
    assert alices.rstrip("=") != payload
    for bad in (token, good[:-2] + "xx", alices.rstrip("=") + ":" + signature):
        if not bad:
            continue
        url = reverse("notices_unsubscribe", args=["T"]).replace("T", quote(bad, safe=""))
        for method in (Client().get, Client().post):
            assert method(url).status_code in (400, 404), (bad[:40], method)
    assert row_counts() == before
