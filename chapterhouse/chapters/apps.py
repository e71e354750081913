from django.apps import AppConfig


class ChaptersConfig(AppConfig):
    name = "chapterhouse.chapters"
    verbose_name = "Chapters"

    def ready(self) -> None:
        from chapterhouse.chapters.reasons import WORDS
        from chapterhouse.core.reasons import reasons_register

        reasons_register(WORDS)
