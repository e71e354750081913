from django.urls import path

from chapterhouse.chapters import views

urlpatterns = [
    path("", views.chapter_list, name="chapter_list"),
    path("<slug:slug>/", views.chapter_detail, name="chapter_detail"),
    path("<slug:slug>/join/", views.chapter_join, name="chapter_join"),
    path("<slug:slug>/requests/", views.chapter_join_requests, name="chapter_join_requests"),
    path("<slug:slug>/requests/<int:request_id>/", views.join_request_answer,
         name="join_request_answer"),
    path("<slug:slug>/vision/", views.chapter_vision_edit, name="chapter_vision_edit"),
    path("<slug:slug>/invite-nearby/", views.chapter_invite_nearby,
         name="chapter_invite_nearby"),
    path("<slug:slug>/leave/", views.chapter_leave, name="chapter_leave"),
    path("<slug:slug>/coordinators/", views.chapter_coordinators, name="chapter_coordinators"),
    path("<slug:slug>/coordinators/ask/", views.coordinator_offer_create,
         name="coordinator_offer_create"),
    path("<slug:slug>/coordinators/step-down/", views.coordinator_step_down,
         name="coordinator_step_down"),
    path("<slug:slug>/coordinators/offers/<int:offer_id>/", views.coordinator_offer_answer,
         name="coordinator_offer_answer"),
    path("<slug:slug>/coordinators/offers/<int:offer_id>/withdraw/",
         views.coordinator_offer_withdraw, name="coordinator_offer_withdraw"),
    path("<slug:slug>/meetings/<int:meeting_id>/attendance/", views.meeting_attendance,
         name="meeting_attendance"),
]
