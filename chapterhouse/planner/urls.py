from django.urls import path

from chapterhouse.planner import views

urlpatterns = [
    path("", views.planner, name="planner"),
    path("map/", views.planner_map, name="planner_map"),
    path("runs/", views.plan_run_create, name="plan_run_create"),
    path("runs/<int:run_id>/plan.csv", views.plan_run_download, {"fmt": "csv"},
         name="plan_run_csv"),
    path("runs/<int:run_id>/plan.json", views.plan_run_download, {"fmt": "json"},
         name="plan_run_json"),
    path("runs/<int:run_id>/candidates/<int:index>/accept/", views.candidate_accept,
         name="candidate_accept"),
    path("runs/<int:run_id>/candidates/<int:index>/grow/", views.candidate_grow,
         name="candidate_grow"),
]
