from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "chapterhouse.decisions"
    verbose_name = "Decisions"
