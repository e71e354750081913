from django.urls import path

from chapterhouse.maps import views

urlpatterns = [
    path("dashboard.json", views.dashboard_map_json, name="map_dashboard"),
    path("near.json", views.near_map_json, name="map_near"),
    path("chapters/<slug:slug>.json", views.chapter_map_json, name="map_chapter"),
]
