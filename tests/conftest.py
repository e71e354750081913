"""Shared fixtures: the personas of STYLE.md, and the demo organization.

Personas (in one small organization):
- alice: coordinator of Springfield (New York City), also a member of it
- bob: member of Springfield
- charlie: member of Vienna (another chapter)
- olivia: a member in no chapter (unaffiliated)
- anonymous visitors use the plain `client`.
"""

from __future__ import annotations

import datetime
import functools
import importlib
import os

import pytest
from django.contrib.auth.hashers import get_hasher, make_password
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import transaction
from django.test import override_settings

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.members.models import Member, recorded_on
from chapterhouse.organizations.models import Organization
from chapterhouse.places.models import Place

NEW_YORK = 5128581
VIENNA = 2761369
PASSWORD = "correct horse battery staple"
FAST_PASSWORD_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, as the site's is, not Django's shared in-memory
    database: threads with their own connections (tests/concurrency/, live_server) then meet
    WAL, busy timeouts and IMMEDIATE transactions as server processes do. Each session gets its
    own directory, so suites running side by side never share a file."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("database") / "test.sqlite3")


def site_password_hashers() -> list[str]:
    """PASSWORD_HASHERS as the site's settings module sets them (Argon2 first)."""
    return list(importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"]).PASSWORD_HASHERS)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Tests hash with MD5: Argon2 is slow on purpose (about 0.1 s and 100 MB a hash), and
    sign-ups, logins and demo personas across the suite spent minutes on it. The site's
    hashers stay listed after it, so an Argon2 hash still checks. Tests of the hashing itself
    are marked `argon2` (or use `password_hashing`) and get the site's hashers back."""
    with override_settings(PASSWORD_HASHERS=[FAST_PASSWORD_HASHER, *site_password_hashers()]):
        yield


@pytest.fixture(autouse=True)
def argon2_when_marked(request):
    """The site's own hashers (Argon2) for tests marked `argon2` or counting the hasher's work
    with `password_hashing` (tests/members/conftest.py). Autouse, so it runs before the
    fixtures that make members and their password hashes."""
    if (request.node.get_closest_marker("argon2") is None
            and "password_hashing" not in request.fixturenames):
        return
    request.getfixturevalue("settings").PASSWORD_HASHERS = site_password_hashers()


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request in another language (a German
    cookie, an Arabic header) leaves it active in the thread after the response, and labels
    built outside a request (a place's country, an email) would follow it into the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def fresh_rate_limits(request, django_db_blocker):
    """Rate-limit counters live in the cache (issue 9). The database cache's rows go with each
    test's rolled-back transaction; transactional tests (the browser's) and any other cache
    (Redis, with REDIS_URL) are cleared after the test."""
    yield
    if not isinstance(caches["default"], DatabaseCache):
        cache.clear()
        return
    marker = request.node.get_closest_marker("django_db")
    if ((marker and marker.kwargs.get("transaction"))
            or {"transactional_db", "live_server"} & set(request.fixturenames)):
        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture(autouse=True)
def outbox_sent_on_commit(monkeypatch):
    """Email goes through the outbox (chapterhouse/outbox): queued in the transaction, sent by
    the worker's task after the commit. Here that task runs at once, in the test's process, so
    `mail.outbox` fills when the on-commit callbacks run, as a member's inbox would after the
    worker's next turn. tests/outbox tests the queue and the worker themselves."""
    from chapterhouse.outbox import services

    def deliver_now(run_after=None) -> None:
        if run_after is None:  # a deferred retry waits for a test to call outbox_deliver_due
            services.outbox_deliver_due()

    monkeypatch.setattr(services, "delivery_enqueue", deliver_now)


@pytest.fixture
def organization(db) -> Organization:
    return Organization.objects.create(
        name="Test Society", founded_on=datetime.date(2012, 2, 1),
        figures_as_of=datetime.date(2014, 2, 1), demo_clock=True,
    )


def password_hash() -> str:
    """PASSWORD hashed once per hasher in use (the fast one, or Argon2 in tests marked
    `argon2`): hashing it again for every persona of every test cost minutes of `make test`.
    Logging in with PASSWORD still runs the hasher's real check."""
    return _password_hash(get_hasher().algorithm)


@functools.cache
def _password_hash(algorithm: str) -> str:
    return make_password(PASSWORD, hasher=algorithm)


def make_member(email: str, name: str, place_id: int | None = NEW_YORK, **fields) -> Member:
    place = Place.objects.from_gazetteer(place_id) if place_id else None
    fields.setdefault("joined_on", datetime.date(2012, 3, 1))
    fields.setdefault("created_at", recorded_on(fields["joined_on"]))  # history, not "now"
    member = Member.objects.create_user(email, None, display_name=name, place=place, **fields)
    member.password = password_hash()
    Member.objects.filter(pk=member.pk).update(password=member.password)
    return member


def make_chapter(name: str, place_id: int, **fields) -> Chapter:
    fields.setdefault("founded_on", datetime.date(2012, 6, 1))
    return Chapter.objects.create(name=name, place=Place.objects.from_gazetteer(place_id),
                                  **fields)


def join(chapter: Chapter, member: Member, on: datetime.date = datetime.date(2012, 6, 1),
         left_on: datetime.date | None = None) -> ChapterMembership:
    return ChapterMembership.objects.create(chapter=chapter, member=member, joined_on=on,
                                            left_on=left_on, created_at=recorded_on(on))


@pytest.fixture
def springfield(organization) -> Chapter:
    return make_chapter("Springfield", NEW_YORK)


@pytest.fixture
def vienna(organization) -> Chapter:
    return make_chapter("Vienna", VIENNA)


@pytest.fixture
def alice(springfield) -> Member:
    member = make_member("alice@example.org", "Alice", gender="woman")
    join(springfield, member)
    springfield.coordinators.add(member)
    return member


@pytest.fixture
def bob(springfield) -> Member:
    member = make_member("bob@example.org", "Bob", gender="man")
    join(springfield, member)
    return member


@pytest.fixture
def charlie(vienna) -> Member:
    member = make_member("charlie@example.org", "Charlie", VIENNA, gender="man")
    join(vienna, member)
    return member


@pytest.fixture
def olivia(organization) -> Member:
    return make_member("olivia@example.org", "Olivia", gender="woman")


def client_for(client, member: Member):
    """`client` logged in as `member`; staff also past the second factor (issue 9), as after
    typing their authenticator's code at /login/verify/. Use this, not `force_login`, for
    staff: a staff session without a verified code is sent to /login/verify/ everywhere."""
    client.force_login(member)
    if member.is_staff or member.is_superuser:
        verify_second_factor(client, member)
    return client


def verify_second_factor(client, member: Member) -> None:
    """Mark `client`'s session as verified with one of `member`'s authenticators (made if
    they have none), as django_otp.login does after a right code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = (TOTPDevice.objects.filter(user=member, confirmed=True).first()
              or TOTPDevice.objects.create(user=member, name="test", confirmed=True))
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class SharedDemo:
    """The generated demo organization, built at most once per session inside a transaction
    that is rolled back when the last test using it is done (see `demo`)."""

    current: SharedDemo | None = None

    def __init__(self, blocker) -> None:
        self.blocker = blocker
        self.atomic: transaction.Atomic | None = None
        self.result = None

    def open(self):
        if self.atomic is None:
            from chapterhouse.demo.seeding import DemoSpec, generate_demo

            with self.blocker.unblock():
                self.atomic = transaction.atomic()
                self.atomic.__enter__()
                self.result = generate_demo(DemoSpec())
                # What the seeding booked for its commit (the outbox's delivery of the emails
                # it queued) never runs: the demo is rolled back, never committed. Dropped, so
                # that a test's own commit books its delivery afresh (outbox.services reuses a
                # callback still waiting in the connection).
                transaction.get_connection().run_on_commit.clear()
        return self.result

    def close(self) -> None:
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = self.result = None


@pytest.fixture(scope="session")
def shared_demo(django_db_setup, django_db_blocker):
    SharedDemo.current = SharedDemo(django_db_blocker)
    yield SharedDemo.current
    SharedDemo.current.close()
    SharedDemo.current = None


@pytest.fixture(scope="module")
def demo(shared_demo, django_db_blocker):
    """The generated demo organization (3,443 members): built once for all the tests that use
    it, which run first and one after another (pytest_collection_modifyitems), and rolled back
    after the last of them. Whatever a module adds to it is rolled back at the module's end
    (a savepoint), as a test's own writes are at the test's end.

    Tests that use it also request `db`; their transactions nest inside these. A transactional
    test (transactional_db, live_server) cannot use it: see tests/browser's `demo_site`.
    """
    result = shared_demo.open()
    with django_db_blocker.unblock(), transaction.atomic():
        yield result
        transaction.set_rollback(True)


def uses_shared_demo(item: pytest.Item) -> bool:
    if "demo" not in getattr(item, "fixturenames", ()):
        return False
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction")
                                            or marker.kwargs.get("reset_sequences"))
    return not (transactional or {"transactional_db", "live_server"} & set(item.fixturenames))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only", action="store_true",
        help="run only the tests that use the test database (make test's SQLite run: the "
             "others cannot reach it, and its PostgreSQL run runs them)")


def uses_test_database(item: pytest.Item) -> bool:
    return (item.get_closest_marker("django_db") is not None
            or bool({"db", "transactional_db", "live_server", "django_db_setup"}
                    & set(getattr(item, "fixturenames", ()))))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests that read the demo organization first and together, so it is built once
    (after pytest-django's own ordering; the sort is stable). With --database-tests-only,
    the tests that never touch the test database are left out."""
    if config.getoption("database_tests_only"):
        skipped = [item for item in items if not uses_test_database(item)]
        items[:] = [item for item in items if uses_test_database(item)]
        config.hook.pytest_deselected(items=skipped)
    items.sort(key=lambda item: not uses_shared_demo(item))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After the last test that uses the demo organization (and its module's teardown), roll
    it back, so the tests after it start from an empty database as they expect."""
    yield
    if SharedDemo.current is not None and (nextitem is None or "demo" not in nextitem.fixturenames):
        SharedDemo.current.close()


def make_meeting(chapter: Chapter, starts_at: datetime.datetime, attendees=()):
    from chapterhouse.meetings.models import Attendance, Meeting
    from chapterhouse.meetings.months import chapter_months_refresh

    meeting = Meeting.objects.create(chapter=chapter, starts_at=starts_at, venue="Library")
    Attendance.objects.bulk_create(Attendance(meeting=meeting, member=m) for m in attendees)
    chapter_months_refresh([chapter.pk])  # bulk_create sends no signal
    return meeting


# Roles (issue 9, "roles"; see chapterhouse/domain/roles.py) ---------------------------------


def make_staff(email: str = "stella@example.org", name: str = "Stella") -> Member:
    return make_member(email, name, is_staff=True)


def login_staff(client, member: Member):
    """A staff member logged in and past the second factor (see client_for)."""
    return client_for(client, member)


@pytest.fixture
def staff(organization) -> Member:
    return make_staff()


@pytest.fixture
def staff_client(client, staff):
    return login_staff(client, staff)


def make_organizer(member: Member, endorsed_by: Chapter | None = None):
    """An active organizer, as staff appoint one in the admin (or a chapter's vote endorses)."""
    from decimal import Decimal

    from chapterhouse.organizing.models import Organizer

    return Organizer.objects.create(
        member=member, place=member.place, hours_per_week=Decimal("10"),
        starts_on=datetime.date(2014, 2, 1), months=Decimal("4"), endorsed_by=endorsed_by)


def make_qualifying(chapter: Chapter, on: datetime.date = datetime.date(2014, 2, 1)) -> None:
    """Meetings that make the chapter qualify on `on` under the default rule: in each of the
    three months before, 5 attendees of whom 2 are women (extra members, no passwords)."""
    from chapterhouse.meetings.models import Attendance, Meeting
    from chapterhouse.meetings.months import chapter_months_refresh

    people = [Member.objects.create(email=f"{chapter.slug or chapter.pk}-q{i}@example.org",
                                    display_name=f"Regular {i}", place=chapter.place,
                                    gender="woman" if i < 2 else "man",
                                    joined_on=datetime.date(2012, 3, 1)) for i in range(5)]
    for person in people:
        join(chapter, person, on=datetime.date(2012, 6, 1))
    month = on.replace(day=1)
    for _ in range(3):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        meeting = Meeting.objects.create(
            chapter=chapter, venue="Library",
            starts_at=datetime.datetime.combine(month.replace(day=10), datetime.time(18),
                                                tzinfo=datetime.UTC))
        Attendance.objects.bulk_create(Attendance(meeting=meeting, member=p) for p in people)
    chapter_months_refresh([chapter.pk])  # bulk_create sends no signal


def run_queued_tasks() -> None:
    """The real database worker, in this process, until the queue is empty (see tests/jobs)."""
    import io
    from unittest import mock

    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    with mock.patch.object(db_worker, "close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0",
                     stdout=io.StringIO())


def dashboard_current(client, url: str = "/"):
    """The dashboard with current figures: if it served the last ones while a background
    task recomputes them (goals/snapshot.py), that task run, and the page asked again."""
    from django.urls import reverse

    url = reverse("dashboard") if url == "/" else url
    response = client.get(url)
    if response.context is not None and response.context.get("figures_stale"):
        run_queued_tasks()
        response = client.get(url)
        assert not response.context["figures_stale"]
    return response


@pytest.fixture
def polls_at_once():
    """Poll notices sent immediately (their default is the daily digest, issue 13), for tests
    of the notices themselves (its own patch: a test's monkeypatch.undo() keeps it)."""
    from chapterhouse.notices.kinds import DEFAULTS, Category, Frequency

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(DEFAULTS, Category.POLLS, Frequency.IMMEDIATELY)
        yield
