from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "chapterhouse.followups"
    verbose_name = "Follow-ups"

    def ready(self) -> None:
        from chapterhouse.core.reasons import reasons_register
        from chapterhouse.followups.reasons import WORDS

        reasons_register(WORDS)
