from django.apps import AppConfig


class VerdictsConfig(AppConfig):
    name = "chapterhouse.verdicts"
    verbose_name = "Verdicts"

    def ready(self) -> None:
        from chapterhouse.core.reasons import reasons_register
        from chapterhouse.verdicts.reasons import WORDS

        reasons_register(WORDS)
