from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "chapterhouse.audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from chapterhouse.audit.registry import register_audited_models

        register_audited_models()
