from django.urls import path

from chapterhouse.followups import views

urlpatterns = [
    path("", views.my_follow_ups, name="followups_mine"),
    path("<slug:slug>/", views.chapter_follow_ups, name="followups_chapter"),
    path("<slug:slug>/people/<int:member_id>/", views.person, name="followups_person"),
    path("<slug:slug>/people/<int:member_id>/welcomed/", views.welcomed,
         name="followups_welcomed"),
]
