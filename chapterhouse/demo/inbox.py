"""The demo's conversations (issue 13, item 7): New York City's coordinator persona (Jon D.)
wrote to a member of the chapter, who answered; and on the help board a member of Berlin asked
for someone who has run a first meeting, Jon offered, and they talk about it. One message from
each conversation is still unread by the persona, so "Messages" shows counts.

Rows are written directly (no email leaves: this is history), signed as the services sign.
Idempotent: the conversations are recognised by their subjects.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.inbox.models import Message, Participant, SenderRole, Thread
from chapterhouse.members.models import Member

COORDINATOR_EMAIL = "coordinator@demo.example.org"  # as in demo/seeding.py
WELCOME = "Welcome, and our Saturday meeting"
NEED = "Someone who has run a first meeting, for a call before ours"


def _at(today: datetime.date, days_before: int, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(today - datetime.timedelta(days=days_before),
                                     datetime.time(hour), tzinfo=datetime.UTC)


def _conversation(subject: str, chapter: Chapter | None,
                  lines: list[tuple[Member, str, str, datetime.datetime, str]],
                  unread_by: Member) -> Thread:
    """A conversation between the lines' senders; `unread_by` has not read the last line."""
    thread = Thread.objects.create(subject=subject, chapter=chapter)
    messages = [Message.objects.create(
        thread=thread, sender=sender, sender_name=sender.display_name, sender_role=role,
        sender_chapter=chapter_name, body=body, sent_at=at)
        for sender, role, chapter_name, at, body in lines]
    people = {sender.pk: sender for sender, *_rest in lines}
    for member in people.values():
        read = messages[-2] if member == unread_by else messages[-1]
        Participant.objects.create(thread=thread, member=member, read_up_to=read.pk)
    return thread


def seed_conversations(*, today: datetime.date) -> int:
    """The two conversations; how many were made (0 when they exist already)."""
    persona = Member.objects.filter(email=COORDINATOR_EMAIL).first()
    nyc = Chapter.objects.filter(coordinators=persona).order_by("pk").first()
    berlin = Chapter.objects.filter(name="Berlin").first()
    if persona is None or nyc is None or Thread.objects.filter(
            subject=WELCOME, participants__member=persona).exists():
        return 0
    made = 0
    with transaction.atomic():
        # A previous demo's conversations lost their people when it was replaced.
        Thread.objects.filter(participants__isnull=True).delete()
        member = (Member.objects.filter(
            pk__in=ChapterMembership.objects.current(today).filter(chapter=nyc)
            .values("member_id"), erased_at__isnull=True)
            .exclude(pk=persona.pk).exclude(coordinated_chapters=nyc).order_by("pk").first())
        coordinator = (SenderRole.COORDINATOR, nyc.name)
        if member is not None:
            _conversation(WELCOME, nyc, [
                (persona, *coordinator, _at(today, 3, 15),
                 "Hello! Thank you for joining New York City. Our next meeting is on Saturday "
                 "at the library; we start with ten minutes for new members. Would you like "
                 "someone to meet you at the door?"),
                (member, SenderRole.MEMBER, nyc.name, _at(today, 2, 18),
                 "Thank you, yes please. Is there anything I should read before?"),
                (persona, *coordinator, _at(today, 2, 20),
                 "Our local vision, on the chapter page, is the best start. See you Saturday."),
                (member, SenderRole.MEMBER, nyc.name, _at(today, 1, 9),
                 "I read it. See you on Saturday!"),
            ], unread_by=persona)
            made += 1
        asker = (Member.objects.filter(
            pk__in=ChapterMembership.objects.current(today).filter(chapter=berlin)
            .values("member_id"), erased_at__isnull=True).order_by("pk").first()
            if berlin is not None else None)
        if asker is not None:
            need = Need.objects.create(
                posted_by=asker, chapter=None, title=NEED, language="en",
                region=asker.place.continent_code if asker.place else "",
                details="We are five people meeting for the first time next month. Could "
                        "someone who has done it tell us what worked, in a short call?")
            offer = Offer.objects.create(
                need=need, member=persona,
                message="We ran New York City's first meeting in 2012: happy to talk.")
            offer.thread = _conversation(NEED, None, [
                (asker, SenderRole.MEMBER, berlin.name if berlin else "", _at(today, 2, 10),
                 "Thank you! Would Tuesday at 18:00 Berlin time suit you?"),
                (persona, *coordinator, _at(today, 2, 14),
                 "Tuesday works. I will bring our first agenda and what we changed after."),
                (asker, SenderRole.MEMBER, berlin.name if berlin else "", _at(today, 1, 8),
                 "Wonderful. I will post the call link here on Monday."),
            ], unread_by=persona)
            offer.save(update_fields=["thread"])
            made += 1
    return made
