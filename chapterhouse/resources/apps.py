from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "chapterhouse.resources"
    verbose_name = "Resources"
