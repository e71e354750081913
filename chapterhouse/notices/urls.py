from django.urls import path

from chapterhouse.notices import views

urlpatterns = [
    path("settings/", views.email_settings, name="notices_settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="notices_unsubscribe"),
]
