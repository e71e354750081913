from django.urls import path

from chapterhouse.inbox import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:thread_id>/", views.thread, name="inbox_thread"),
    path("write/<int:member_id>/", views.write, name="inbox_write"),
    path("write/chapter/<slug:slug>/", views.write_chapter, name="inbox_write_chapter"),
]
