from django.urls import path

from chapterhouse.decisions import views

urlpatterns = [
    path("", views.poll_list, name="polls"),
    path("new/", views.poll_create, name="poll_create"),
    path("endorsement/", views.endorsement_new, name="endorsement_new"),
    path("goals/", views.goal_proposal_new, name="goal_proposal_new"),
    path("<int:poll_id>/", views.poll_detail, name="poll_detail"),
    path("<int:poll_id>/vote/", views.ballot_submit, name="ballot_submit"),
    path("<int:poll_id>/withdraw/", views.poll_withdraw, name="poll_withdraw"),
    path("<int:poll_id>/results/", views.poll_results, name="poll_results"),
    path("<int:poll_id>/voters/", views.poll_voters, name="poll_voters"),
]
