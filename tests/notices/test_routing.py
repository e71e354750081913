"""Emails follow the member's preference for their category as they are queued: sent now with
an unsubscribe footer and headers, kept for a digest, or dropped; account mail always goes."""

import pytest
from django.conf import settings
from django.core import mail

from chapterhouse.context import context_for
from chapterhouse.decisions.models import Kind, Level, Poll
from chapterhouse.decisions.notifications import poll_notices_send
from chapterhouse.notices import services
from chapterhouse.notices.kinds import CHOOSABLE, Category, Frequency
from chapterhouse.notices.models import DigestEntry
from chapterhouse.outbox.models import OutboxMessage
from chapterhouse.outbox.services import Draft, message_queue, messages_queue, outbox_deliver_due

pytestmark = pytest.mark.django_db


def prefer(member, **frequencies):
    services.preferences_set(context_for(member), member=member,
                             frequencies={Category(k): Frequency(v)
                                          for k, v in frequencies.items()})


def draft(member, kind, subject="News", body="See http://testserver/meetings/1/ for more."):
    return Draft(member.email, subject, body, member=member, kind=kind)


def test_by_default_meetings_come_at_once_and_polls_wait_for_the_daily_digest(bob):
    messages_queue([draft(bob, "meeting_changed", "Meeting moved"),
                    draft(bob, "poll_opening", "Poll open: Budget",
                          "Vote: http://testserver/decisions/7/")])
    assert list(OutboxMessage.objects.values_list("kind", flat=True)) == ["meeting_changed"]
    entry = DigestEntry.objects.get()
    assert (entry.member, entry.category, entry.frequency, entry.subject, entry.link) == (
        bob, "polls", "daily", "Poll open: Budget", "http://testserver/decisions/7/")
    assert entry.digest is None


def test_each_choice_is_followed(bob):
    prefer(bob, meetings="weekly", polls="immediately", helpboard="never")
    messages_queue([draft(bob, "meeting_reminder"), draft(bob, "poll_result"),
                    draft(bob, "help_offer")])
    assert list(OutboxMessage.objects.values_list("kind", flat=True)) == ["poll_result"]
    assert list(DigestEntry.objects.values_list("kind", "frequency")) == [
        ("meeting_reminder", "weekly")]


def test_an_email_sent_at_once_carries_the_unsubscribe_link_and_the_one_click_headers(bob):
    message_queue(to=bob.email, subject="Offer", body="Hello", member=bob, kind="help_offer")
    outbox_deliver_due()
    (sent,) = mail.outbox
    assert "/email/unsubscribe/" in sent.body
    assert "/email/settings/" in sent.body
    link = sent.extra_headers["List-Unsubscribe"]
    assert link.startswith(f"<{settings.SITE_URL}/email/unsubscribe/")
    assert link.endswith(">")
    assert link[1:-1] in sent.body
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_account_mail_is_sent_as_it_is_whatever_the_member_chose(bob):
    prefer(bob, **{c.value: "never" for c in CHOOSABLE})
    for kind in ("password_reset", "confirmation"):
        message_queue(to=bob.email, subject="Reset", body="Link", member=bob, kind=kind)
    outbox_deliver_due()
    assert len(mail.outbox) == 2
    for sent in mail.outbox:
        assert sent.body == "Link"  # no footer
        assert "List-Unsubscribe" not in sent.extra_headers
    assert not DigestEntry.objects.exists()


def test_mail_to_an_address_without_an_account_is_sent(organization):
    message_queue(to="guest@example.org", subject="Invitation", body="Join us",
                  kind="email_invitation")
    assert OutboxMessage.objects.count() == 1


def test_the_account_category_cannot_be_turned_off_nor_another_members_settings(bob, alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.preferences_set(context_for(bob), member=bob,
                                 frequencies={Category.ACCOUNT: Frequency.NEVER})
    with pytest.raises(ValidationError):
        services.preferences_set(context_for(alice), member=bob,
                                 frequencies={Category.POLLS: Frequency.NEVER})
    assert not bob.notice_preferences.exists()


def test_an_organization_wide_notice_run_sends_members_no_email_at_once(alice, bob, charlie):
    """The demo's notice run used to send each member several emails at once: polls now wait
    for the digest by default."""
    ctx = context_for(alice)
    now = ctx.now()
    import datetime
    for n in range(3):
        Poll.objects.create(organization=ctx.organization, title=f"Poll {n}", kind=Kind.PROPOSAL,
                            level=Level.ORGANIZATION, opens_at=now - datetime.timedelta(hours=1),
                            closes_at=now + datetime.timedelta(days=5))
    notices = poll_notices_send(ctx)
    assert notices.opened == 3
    assert notices.emails == 3
    assert not OutboxMessage.objects.exists()
    assert sorted(DigestEntry.objects.values_list("member__email", flat=True)) == [
        "alice@example.org", "bob@example.org", "charlie@example.org"]
