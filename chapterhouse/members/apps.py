from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "chapterhouse.members"
    verbose_name = "Members"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from chapterhouse.core.reasons import reasons_register
        from chapterhouse.members.backends import lockout_log
        from chapterhouse.members.reasons import WORDS

        user_locked_out.connect(lockout_log, dispatch_uid="chapterhouse.members.lockout_log")
        reasons_register(WORDS)
