from django.urls import path

from chapterhouse.planner import views

urlpatterns = [
    path("", views.planner, name="planner"),
    path("runs/", views.plan_run_create, name="plan_run_create"),
    path("runs/<int:run_id>/candidates/<int:index>/accept/", views.candidate_accept,
         name="candidate_accept"),
]
