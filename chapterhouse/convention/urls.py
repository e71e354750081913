from django.urls import path

from chapterhouse.convention import views

urlpatterns = [
    path("", views.convention, name="convention"),
    path("delegates/<int:delegate_id>/confirm/", views.delegate_confirm,
         name="convention_delegate_confirm"),
    path("candidacies/<int:candidate_id>/", views.candidacy, name="convention_candidacy"),
    path("elections/<int:election_id>/count/", views.election_count,
         name="convention_election_count"),
    path("elections/new/<slug:slug>/", views.election_new, name="convention_election_new"),
    path("sessions/new/", views.session_new, name="convention_session_new"),
    path("sessions/<int:session_id>/", views.session, name="convention_session"),
]
