from django.urls import path

from chapterhouse.helpboard import views

urlpatterns = [
    path("", views.board, name="helpboard"),
    path("new/", views.need_create, name="need_create"),
    path("<int:need_id>/", views.need_detail, name="need_detail"),
    path("<int:need_id>/close/", views.need_close_view, name="need_close"),
    path("<int:need_id>/offers/<int:offer_id>/talk/", views.offer_talk_view, name="offer_talk"),
]
