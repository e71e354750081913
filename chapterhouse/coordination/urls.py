from django.urls import path

from chapterhouse.coordination import views

urlpatterns = [
    path("", views.call_list, name="calls"),
    path("new/", views.call_create, name="call_create"),
    path("<int:call_id>/", views.call_detail, name="call_detail"),
    path("<int:call_id>/signup/", views.call_signup, name="call_signup"),
    path("<int:call_id>/leave/", views.call_leave, name="call_leave"),
    path("<int:call_id>/signups/<int:signup_id>/accept/", views.signup_accept,
         name="call_signup_accept"),
    path("<int:call_id>/candidates/", views.candidate_add, name="call_candidate_add"),
    path("<int:call_id>/candidates/<int:candidate_id>/remove/", views.candidate_remove,
         name="call_candidate_remove"),
    path("<int:call_id>/notes/", views.notes_save, name="call_notes"),
]
