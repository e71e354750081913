from django.apps import AppConfig


class HelpboardConfig(AppConfig):
    name = "chapterhouse.helpboard"
    verbose_name = "Ask for help"
