from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "chapterhouse.organizations"
    verbose_name = "Organizations"
