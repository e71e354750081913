from django.urls import path

from chapterhouse.meetings import views

urlpatterns = [
    path("", views.my_meetings, name="my_meetings"),
    path("feed/new/", views.my_feed_regenerate, name="my_feed_regenerate"),
    path("feed/<str:token>.ics", views.feed, name="meeting_feed"),
    path("chapter/<slug:slug>/", views.chapter_meetings, name="chapter_meetings"),
    path("chapter/<slug:slug>/schedule/", views.schedule, name="meeting_schedule"),
    path("chapter/<slug:slug>/feed/new/", views.chapter_feed_regenerate,
         name="chapter_feed_regenerate"),
    path("<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("<int:meeting_id>/rsvp/", views.rsvp, name="meeting_rsvp"),
    path("<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<int:meeting_id>/end-series/", views.series_end, name="meeting_series_end"),
    path("<int:meeting_id>/attendance/", views.attendance, name="meeting_attendance_edit"),
]
