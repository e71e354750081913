from django.urls import path

from chapterhouse.dashboard import views

urlpatterns = [path("", views.dashboard, name="dashboard")]
