from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organization's seeders: the top of the layers, importing every app below."""

    name = "chapterhouse.demo"
    label = "demo"
    verbose_name = "Demo"
