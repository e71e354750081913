from django.urls import path

from chapterhouse.goals import views

urlpatterns = [
    path("history/", views.history, name="history"),
    path("progress/", views.progress, name="progress"),
    path("progress.svg", views.progress_svg, name="progress_svg"),
]
