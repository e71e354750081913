from django.urls import path

from chapterhouse.splits import views

urlpatterns = [
    path("propose/<slug:slug>/", views.split_new, name="split_new"),
    path("<int:split_id>/", views.split_detail, name="split_detail"),
    path("<int:split_id>/answer/", views.split_answer, name="split_answer"),
]
