from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared Django-aware helpers (forms, errors, reason words, admin at scale); no models."""

    name = "chapterhouse.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from chapterhouse.core.reasons import reasons_register
        from chapterhouse.core.reasons_csv import WORDS

        reasons_register(WORDS)
