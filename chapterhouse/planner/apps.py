from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlannerConfig(AppConfig):
    name = "chapterhouse.planner"
    verbose_name = _("Growth planner")

    def ready(self) -> None:
        from chapterhouse.core.reasons import reasons_register
        from chapterhouse.planner.reasons import WORDS

        reasons_register(WORDS)
