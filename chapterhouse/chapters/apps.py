from django.apps import AppConfig


class ChaptersConfig(AppConfig):
    name = "chapterhouse.chapters"
    verbose_name = "Chapters"
