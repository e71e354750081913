from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "chapterhouse.maps"
