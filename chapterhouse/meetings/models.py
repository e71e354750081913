from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Meeting(models.Model):
    """A chapter meeting. `starts_at` is stored in UTC; the chapter's zone decides its month."""

    chapter = models.ForeignKey(
        "chapters.Chapter", verbose_name=_("chapter"), on_delete=models.CASCADE,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("starts at"))
    venue = models.CharField(
        _("where"), max_length=200, blank=True,
        help_text=_("A public meeting place, e.g. 'Library, room 2'. Never a home address."),
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["chapter", "starts_at"])]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at, self.chapter.place.zone)
        return f"{self.chapter} {local:%Y-%m-%d %H:%M}"

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, self.chapter.place.zone)

    @property
    def has_happened(self) -> bool:
        return self.starts_at <= timezone.now()


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
        from chapterhouse.meetings.attendance import attendance_problems

        if self.meeting_id is None or self.member_id is None:
            return  # the form reports the missing field itself
        problems = attendance_problems(meeting=self.meeting, member=self.member)
        if problems:
            raise ValidationError(problems)
