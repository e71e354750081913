from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "chapterhouse.meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from chapterhouse.meetings import signals

        signals.connect()
        signals.connect_membership()
