from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "chapterhouse.planner"
    verbose_name = "Growth planner"
