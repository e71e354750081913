from django.contrib import admin

from chapterhouse.meetings.models import Attendance, Meeting, Rsvp


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["member"]


class RsvpInline(admin.TabularInline):
    model = Rsvp
    extra = 0
    fields = ["member", "answer", "answered_at"]
    readonly_fields = ["member", "answer", "answered_at"]
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["chapter", "starts_at", "venue"]
    list_filter = ["chapter"]
    date_hierarchy = "starts_at"
    search_fields = ["chapter__name", "venue"]
    autocomplete_fields = ["chapter"]
    inlines = [AttendanceInline, RsvpInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["member", "meeting"]
    list_filter = ["meeting__chapter"]
    search_fields = ["member__display_name"]
    autocomplete_fields = ["member", "meeting"]
