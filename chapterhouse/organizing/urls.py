from django.urls import path

from chapterhouse.organizing import views

urlpatterns = [
    path("", views.workspace, name="organizing"),
    path("all/", views.workspace_all, name="organizing_all"),
]
