from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "chapterhouse.places"
    verbose_name = "Places"
