from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from chapterhouse.core.admin_scale import (
    ChosenRelatedFilter,
    EstimatedCountPaginator,
    ListedRowsInline,
    rows_link,
)
from chapterhouse.meetings.models import Attendance, Meeting, Rsvp


class RsvpInline(ListedRowsInline):
    model = Rsvp
    related = ("member", "meeting__chapter__place")
    fields = ["member", "answer", "answered_at"]
    readonly_fields = ["member", "answer", "answered_at"]
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["chapter", "starts_at", "venue", "cancelled_at"]
    list_filter = [("chapter", ChosenRelatedFilter)]
    list_select_related = ["chapter"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # No date hierarchy: its years are a DISTINCT over every meeting (a million) on each page.
    search_fields = ["chapter__name", "venue"]
    autocomplete_fields = ["chapter"]
    # Attendance is recorded in its own change list (paginated, searchable), reached from here.
    # Cancelling is the coordinators' "Change or cancel" page (it tells those who answered).
    readonly_fields = ["attendance_link", "cancelled_at"]
    inlines = [RsvpInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Meeting]:
        # A meeting's name shows its chapter's local time: the chapter's place, joined once.
        return super().get_queryset(request).select_related("chapter__place")

    @admin.display(description=_("attendance"))
    def attendance_link(self, meeting: Meeting) -> str:
        if meeting.pk is None:
            return "—"
        count = meeting.attendances.count()
        summary = ngettext("%(count)d attendee", "%(count)d attendees", count) % {"count": count}
        return rows_link(Attendance, "meeting", meeting, count, summary)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["member", "meeting"]
    list_filter = [("meeting__chapter", ChosenRelatedFilter)]
    list_select_related = ["member", "meeting__chapter__place"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    search_fields = ["member__display_name"]
    autocomplete_fields = ["member", "meeting"]
