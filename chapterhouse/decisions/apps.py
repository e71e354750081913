from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "chapterhouse.decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        from chapterhouse.core.reasons import reasons_register
        from chapterhouse.decisions.reasons import WORDS

        reasons_register(WORDS)
