"""Twenty members write at the same moment: nothing fails and nothing is lost (issue 10).

Each writer is a thread with its own test client and its own database connection, released
together by a barrier, posting to the site's own views (middleware, sessions, rate limits and
django-axes included). Transactional tests, so each thread sees committed data as a server
process would; on SQLite the test database is a file (tests/conftest.py), as the site's is.
The suite runs on SQLite and PostgreSQL alike.

Rate limits are not switched off: the twenty sign-ups come from one network, as a meeting
signing up together on one Wi-Fi would, within its limit of 30 an hour.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from chapterhouse.decisions.models import Ballot, Participation
from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.meetings.models import Meeting, Rsvp
from chapterhouse.members.models import Member
from tests.conftest import PASSWORD, make_member
from tests.decisions.conftest import make_poll, option_ids, quick_member

pytestmark = pytest.mark.django_db(transaction=True)
WRITERS = 20
NETWORK = "203.0.113.{}"  # one /24: the sign-ups share their network's hourly limit


def at_once(work: Callable[[int], int]) -> list[str]:
    """Run work(0) ... work(WRITERS - 1) in threads released together; each returns the HTTP
    status it got. The errors: every status that is not a redirect, and every exception."""
    barrier = threading.Barrier(WRITERS)
    errors: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait()
            status = work(i)
            problem = "" if status == 302 else f"writer {i}: HTTP {status}"
        except Exception as error:  # a 500 raises here: the test reports it
            problem = f"writer {i}: {error!r}"
        finally:
            connections.close_all()  # each thread's own connection
        if problem:
            with lock:
                errors.append(problem)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return errors


def logged_in(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def crowd(chapter, count: int = WRITERS) -> list[Member]:
    return [quick_member(f"writer{i}@example.org", f"Writer {i}", chapter) for i in range(count)]


def test_twenty_sign_ups_at_once_make_twenty_accounts(organization, mailoutbox):
    def sign_up(i: int) -> int:
        response = Client().post(reverse("member_signup"), {
            "display_name": f"Newcomer {i}", "email": f"newcomer{i}@example.org",
            "password1": PASSWORD, "password2": PASSWORD, "city": "Sao Paulo", "place": "",
            "languages": ["pt-br"], "gender": "woman", "willing_to_meet": "on",
        }, REMOTE_ADDR=NETWORK.format(10 + i))
        return response.status_code

    assert at_once(sign_up) == [], connection.vendor
    emails = {f"newcomer{i}@example.org" for i in range(WRITERS)}
    assert set(Member.objects.filter(email__in=emails).values_list("email", flat=True)) == emails
    assert sorted(m.to[0] for m in mailoutbox) == sorted(emails)  # one confirmation each


def test_twenty_logins_at_once_all_succeed(organization):
    members = [make_member(f"writer{i}@example.org", f"Writer {i}") for i in range(WRITERS)]

    def log_in(i: int) -> int:
        response = Client().post(reverse("login"), {"username": members[i].email,
                                                    "password": PASSWORD},
                                 REMOTE_ADDR=NETWORK.format(10 + i))
        return response.status_code

    assert at_once(log_in) == [], connection.vendor
    assert Member.objects.filter(pk__in=[m.pk for m in members],
                                 last_login__isnull=False).count() == WRITERS
    assert Session.objects.count() == WRITERS


def test_twenty_rsvps_at_once_are_all_saved(organization, springfield):
    members = crowd(springfield)
    meeting = Meeting.objects.create(
        chapter=springfield, starts_at=datetime.datetime(2014, 2, 10, 18, tzinfo=datetime.UTC))
    clients = [logged_in(m) for m in members]

    def answer(i: int) -> int:
        return clients[i].post(reverse("meeting_rsvp", args=[meeting.pk]),
                               {"answer": "yes"}).status_code

    assert at_once(answer) == [], connection.vendor
    assert Rsvp.objects.filter(meeting=meeting, answer="yes").count() == WRITERS


@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
def test_twenty_votes_at_once_are_all_counted(organization, springfield, secret):
    members = crowd(springfield)
    poll = make_poll(organization, chapter=springfield, secret=secret)
    choice = option_ids(poll)["Pears"]
    clients = [logged_in(m) for m in members]

    def vote(i: int) -> int:
        status = clients[i].post(reverse("ballot_submit", args=[poll.pk]),
                                 {"choice": [choice]}).status_code
        return 302 if secret and status == 200 else status  # the receipt page, shown once

    assert at_once(vote) == [], connection.vendor
    assert Participation.objects.filter(poll=poll).count() == WRITERS
    if not secret:
        assert Ballot.objects.filter(poll=poll).count() == WRITERS


def test_twenty_offers_of_help_at_once_are_all_saved(organization, springfield, alice,
                                                     mailoutbox):
    need = Need.objects.create(posted_by=alice, title="Translate our flyer into Turkish")
    clients = [logged_in(m) for m in crowd(springfield)]

    def offer(i: int) -> int:
        return clients[i].post(reverse("need_detail", args=[need.pk]),
                               {"message": f"I can help ({i})"}).status_code

    assert at_once(offer) == [], connection.vendor
    assert Offer.objects.filter(need=need).count() == WRITERS
    assert len([m for m in mailoutbox if m.to == [alice.email]]) == WRITERS


def test_twenty_coordinators_answering_one_join_request_at_once_apply_one_answer(
        organization, springfield, olivia):
    from django.core.exceptions import ValidationError

    from chapterhouse.chapters.models import ChapterMembership, JoinRequest
    from chapterhouse.chapters.services import join_request_answer
    from chapterhouse.context import context_for

    coordinators = crowd(springfield)
    springfield.coordinators.add(*coordinators)
    asked = JoinRequest.objects.create(chapter=springfield, member=olivia)
    applied: list[bool] = []

    def answer(i: int) -> int:
        try:  # half accept, half decline; each reads the request as its page showed it
            join_request_answer(context_for(coordinators[i]),
                                join_request=JoinRequest.objects.get(pk=asked.pk),
                                accept=i % 2 == 0)
        except ValidationError:
            return 302  # "This request has already been answered."
        applied.append(i % 2 == 0)
        return 302

    assert at_once(answer) == [], connection.vendor
    assert len(applied) == 1
    asked.refresh_from_db()
    joined = ChapterMembership.objects.filter(chapter=springfield, member=olivia).exists()
    assert asked.status == ("accepted" if applied[0] else "declined")
    assert joined == applied[0]
