from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "chapterhouse.goals"
    verbose_name = "Goals"
