"""The meeting changed / cancelled emails: text and an autoescaped HTML part, with the
unsubscribe link and headers (meetings is a category members may turn off)."""

import datetime

import pytest
from django.core import mail

from chapterhouse.context import context_for
from chapterhouse.meetings import services
from chapterhouse.meetings.models import Meeting, Rsvp
from chapterhouse.outbox.services import outbox_deliver_due

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def test_a_cancelled_meeting_email_has_an_escaped_html_part_and_the_headers(
        springfield, alice, bob):
    meeting = Meeting.objects.create(chapter=springfield, venue="<b>Library</b>",
                                     starts_at=datetime.datetime(2014, 2, 20, 23, tzinfo=UTC))
    Rsvp.objects.create(meeting=meeting, member=bob, answer="yes",
                        answered_at=datetime.datetime(2014, 1, 30, tzinfo=UTC))
    services.meeting_cancel(context_for(alice), meeting=meeting, note="Rain <script>")
    outbox_deliver_due()
    (sent,) = mail.outbox
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert "&lt;b&gt;Library&lt;/b&gt;" in html
    assert "Rain &lt;script&gt;" in html
    assert "<script>" not in html
    assert "/email/unsubscribe/" in html
    assert "<b>Library</b>" in sent.body  # the text part as it was written
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
