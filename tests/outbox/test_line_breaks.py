"""Member text with line breaks (a poll title, a help need's title, a chapter name, a member's
name) reaches email subjects as one line: every message is queued and sent, and no page fails
(a help need titled with a line break used to give every helper an error 500)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from chapterhouse.chapters.services import (
    email_invitation_send,
    join_request_answer,
    join_request_create,
)
from chapterhouse.context import context_for
from chapterhouse.decisions.notifications import poll_notices_send
from chapterhouse.decisions.services import poll_close, poll_withdraw
from chapterhouse.helpboard.models import Need
from chapterhouse.meetings.models import Meeting, Rsvp
from chapterhouse.meetings.services import reminders_send
from chapterhouse.outbox.models import OutboxMessage, State
from chapterhouse.outbox.services import outbox_deliver_due
from tests.conftest import client_for, make_chapter, make_member
from tests.decisions.conftest import make_poll

pytestmark = pytest.mark.django_db

BREAK = "\r\nBcc: everyone@example.org\n"


def assert_all_sent_on_one_line(expected: int) -> None:
    outbox_deliver_due(now=timezone.now() + datetime.timedelta(minutes=1))
    assert OutboxMessage.objects.count() == expected
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {State.SENT}
    assert len(mail.outbox) == expected
    for email in mail.outbox:
        assert "\r" not in email.subject
        assert "\n" not in email.subject
        assert not email.bcc
        assert len(email.recipients()) == 1
        assert email.message()["Bcc"] is None  # no header was added


def test_a_help_need_and_a_helper_named_with_line_breaks(
        client, alice, charlie, django_capture_on_commit_callbacks):
    charlie.display_name = f"Charlie{BREAK}"
    charlie.save(update_fields=["display_name"])
    client_for(client, alice)
    client.post(reverse("need_create"), {"title": f"Chairs{BREAK}for forty", "details": "",
                                         "language": "en"})
    need = Need.objects.get()
    assert "\n" in need.title  # what the member typed is kept; only the header is cleaned
    client_for(client, charlie)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("need_detail", args=[need.pk]), {"message": "I can."})
    assert response.status_code == 302
    assert_all_sent_on_one_line(1)


def test_poll_titles_with_line_breaks(organization, springfield, alice, bob, polls_at_once):
    now = timezone.now()
    first = make_poll(organization, chapter=springfield, title=f"Picnic{BREAK}place",
                      closes=now + datetime.timedelta(days=3))
    withdrawn = make_poll(organization, chapter=springfield, title=f"Hats{BREAK}",
                          closes=now + datetime.timedelta(days=3))
    assert poll_notices_send(context_for(), now=now).emails == 2  # one digest each, alice and bob
    poll_withdraw(context_for(alice), poll=withdrawn, reason=f"Rain{BREAK}")
    assert poll_close(context_for(), poll=first,
                      now=first.closes_at + datetime.timedelta(minutes=1))
    single = make_poll(organization, chapter=springfield, title=f"Budget{BREAK}",
                       opens=now - datetime.timedelta(hours=1),
                       closes=now + datetime.timedelta(hours=3))
    assert poll_notices_send(context_for(), now=now).emails == 2  # a single poll: the usual notice
    assert single.title in OutboxMessage.objects.last().body
    assert_all_sent_on_one_line(8)


def test_a_chapter_named_with_line_breaks(organization, alice, bob):
    chapter = make_chapter(f"Spring{BREAK}field", 5128581, slug="spring")
    chapter.coordinators.add(alice)
    email_invitation_send(context_for(alice), chapter=chapter, email="newcomer@example.org")
    request = join_request_create(context_for(bob), chapter=chapter)  # to alice
    join_request_answer(context_for(alice), join_request=request, accept=True)  # to bob
    ctx = context_for()  # the organization's clock: 1 February 2014, noon UTC
    meeting = Meeting.objects.create(chapter=chapter, venue="Library",
                                     starts_at=ctx.now() + datetime.timedelta(hours=5))
    Rsvp.objects.create(meeting=meeting, member=bob, answer="yes", answered_at=ctx.now())
    assert reminders_send(ctx, url_for=lambda m: "/").emails == 1
    assert_all_sent_on_one_line(4)


def test_a_member_named_with_line_breaks_asks_to_join(organization, springfield, alice):
    dora = make_member("dora@example.org", f"Dora{BREAK}")
    join_request_create(context_for(dora), chapter=springfield)
    assert_all_sent_on_one_line(1)
