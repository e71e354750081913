from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "chapterhouse.dashboard"
    verbose_name = "Dashboard"
