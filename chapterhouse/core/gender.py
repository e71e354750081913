"""The genders a member may describe themselves with (optional; shown only in aggregates).

Here, below the apps, because the organization's rule names which of them count."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    """Self-described, optional, shown only in aggregates."""

    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NONBINARY = "nonbinary", _("Non-binary")
    OTHER = "other", _("Another description")
