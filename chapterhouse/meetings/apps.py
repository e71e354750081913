from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "chapterhouse.meetings"
    verbose_name = "Meetings"
