from django.urls import path

from chapterhouse.resources import views

urlpatterns = [
    path("", views.library, name="resources"),
    path("add/", views.resource_add, name="resource_add"),
    path("<int:resource_id>/file/", views.download, name="resource_download"),
]
