from django.apps import AppConfig


class ConventionConfig(AppConfig):
    name = "chapterhouse.convention"
    verbose_name = "Convention"

    def ready(self) -> None:
        from chapterhouse.convention.reasons import WORDS
        from chapterhouse.core.reasons import reasons_register

        reasons_register(WORDS)
