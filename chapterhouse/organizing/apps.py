from django.apps import AppConfig


class OrganizingConfig(AppConfig):
    name = "chapterhouse.organizing"
    verbose_name = "Organizing"
