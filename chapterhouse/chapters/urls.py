from django.urls import path

from chapterhouse.chapters import views

urlpatterns = [
    path("<slug:slug>/", views.chapter_detail, name="chapter_detail"),
    path("<slug:slug>/meetings/<int:meeting_id>/attendance/", views.meeting_attendance,
         name="meeting_attendance"),
]
