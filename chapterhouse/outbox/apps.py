from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "chapterhouse.outbox"
    verbose_name = "Outgoing email"
