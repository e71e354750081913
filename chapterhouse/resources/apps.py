from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "chapterhouse.resources"
    verbose_name = "Resources"

    def ready(self) -> None:
        from chapterhouse.core.reasons import reasons_register
        from chapterhouse.resources.reasons import WORDS

        reasons_register(WORDS)
