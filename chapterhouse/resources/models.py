from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

ALLOWED_EXTENSIONS = ["pdf", "txt", "md", "odt", "docx", "epub", "png", "jpg", "jpeg", "svg"]
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class Kind(models.TextChoices):
    BOOK = "book", _("Book")
    GUIDE = "guide", _("Meeting guide")
    ZINE = "zine", _("Comic zine")
    FLYER = "flyer", _("Flyer")
    VIDEO = "video", _("Video for a movie night")
    OTHER = "other", _("Other")


def validate_size(upload) -> None:
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Files can be up to 20 MB; this one is %(mb).1f MB.")
                              % {"mb": upload.size / 1024 / 1024})


class Resource(models.Model):
    """An organizing resource: an uploaded file or a link, in one language."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    file = models.FileField(
        _("file"), upload_to="resources/%Y/", blank=True,
        validators=[FileExtensionValidator(ALLOWED_EXTENSIONS), validate_size],
    )
    link = models.URLField(_("link"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(link=""), name="resource_file_or_link"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.file and not self.link:
            raise ValidationError(_("Upload a file or give a link."))
        if self.file and self.link:
            raise ValidationError(_("Give a file or a link, not both."))

    @property
    def filename(self) -> str:
        return Path(self.file.name).name if self.file else ""
