from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "chapterhouse.notices"
    verbose_name = "Email preferences and digests"

    def ready(self) -> None:
        # The outbox sits below the members; it asks this app, once installed, what to do with
        # each email (send, keep for a digest, drop) and which headers to add.
        from chapterhouse.notices.routing import NoticeRouter
        from chapterhouse.outbox.services import router_set

        router_set(NoticeRouter())
