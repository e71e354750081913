from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "chapterhouse.inbox"
    verbose_name = "Messages"
