from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "chapterhouse.coordination"
    verbose_name = "Coordination calls"
