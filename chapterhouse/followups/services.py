"""Writes for following people up: logging a conversation (a welcome is one), and the scheduled
reminders about new members waiting for a welcome."""

from __future__ import annotations

import datetime
import logging
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.chapters.selectors import members_unaffiliated
from chapterhouse.domain.engagement import NEW_DAYS, WELCOME_AFTER, History, arrival, welcome_due
from chapterhouse.followups.models import NOTES_MAX, Conversation, Kind, WelcomeReminder
from chapterhouse.followups.permissions import may_follow_up
from chapterhouse.followups.selectors import in_area, may_log_about
from chapterhouse.meetings.models import Attendance
from chapterhouse.members.mail import member_mail
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.organizing.models import Organizer

logger = logging.getLogger(__name__)

KM_PER_DEGREE = 111.0  # of latitude, about
OLDEST_DAYS = 366  # a conversation logged later than a year after it happened is refused

KIND_COORDINATORS = "followups_welcome_coordinators"
KIND_ORGANIZER = "followups_welcome_organizer"


def conversation_log(ctx: Context, *, chapter: Chapter, member: Member,
                     occurred_on: datetime.date, kind: str = Kind.ONE_TO_ONE,
                     notes: str = "") -> Conversation:
    """Log that the actor talked with `member` for `chapter`. Only the chapter's coordinators
    and its organizer may; a second identical submission returns the first entry."""
    actor = ctx.actor
    if not may_follow_up(actor, chapter):
        raise PermissionDenied
    notes = notes.strip()
    today = ctx.today()
    if kind not in Kind.values:
        raise ValidationError(_("Choose what kind of conversation it was."))
    if len(notes) > NOTES_MAX:
        raise ValidationError(
            _("Notes can be at most %(max)s characters; these have %(count)s. Keep what the "
              "next person to talk with them needs to know.")
            % {"max": NOTES_MAX, "count": len(notes)})
    if occurred_on > today:
        raise ValidationError(_("The conversation cannot be in the future: it is %(today)s.")
                              % {"today": date_format(today)})
    if (today - occurred_on).days > OLDEST_DAYS:
        raise ValidationError(_("Log conversations of the last twelve months only."))
    if member.pk == actor.member.pk:
        raise ValidationError(_("Log conversations with other people, not with yourself."))
    if not may_log_about(ctx, chapter, member):
        raise ValidationError(_("%(name)s is not a member of %(chapter)s nor new in its area.")
                              % {"name": member.display_name, "chapter": chapter.name})
    with transaction.atomic():
        Member.objects.select_for_update().filter(pk=member.pk).first()  # one at a time
        same = Conversation.objects.filter(chapter=chapter, member=member,
                                           talked_by=actor.member, occurred_on=occurred_on,
                                           kind=kind, notes=notes).first()
        if same is not None:
            return same  # a double submit
        conversation = Conversation.objects.create(
            chapter=chapter, member=member, talked_by=actor.member, occurred_on=occurred_on,
            kind=kind, notes=notes)
    logger.info("conversation %s logged in chapter %s", conversation.pk, chapter.pk)
    return conversation


def welcome_mark(ctx: Context, *, chapter: Chapter, member: Member) -> Conversation:
    """"Welcomed": a welcome logged today by the actor; nothing new if already welcomed here."""
    if not may_follow_up(ctx.actor, chapter):
        raise PermissionDenied
    existing = Conversation.objects.filter(chapter=chapter, member=member,
                                           kind=Kind.WELCOME).first()
    if existing is not None:
        return existing
    return conversation_log(ctx, chapter=chapter, member=member, occurred_on=ctx.today(),
                            kind=Kind.WELCOME)


# Reminders --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reminded:
    coordinators: int  # emails to coordinators
    organizers: int  # emails to organizers
    people: int  # people newly reminded about


@dataclass(frozen=True)
class _Waiting:
    chapter_id: int
    member: Member
    arrived_at: datetime.datetime


def organizer_after() -> datetime.timedelta:
    """How long after the coordinators' reminder the organizer is told (a setting)."""
    return datetime.timedelta(hours=settings.FOLLOWUP_ORGANIZER_AFTER_HOURS)


def _by_latitude(chapters: Iterable[Chapter]) -> Callable[[float], list[Chapter]]:
    """The chapters whose area might reach a latitude, looked up by whole degrees (thousands
    of chapters, thousands of newcomers: not every pair)."""
    buckets: dict[int, list[Chapter]] = defaultdict(list)
    for chapter in chapters:
        reach = math.ceil(chapter.radius_km / KM_PER_DEGREE) + 1
        row = math.floor(chapter.place.latitude)
        for lat in range(row - reach, row + reach + 1):
            buckets[lat].append(chapter)
    return lambda latitude: buckets.get(math.floor(latitude), [])


def _waiting(ctx: Context, chapters: dict[int, Chapter]) -> list[_Waiting]:
    """Every (chapter, new member) pair whose welcome is due: the chapter's own new members
    and new members without a chapter in its area, 48 hours after they arrived and while they
    are new (14 days), not welcomed there and never at its meetings. Few rows: only people
    who arrived in the last 14 days are read."""
    now, today = ctx.now(), ctx.today()
    since = today - datetime.timedelta(days=NEW_DAYS)
    pairs: list[_Waiting] = []
    for membership in (ChapterMembership.objects.current(today)
                       .filter(joined_on__gt=since, member__is_active=True)
                       .select_related("member")):
        pairs.append(_Waiting(membership.chapter_id, membership.member,
                              arrival(membership.joined_on, membership.created_at)))
    newcomers = (members_unaffiliated(Member.objects.active(), today)
                 .filter(email_confirmed=True, willing_to_meet=True, place__isnull=False,
                         joined_on__gt=since, joined_on__lte=today).select_related("place"))
    near = _by_latitude(chapters.values())
    for member in newcomers:
        place = member.place
        for chapter in near(place.latitude) if place is not None else ():
            if in_area(chapter, member):
                pairs.append(_Waiting(chapter.pk, member,
                                      arrival(member.joined_on, member.created_at)))
    if not pairs:
        return []
    ids = {pair.member.pk for pair in pairs}
    talked = set(Conversation.objects.filter(member_id__in=ids)
                 .values_list("chapter_id", "member_id"))
    came = set(Attendance.objects.filter(member_id__in=ids, meeting__starts_at__lte=now)
               .values_list("meeting__chapter_id", "member_id"))
    coordinators = set(Chapter.coordinators.through.objects.filter(member_id__in=ids)
                       .values_list("chapter_id", "member_id"))
    organizers = set(Organizer.objects.filter(active=True, member_id__in=ids)
                     .values_list("member_id", flat=True))
    due = []
    for pair in pairs:
        key = (pair.chapter_id, pair.member.pk)
        history = History(arrived_at=pair.arrived_at,
                          talked=(today,) if key in talked else (),
                          attended=(today,) if key in came else (),
                          core=key in coordinators or pair.member.pk in organizers)
        if welcome_due(history, now=now, today=today) is not None:
            due.append(pair)
    return due


def welcome_reminders_send(ctx: Context, *,
                           link_for: Callable[[Chapter], str]) -> Reminded:
    """Remind a chapter's coordinators of each new member who has waited 48 hours for a
    welcome, then, if still not welcomed FOLLOWUP_ORGANIZER_AFTER_HOURS later, the organizer
    who carries the chapter: once each, one email per person told and chapter. The claims and
    the emails are written in one transaction: a run killed halfway sends nothing and claims
    nothing, and a second run (or two at once: the claim is a conditional update) sends
    nothing twice. `link_for` gives a chapter's follow-up page address."""
    now = ctx.now()
    chapters = {c.pk: c for c in Chapter.objects.select_related("place", "organizer__member")}
    waiting = _waiting(ctx, chapters)
    told_coordinators: dict[int, list[_Waiting]] = defaultdict(list)
    told_organizer: dict[int, list[_Waiting]] = defaultdict(list)
    with transaction.atomic():
        for pair in waiting:
            reminder, _created = WelcomeReminder.objects.get_or_create(
                chapter_id=pair.chapter_id, member=pair.member)
            claimed = WelcomeReminder.objects.filter(
                pk=reminder.pk, coordinators_told_at__isnull=True).update(
                coordinators_told_at=now)
            if claimed:
                told_coordinators[pair.chapter_id].append(pair)
            if now - pair.arrived_at >= WELCOME_AFTER + organizer_after():
                claimed = WelcomeReminder.objects.filter(
                    pk=reminder.pk, organizer_told_at__isnull=True).update(organizer_told_at=now)
                if claimed:
                    told_organizer[pair.chapter_id].append(pair)
        coordinator_emails = organizer_emails = 0
        for chapter_id, pairs in told_coordinators.items():
            chapter = chapters[chapter_id]
            for coordinator in chapter.coordinators.filter(is_active=True):
                _remind(coordinator, chapter, pairs, link_for(chapter), KIND_COORDINATORS)
                coordinator_emails += 1
        for chapter_id, pairs in told_organizer.items():
            chapter = chapters[chapter_id]
            organizer = chapter.organizer
            if organizer is None or not organizer.active or not organizer.member.is_active:
                continue
            _remind(organizer.member, chapter, pairs, link_for(chapter), KIND_ORGANIZER)
            organizer_emails += 1
    people = sum(len(p) for p in told_coordinators.values())
    logger.info("welcome reminders: %s to coordinators, %s to organizers, %s people",
                coordinator_emails, organizer_emails, people)
    return Reminded(coordinators=coordinator_emails, organizers=organizer_emails, people=people)


def _remind(to: Member, chapter: Chapter, pairs: list[_Waiting], link: str, kind: str) -> None:
    def compose() -> tuple[str, str]:
        names = "\n".join(
            "- " + _("%(name)s (joined %(date)s)") % {
                "name": pair.member.display_name,
                "date": date_format(pair.arrived_at.date())}
            for pair in sorted(pair_list, key=lambda p: p.arrived_at))
        if kind == KIND_ORGANIZER:
            intro = ngettext(
                "This new member near %(chapter)s has waited more than %(hours)s hours and its "
                "coordinators have not welcomed them yet:",
                "These new members near %(chapter)s have waited more than %(hours)s hours and "
                "its coordinators have not welcomed them yet:", len(pair_list))
        else:
            intro = ngettext(
                "This new member of %(chapter)s, or new in its area without a chapter, has "
                "waited more than 48 hours for a welcome:",
                "These new members of %(chapter)s, or new in its area without a chapter, have "
                "waited more than 48 hours for a welcome:", len(pair_list))
        hours = int((WELCOME_AFTER + organizer_after()).total_seconds() // 3600)
        return (
            _("New members waiting for a welcome in %(chapter)s") % {"chapter": chapter.name},
            _("Hello %(name)s,") % {"name": to.display_name} + "\n\n"
            + intro % {"chapter": chapter.name, "hours": hours} + "\n\n" + names + "\n\n"
            + _("Talk with them, then log it on the chapter's follow-up page (only its "
                "coordinators and organizer see it):") + "\n\n" + link + "\n",
        )

    pair_list = pairs
    member_mail(to, compose, kind=kind)
