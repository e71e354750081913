from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "chapterhouse.jobs"
    verbose_name = "Background jobs"
