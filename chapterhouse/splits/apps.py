from django.apps import AppConfig


class SplitsConfig(AppConfig):
    name = "chapterhouse.splits"
    verbose_name = "Splits"
