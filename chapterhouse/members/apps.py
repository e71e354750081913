from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "chapterhouse.members"
    verbose_name = "Members"
