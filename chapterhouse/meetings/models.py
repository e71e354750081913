from __future__ import annotations

import datetime
import secrets
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chapterhouse.domain.timebounds import local_time, moved


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def upcoming(self, now: datetime.datetime) -> MeetingQuerySet:
        return self.filter(starts_at__gt=now).order_by("starts_at")

    def past(self, now: datetime.datetime) -> MeetingQuerySet:
        return self.filter(starts_at__lte=now).order_by("-starts_at")

    def held(self) -> MeetingQuerySet:
        """Not cancelled: the meetings that take RSVPs, reminders and attendance."""
        return self.filter(cancelled_at__isnull=True)


class Meeting(models.Model):
    """A chapter meeting. `starts_at` is stored in UTC; the chapter's zone decides its month."""

    chapter = models.ForeignKey(
        "chapters.Chapter", verbose_name=_("chapter"), on_delete=models.CASCADE,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    title = models.CharField(_("title"), max_length=200, blank=True)
    venue = models.CharField(
        _("where"), max_length=200, blank=True,
        help_text=_("A public meeting place, e.g. 'Library, room 2'. Never a home address."),
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    # Meetings scheduled together as a monthly series share this id (each stays editable).
    series = models.UUIDField(_("series"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False,
    )
    # Claimed by one `send_reminders` worker with a conditional UPDATE (services.reminders_send).
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True,
                                            editable=False)

    # A cancelled meeting stays in the chapter's history, marked; it takes no RSVPs or
    # attendance and never counts for the verdict (meetings/months.py skips it).
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True,
                                        editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False,
    )

    objects = MeetingQuerySet.as_manager()
    _stored_chapter_id: int | None

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["chapter", "starts_at"]),
                   # The admin's change list, newest first (a million meetings; issue 12).
                   models.Index(fields=["-starts_at", "-id"], name="meeting_newest_first")]

    def __str__(self) -> str:
        return f"{self.chapter} {self.local_start:%Y-%m-%d %H:%M}"

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any],
                **kwargs: Any) -> Meeting:
        meeting = super().from_db(db, field_names, values, **kwargs)
        # The chapter as read: a meeting moved to another chapter updates both chapters'
        # stored months (meetings/signals.py).
        meeting._stored_chapter_id = meeting.__dict__.get("chapter_id")
        return meeting

    @property
    def local_start(self) -> datetime.datetime:
        return local_time(self.starts_at, self.chapter.place.zone)

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def ends_at(self) -> datetime.datetime:
        return moved(self.starts_at, datetime.timedelta(minutes=self.duration_minutes))


class Attendance(models.Model):
    """One member at one meeting. Recorded only for meetings that have happened."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attend_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} at {self.meeting}"

    def clean(self) -> None:
        from chapterhouse.meetings.services import attendance_problems
        from chapterhouse.organizations.models import Organization

        if self.meeting_id is None or self.member_id is None:
            return  # the form reports the missing field itself
        problems = attendance_problems(meeting=self.meeting, members=[self.member],
                                       now=Organization.objects.current().clock.now())
        if problems:
            raise ValidationError(problems)


class GuestAttendance(models.Model):
    """Someone without an account who came to a meeting: a name only, no contact details.

    A guest counts as an attendee for the rule. Toward the women's share a guest counts only
    when the coordinator ticked it (the strict side is "not counted"); the tick is never shown
    again, per guest, anywhere.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("guest's name"), max_length=100)
    counts_toward_share = models.BooleanField(_("counts toward the women's share"),
                                              default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("guest")
        verbose_name_plural = _("guests")

    def __str__(self) -> str:
        return self.name


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class Rsvp(models.Model):
    """A chapter member's answer to "will you come?"; only coordinators see who said what."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="rsvps")
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices)
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="rsvp_once")]

    def __str__(self) -> str:
        return f"{self.member}: {self.answer} ({self.meeting})"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of an iCal feed: a member's (all their chapters) or a chapter's.

    Calendar apps cannot log in, so the token in the URL is the only key; regenerating it
    retires the old address.
    """

    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  null=True, blank=True, related_name="calendar_feed")
    chapter = models.OneToOneField("chapters.Chapter", on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="calendar_feed")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False, chapter__isnull=True)
                           | Q(member__isnull=True, chapter__isnull=False)),
                name="feed_for_a_member_or_a_chapter",
            ),
        ]

    def __str__(self) -> str:
        return f"feed of {self.member or self.chapter}"


class ChapterMonth(models.Model):
    """One calendar month of a chapter (in its zone) that had a meeting, as the qualification
    rule judged it (domain.qualification.month_results): what the verdicts read instead of
    every attendance row. Written by meetings/months.py whenever attendance, a meeting, a
    guest or an attendee's gender changes, and rebuilt by `chapterhouse verdicts_rebuild`.

    A row holds for one rule (`rule_key`: minimum, share, counted genders; the number of
    months is applied when read) and one zone; a reader that finds another key recomputes
    that chapter from attendance rather than show a stale result, and a change of the
    organization's rule rebuilds every row."""

    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.CASCADE,
                                related_name="months")
    month = models.DateField()  # its first day
    rule_key = models.CharField(max_length=200)
    zone = models.CharField(max_length=64)
    meetings = models.PositiveIntegerField()
    # The month's best meeting (domain.qualification.check_months) and how it fared.
    best_meeting = models.PositiveIntegerField()  # the meeting's id (not a key: history)
    best_start = models.DateTimeField()
    best_attendees = models.PositiveIntegerField()
    best_counted = models.PositiveIntegerField()
    best_guests = models.PositiveIntegerField()
    enough_attendees = models.BooleanField()
    enough_women = models.BooleanField()
    # Over all the month's meetings (the dashboard's women's participation).
    attendees = models.PositiveIntegerField()
    counted = models.PositiveIntegerField()
    run = models.PositiveIntegerField()  # consecutive passing months ending here; 0 if failed

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chapter", "month"],
                                               name="one_row_per_chapter_month")]
        indexes = [models.Index(fields=["month", "chapter"], name="chapter_month_by_month")]

    def __str__(self) -> str:
        return f"{self.chapter_id} {self.month:%Y-%m}"
